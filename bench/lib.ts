import autocannon from 'autocannon';
import { ChildProcess, execSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';

export const ROOT = join(__dirname, '..');

export { freePort } from '../libs/nest/net/free-port';
import { migrateTemplate, templateDb } from '../libs/testing/test-database';

/** The server under test, configured for load from one client: limits that do not throttle it, quiet logs, no jobs. */
export const BENCH_SERVER_ENV: Record<string, string> = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  SCHEDULER_ENABLED: 'false',
  RATE_LIMIT_DEFAULT_PER_MIN: '100000000',
  RATE_LIMIT_REGISTER_PER_MIN: '100000',
  RATE_LIMIT_LOGIN_PER_MIN: '100000',
  ALLOWED_HOSTS: '127.0.0.1,localhost',
};

let built = false;

/** The server is measured as it runs in production: compiled (`npm run build`), not under ts-node. */
function serverCommand(entry: string): { args: string[]; env: Record<string, string> } {
  if (entry !== 'src/main.ts') return { args: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', entry], env: {} };
  if (!built) {
    execSync('node scripts/install-build.js', { cwd: ROOT, stdio: 'ignore' }); // builds only when dist/ is stale
    built = true;
  }
  return { args: ['-r', 'tsconfig-paths/register', 'dist/src/main.js'], env: { TS_NODE_BASEURL: './dist' } };
}

/** Runs an entry point in its own process (so load generation does not share its event loop). */
export async function startProcess(
  entry: string,
  env: Record<string, string>,
  port: number,
  readyPath = '/healthz',
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  let out = '';
  const command = serverCommand(entry);
  const proc = spawn(process.execPath, [...nodeArgs, ...command.args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...command.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
  });
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 180_000; // a fresh database runs every migration first: slow on a busy machine
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${entry} exited: ${out.slice(-2000)}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}${readyPath}`)).status < 500) return proc;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill('SIGKILL');
  throw new Error(`${entry} did not start: ${out.slice(-2000)}`);
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** 5xx answers: any one fails the bench. */
  s5xx: number;
}

export async function load(opts: autocannon.Options): Promise<LoadResult> {
  const r = await autocannon({ duration: 8, connections: 32, ...opts });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, s5xx: r['5xx'] };
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function table(rows: Record<string, string | number>[]): void {
  console.table(rows);
}

/** Drops a benchmark database (its name must contain "bench"), then creates it again unless `recreate` is false. */
export async function freshBenchDatabase(url: string, recreate = true): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z0-9_]*bench[a-z0-9_]*$/.test(name)) throw new Error(`benchmark database name must contain "bench" (got ${name})`);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    if (recreate) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

export const dropBenchDatabase = (url: string): Promise<void> => freshBenchDatabase(url, false);

/** A JSON call to the server under test (setup and invariant checks, not the measured load). */
export async function api(
  base: string,
  path: string,
  opts: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, {
    method: opts.method ?? 'GET',
    headers: {
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** SIGTERM, and wait until the process has exited (graceful shutdown included). */
export async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return; // already gone (a SIGTERM'd process has no exit code)
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

/** Runs a bench's main; any error fails the process with a non-zero exit. */
export function runBench(main: () => Promise<void>): void {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

/** Starts `script --child` (a bench instance in its own process) and resolves once it prints READY. */
export function spawnBenchChild(script: string, env: Record<string, string>): Promise<ChildProcess> {
  // BENCH_CPU_PROF (a directory): the child writes a `--cpu-prof` profile there when it exits.
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const proc = spawn(
    process.execPath,
    [...prof, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', script, '--child'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('READY')) resolve(proc);
    });
    proc.once('exit', (code) => reject(new Error(`instance exited ${code}: ${out.slice(-500)}`)));
  });
}

/**
 * Runs `work` with the test harness's migrated template database on TEST_DATABASE_URL's server (benches that
 * clone a database per run): migrates it when missing and drops it afterwards only if this run created it.
 */
export async function withMigratedTemplate<T>(work: () => Promise<T>): Promise<T> {
  if (!process.env.TEST_DATABASE_URL) throw new Error('set TEST_DATABASE_URL (a PostgreSQL server)');
  const c = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await c.connect();
  const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [templateDb()]);
  const created = !rowCount;
  try {
    if (created) await migrateTemplate();
    return await work();
  } finally {
    if (created) await c.query(`DROP DATABASE IF EXISTS ${templateDb()} WITH (FORCE)`);
    await c.end();
  }
}
