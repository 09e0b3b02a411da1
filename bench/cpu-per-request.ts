/**
 * CPU per request (issue 16): on a shared machine wall-clock ratios are noise, CPU time is not. Starts the
 * compiled server (as bench/run.ts does) and the floor on a fresh database, then for each of
 *  (a) GET /api/v1/funds (auth) on ours and on the floor, (b) subscribe/cancel, (c) loan payments
 * runs a fixed load and prints the CPU the server process and the database's backends spent per answered
 * request (from /proc/<pid>/stat before and after; the load generator's own CPU is not counted).
 *   BENCH_SECONDS=6 npx ts-node --transpile-only -r tsconfig-paths/register bench/cpu-per-request.ts
 * Env: BENCH_PG_URL, BENCH_SECONDS (6), BENCH_ONLY (e.g. "a,b"), BENCH_CPU_PROF (a directory: the server runs with
 * `--cpu-prof` and writes its profile there on exit).
 */
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { api, BENCH_SERVER_ENV, dropBenchDatabase, freePort, freshBenchDatabase, load, runBench, startProcess, stopProcess } from './lib';
import { fundsRun } from './funds-subscribe';
import { loansRun, openLoans } from './loans-payments';

const PG = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const DB = 'fintech_bench_cpu_app';
const APP_DB = `${PG}/${DB}`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'a,b,c').split(',').map((x) => x.trim()));
const CLIENTS = 32;

/** utime + stime of a process, in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime: fields 14 and 15 of stat
  } catch {
    return 0; // exited
  }
}

async function backendPids(admin: Client): Promise<number[]> {
  const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [DB]);
  return rows.map((r: { pid: number }) => r.pid);
}

/** Runs `work` (which answers how many requests it completed) and prints the CPU per request. */
async function measure(name: string, server: ChildProcess, admin: Client, work: () => Promise<number>): Promise<void> {
  const xacts = async () =>
    (await admin.query('SELECT xact_commit::int AS c, xact_rollback::int AS r FROM pg_stat_database WHERE datname = $1', [DB])).rows[0] as {
      c: number;
      r: number;
    };
  const xactsBefore = await xacts();
  const before = new Map((await backendPids(admin)).map((p) => [p, cpuMs(p)]));
  const serverBefore = cpuMs(server.pid!);
  const start = Date.now();
  const done = await work();
  const wall = (Date.now() - start) / 1000;
  const serverMs = cpuMs(server.pid!) - serverBefore;
  let dbMs = 0;
  for (const p of await backendPids(admin)) dbMs += cpuMs(p) - (before.get(p) ?? 0); // a backend started meanwhile counts whole
  const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  await new Promise((r) => setTimeout(r, 600)); // statistics reach pg_stat_database within ~0.5 s
  const xactsAfter = await xacts();
  const commits = (xactsAfter.c - xactsBefore.c) / done;
  const rollbacks = (xactsAfter.r - xactsBefore.r) / done;
  console.log(
    `${name.padEnd(34)} ${String(done).padStart(6)} req  server ${(serverMs / done).toFixed(3)} ms/req  db ${(dbMs / done).toFixed(3)} ms/req  ` +
      `db commits ${commits.toFixed(2)}/req, rollbacks ${rollbacks.toFixed(2)}/req (any process's)  ` +
      `(${(done / wall).toFixed(0)} req/s wall, load ${load1})`,
  );
}

async function main(): Promise<void> {
  const secrets = { SECRET_KEY: randomBytes(48).toString('base64url'), ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  await freshBenchDatabase(APP_DB);
  const admin = new Client({ connectionString: `${PG}/postgres` });
  await admin.connect();
  const port = await freePort();
  const floorPort = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let app: ChildProcess | undefined;
  let floor: ChildProcess | undefined;
  try {
    app = await startProcess(
      'src/main.ts',
      {
        ...BENCH_SERVER_ENV,
        ...secrets,
        DATABASE_URL: APP_DB,
        DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '10',
        SEED_ON_BOOT: 'true',
        ACCESS_TOKEN_TTL_SECONDS: '3600',
        RATE_LIMIT_LOGIN_PER_MIN: '100000000',
        LOGIN_MAX_FAILURES_PER_IP_PER_HOUR: '100000',
      },
      port,
      '/healthz',
      [
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
        ...(process.env.BENCH_SERVER_PRELOAD ? ['-r', process.env.BENCH_SERVER_PRELOAD] : []),
      ],
    );
    floor = await startProcess('bench/baseline-server.ts', { DATABASE_URL: APP_DB, SECRET_KEY: secrets.SECRET_KEY }, floorPort);
    const tokens: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const email = `cpu.${Date.now()}.${i}@example.com`;
      await api(base, '/auth/register', { method: 'POST', body: { email, password: 'Secret123!' } });
      tokens.push((await api(base, '/auth/login', { method: 'POST', body: { email, password: 'Secret123!' } })).body.access_token);
    }
    const headers = { authorization: `Bearer ${tokens[0]}` };
    if (ONLY.has('a')) {
      await load({ url: `${base}/api/v1/funds`, duration: 2, headers }); // warm-up (JIT, caches)
      await load({ url: `http://127.0.0.1:${floorPort}/api/v1/funds`, duration: 2, headers });
      await measure('(a) GET /api/v1/funds ours', app, admin, async () => {
        const r = await load({ url: `${base}/api/v1/funds`, duration: SECONDS, headers });
        return Math.round(r.rps * SECONDS);
      });
      await measure('(a) GET /api/v1/funds floor', floor, admin, async () => {
        const r = await load({ url: `http://127.0.0.1:${floorPort}/api/v1/funds`, duration: SECONDS, headers });
        return Math.round(r.rps * SECONDS);
      });
    }
    if (ONLY.has('b'))
      await measure('(b) subscribe/cancel', app, admin, async () => {
        const r = await fundsRun(base, tokens, SECONDS);
        if (r.broken || r.s5xx) throw new Error(`(b): ${r.broken} broken invariants, ${r.s5xx} 5xx`);
        if (r.non2xx || r.errors) console.log(`(b): ${r.non2xx} non-2xx, ${r.errors} errors, p99 ${r.p99} ms`);
        return Math.round(r.tps * SECONDS);
      });
    if (ONLY.has('c')) {
      const adminToken = (await api(base, '/api/auth/token/', { method: 'POST', body: { username: 'admin', password: 'admin1234' } })).body
        .access;
      const borrowers = await openLoans(base, adminToken, tokens);
      await measure('(c) loan payments', app, admin, async () => {
        const r = await loansRun(base, borrowers, SECONDS);
        if (r.broken || r.s5xx) throw new Error(`(c): ${r.broken} broken invariants, ${r.s5xx} 5xx`);
        if (r.non2xx || r.errors) console.log(`(c): ${r.non2xx} non-2xx, ${r.errors} errors, p99 ${r.p99} ms`);
        return Math.round(r.tps * SECONDS);
      });
    }
  } finally {
    await Promise.all([app && stopProcess(app), floor && stopProcess(floor)]);
    await admin.end();
    await dropBenchDatabase(APP_DB);
  }
}

runBench(main);
