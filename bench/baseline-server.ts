/**
 * The floor for GET /api/v1/funds: bare Fastify + pg + HS256, no framework. Every
 * request verifies the bearer token as our server does (HS256 only, issuer,
 * audience, expiry; the same SECRET_KEY) and runs the catalogue query.
 * Started by bench/run.ts in its own process.
 */
import Fastify from 'fastify';
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const key = createSecretKey(Buffer.from(process.env.SECRET_KEY ?? '', 'utf8'));
const issuer = process.env.JWT_ISSUER ?? 'fintech-ops';
const audience = process.env.JWT_AUDIENCE ?? 'fintech-ops-api';

/** HS256 by hand: the cheapest honest check (signature, alg, iss, aud, exp). */
function verify(token: string): boolean {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return false;
  const expected = createHmac('sha256', key).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  if (JSON.parse(Buffer.from(h, 'base64url').toString()).alg !== 'HS256') return false;
  const c = JSON.parse(Buffer.from(p, 'base64url').toString());
  return c.iss === issuer && (c.aud === audience || (Array.isArray(c.aud) && c.aud.includes(audience))) && c.exp > Date.now() / 1000;
}

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/api/v1/funds', async (req, reply) => {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  if (!m || !verify(m[1])) return reply.code(401).send({ statusCode: 401, error: 'Unauthorized' });
  const { rows } = await pool.query('SELECT id, name, min_amount, category, currency FROM funds ORDER BY id');
  return rows.map((r) => ({ id: r.id, name: r.name, min_amount: Number(r.min_amount), category: r.category, currency: r.currency }));
});
void app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
