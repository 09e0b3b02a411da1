/**
 * The baseline for GET /api/v1/funds: bare Fastify + pg, the same query, no
 * framework, no auth. Started by bench/platform.ts in its own process.
 */
import Fastify from 'fastify';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/api/v1/funds', async () => {
  const { rows } = await pool.query('SELECT id, name, min_amount, category, currency FROM funds ORDER BY id');
  return rows.map((r) => ({ id: r.id, name: r.name, min_amount: Number(r.min_amount), category: r.category, currency: r.currency }));
});
void app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
