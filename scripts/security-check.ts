import { existsSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import * as bcrypt from 'bcrypt';
import { configSchema } from '../libs/nest/config/config-schema';
import { encryptionKeyProblem, secretKeyProblem } from '../libs/nest/config/load-config';
import { vaultKeyFromBase64 } from '../src/contexts/vault/domain/envelope';

/**
 * `npm run security:check [--env-file path]`: audits a configuration for
 * production. Exit code 1 when anything is unsafe (FAIL), 0 otherwise (WARNs
 * are printed). With DATABASE_URL set it also looks for the dev users with
 * their default passwords.
 */
export interface Finding {
  level: 'FAIL' | 'WARN';
  message: string;
}

type Env = Record<string, string | undefined>;

const KNOWN_TEST_KEYS = new Set([
  'test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
  Buffer.from('0123456789abcdef0123456789ABCDEF').toString('base64'),
]);

const truthy = (v: string | undefined) => /^(true|1|yes)$/i.test(v ?? '');

export function securityFindings(env: Env): Finding[] {
  const out: Finding[] = [];
  const fail = (message: string) => out.push({ level: 'FAIL', message });
  const warn = (message: string) => out.push({ level: 'WARN', message });

  const { error } = configSchema.validate(env, { abortEarly: false, convert: true });
  if (error) fail(`invalid configuration: ${error.details.map((d) => d.message).join('; ')}`);
  if (env.NODE_ENV !== 'production')
    fail(`NODE_ENV is "${env.NODE_ENV ?? 'development'}", not production (dev users are seeded, dev keys allowed)`);

  const sk = secretKeyProblem(env.SECRET_KEY);
  if (sk) fail(sk);
  const ek = encryptionKeyProblem(env.ENCRYPTION_KEY);
  if (ek) fail(ek);
  for (const [name, v] of [
    ['SECRET_KEY', env.SECRET_KEY],
    ['ENCRYPTION_KEY', env.ENCRYPTION_KEY],
  ] as const) {
    if (v && KNOWN_TEST_KEYS.has(v)) fail(`${name} is the published test key`);
  }
  if (env.SECRET_KEY && env.SECRET_KEY === env.ENCRYPTION_KEY) fail('SECRET_KEY and ENCRYPTION_KEY are the same value');
  const previous = (env.ENCRYPTION_KEYS_PREVIOUS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  previous.forEach((k, i) => {
    const p = encryptionKeyProblem(k, `ENCRYPTION_KEYS_PREVIOUS[${i}]`);
    if (p) fail(p);
  });
  if (previous.length)
    warn(`ENCRYPTION_KEYS_PREVIOUS holds ${previous.length} retired key(s): remove them once a rotation has been applied`);

  const origins = (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim());
  if (origins.includes('*')) fail('ALLOWED_ORIGINS contains "*" (CORS open to any site)');
  if (origins.some((o) => o.startsWith('http://') && !/localhost|127\.0\.0\.1/.test(o))) warn('ALLOWED_ORIGINS has a plain-http origin');
  if (origins.some((o) => /localhost|127\.0\.0\.1/.test(o))) warn('ALLOWED_ORIGINS allows localhost');
  const hosts = (env.ALLOWED_HOSTS ?? '').split(',').map((s) => s.trim());
  if (hosts.includes('*')) fail('ALLOWED_HOSTS contains "*"');

  if (truthy(env.LIVE_TRADING)) {
    if (!truthy(env.TRUST_PROXY))
      fail('LIVE_TRADING=true without TRUST_PROXY=true: run real trading only behind an HTTPS-terminating proxy');
    for (const k of ['BINANCE_BASE_URL', 'CRYPTO_COM_BASE_URL', 'IBKR_BASE_URL']) {
      if (env[k]?.startsWith('http://')) fail(`${k} is plain http with LIVE_TRADING=true`);
    }
  }
  if (truthy(env.SEED_ON_BOOT)) fail('SEED_ON_BOOT=true: the dev users would be created');
  if (!env.DATABASE_URL) warn('DATABASE_URL unset: embedded PostgreSQL (one machine, no replicas)');
  else if (
    !/sslmode=(require|verify-full|verify-ca)/.test(env.DATABASE_URL) &&
    !/@(localhost|127\.0\.0\.1|postgres)[:/]/.test(env.DATABASE_URL)
  ) {
    warn('DATABASE_URL to a remote host without sslmode=require');
  }
  if (!env.REDIS_URL) warn('REDIS_URL unset: rate limits are per instance');
  if (env.LOG_LEVEL === 'debug') warn('LOG_LEVEL=debug in production');
  if (Number(env.LOGIN_MAX_FAILURES_PER_HOUR ?? 20) > 100) fail('LOGIN_MAX_FAILURES_PER_HOUR above 100 (ASVS 2.2.1)');
  return out;
}

/** Dev users still present with their default passwords. */
export async function devUserFindings(databaseUrl: string): Promise<Finding[]> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query("SELECT username, password_hash FROM users WHERE username IN ('admin', 'client1')");
    const defaults: Record<string, string> = { admin: 'admin1234', client1: 'client1234' };
    const out: Finding[] = [];
    for (const r of rows) {
      if (await bcrypt.compare(defaults[r.username], r.password_hash))
        out.push({ level: 'FAIL', message: `dev user "${r.username}" exists with its default password` });
      else out.push({ level: 'WARN', message: `dev user name "${r.username}" exists` });
    }
    return out;
  } catch (e) {
    return [{ level: 'WARN', message: `could not check the database for dev users: ${(e as Error).message}` }];
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Stored vault values per key id: FAIL for a key id that is neither ENCRYPTION_KEY nor in ENCRYPTION_KEYS_PREVIOUS. */
export async function vaultKeyFindings(databaseUrl: string, env: Env): Promise<Finding[]> {
  const known = new Map<string, string>();
  const active = env.ENCRYPTION_KEY ? vaultKeyFromBase64(env.ENCRYPTION_KEY) : null;
  if (active) known.set(active.id, 'ENCRYPTION_KEY');
  for (const k of (env.ENCRYPTION_KEYS_PREVIOUS ?? '').split(',').map((s) => s.trim())) {
    const key = k ? vaultKeyFromBase64(k) : null;
    if (key && !known.has(key.id)) known.set(key.id, 'ENCRYPTION_KEYS_PREVIOUS');
  }
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ key_id: string; kind: string; n: number }>(
      `SELECT key_id, 'exchange secret(s)' AS kind, count(*)::int AS n FROM exchange_secrets GROUP BY key_id
       UNION ALL SELECT key_id, 'TOTP secret(s)', count(*)::int FROM vault_secrets GROUP BY key_id ORDER BY 1, 2`,
    );
    const out: Finding[] = [];
    for (const r of rows) {
      const where = known.get(r.key_id);
      if (!where) {
        out.push({
          level: 'FAIL',
          message: `${r.n} ${r.kind} sealed with key id ${r.key_id}, which is neither ENCRYPTION_KEY nor in ENCRYPTION_KEYS_PREVIOUS`,
        });
      } else if (where === 'ENCRYPTION_KEYS_PREVIOUS') {
        out.push({
          level: 'WARN',
          message: `${r.n} ${r.kind} still under previous key id ${r.key_id}: keep it until the rewrap job reports none left`,
        });
      }
    }
    return out;
  } catch (e) {
    return [{ level: 'WARN', message: `could not count vault values per key id: ${(e as Error).message}` }];
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--env-file');
  const file = i > 0 ? process.argv[i + 1] : existsSync('.env') ? '.env' : undefined;
  const env: Env = { ...process.env };
  if (file) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
      if (m) env[m[1]] = m[2].replace(/^["']|["']$/g, '');
    }
  }
  const findings = securityFindings(env);
  if (env.DATABASE_URL && !process.argv.includes('--no-db')) {
    findings.push(...(await devUserFindings(env.DATABASE_URL)), ...(await vaultKeyFindings(env.DATABASE_URL, env)));
  }
  for (const f of findings) console.log(`${f.level}  ${f.message}`);
  const fails = findings.filter((f) => f.level === 'FAIL').length;
  console.log(fails ? `\n${fails} problem(s): NOT safe for production.` : '\nOK: no blocking problem found.');
  process.exit(fails ? 1 : 0);
}

if (require.main === module) void main();
