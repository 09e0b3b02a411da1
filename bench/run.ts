/**
 * `npm run bench`: ONE table of ratios, each measured A B A B in the same run, median of three.
 *  (a) authenticated GET /api/v1/funds vs a bare Fastify + pg + HS256 floor (same database, same token)
 *  (b) subscribe/cancel transactions/s at 32 clients vs pgbench TPC-B-like (scale 4, 32 clients, same server)
 *  (c) loan payments/s at 32 clients vs the same pgbench run
 *  (d) /healthz p99 during a 50-way bcrypt login storm vs quiet
 *  (e) exchange-sync scale (bench/exchange-sync-scale.ts: BENCH_USERS, default 5000), run after the rest
 * Rate limits are raised; non-2xx answers are counted; any 5xx or broken invariant fails the run.
 * Needs a PostgreSQL server (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432) and pgbench;
 * its databases fintech_bench_perf_app and fintech_bench_perf_pgbench are created and dropped.
 * Env: BENCH_SECONDS (8), BENCH_POOL_SIZE (the server's DATABASE_POOL_SIZE, 10), BENCH_ONLY (rows to run, e.g. "b,c"
 * for a pool-size sweep; default all), BENCH_KEEP=1 (keep the app database afterwards, for EXPLAIN).
 */
import { ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  api,
  BENCH_SERVER_ENV,
  dropBenchDatabase,
  freePort,
  freshBenchDatabase,
  median,
  ROOT,
  runBench,
  startProcess,
  stopProcess,
} from './lib';
import { catalogueRound, healthzRound } from './platform';
import { fundsRun, WriteRun } from './funds-subscribe';
import { loansRun, openLoans } from './loans-payments';
import { pgbenchInit, pgbenchRun } from './pgbench';

const PG = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const APP_DB = `${PG}/fintech_bench_perf_app`;
const PGBENCH_DB = `${PG}/fintech_bench_perf_pgbench`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CLIENTS = 32;
const ROUNDS = 3;
const ONLY = new Set((process.env.BENCH_ONLY ?? 'a,b,c,d,e').split(',').map((x) => x.trim()));
const log = (s: string) => process.stderr.write(`· ${s}\n`);

interface Row {
  measure: string;
  ours: string;
  floor: string;
  ratio: string;
  goal: string;
  'non-2xx': string | number;
  verdict: string;
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

function row(
  measure: string,
  ours: number[],
  floor: number[],
  ratios: number[],
  goal: number,
  higherIsBetter: boolean,
  non2xx: number,
  unit: string,
): Row {
  const r = median(ratios);
  const met = higherIsBetter ? r >= goal : r <= goal;
  return {
    measure,
    ours: `${fmt(median(ours))} ${unit}`,
    floor: `${fmt(median(floor))} ${unit}`,
    ratio: `${r.toFixed(2)} (${ratios.map((x) => x.toFixed(2)).join(' ')})`,
    goal: `${higherIsBetter ? '>=' : '<='} ${goal}`,
    'non-2xx': non2xx,
    verdict: met ? 'met' : 'below goal',
  };
}

/** (e): the exchange-sync scale bench in its own process (BENCH_USERS users, 1 / 2 / 4 instances); its last output line is its figure. */
function syncScaleRow(failures: string[]): Row {
  const file = join(ROOT, 'bench/exchange-sync-scale.ts');
  log('(e) bench/exchange-sync-scale.ts');
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', file], {
    cwd: ROOT,
    env: { ...process.env, TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? `${PG}/test` },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stderr.write(r.stdout ?? '');
  const lines = (r.stdout ?? '').split('\n').filter((l) => l.trim());
  const ratioLine = [...lines].reverse().find((l) => /ratio|x\b/i.test(l)) ?? lines.at(-1) ?? '';
  const ratio = /(\d+\.\d+)\s*x?/.exec(ratioLine.split(/ratio/i).pop() ?? '')?.[1] ?? '';
  if (r.status !== 0) failures.push(`(e) exchange-sync-scale exited ${r.status}: ${(r.stderr ?? '').slice(-500)}`);
  return {
    measure: '(e) exchange-sync scale',
    ours: ratioLine.trim().slice(0, 80),
    floor: '',
    ratio: ratio || 'see line',
    goal: 'grows with instances',
    'non-2xx': '',
    verdict: r.status === 0 ? 'ran' : 'FAILED',
  };
}

async function main(): Promise<void> {
  const failures: string[] = [];
  const secrets = { SECRET_KEY: randomBytes(48).toString('base64url'), ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  await freshBenchDatabase(APP_DB);
  await freshBenchDatabase(PGBENCH_DB);
  log('pgbench -i -s 4');
  pgbenchInit(PGBENCH_DB, 4);
  const appPort = await freePort();
  const floorPort = await freePort();
  const base = `http://127.0.0.1:${appPort}`;
  let app: ChildProcess | undefined;
  let floorApp: ChildProcess | undefined;
  try {
    log('starting the compiled server and the floor');
    app = await startProcess(
      'src/main.ts',
      {
        ...BENCH_SERVER_ENV,
        ...secrets,
        DATABASE_URL: APP_DB,
        DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '10', // the app's default; 5, 10, 20 measured: bench/PROFILE.md
        SEED_ON_BOOT: 'true', // admin/admin1234 approves the loans
        ACCESS_TOKEN_TTL_SECONDS: '3600',
        RATE_LIMIT_LOGIN_PER_MIN: '100000000',
        LOGIN_MAX_FAILURES_PER_IP_PER_HOUR: '100000',
      },
      appPort,
    );
    floorApp = await startProcess('bench/baseline-server.ts', { DATABASE_URL: APP_DB, SECRET_KEY: secrets.SECRET_KEY }, floorPort);
    log(`registering ${CLIENTS} users, opening their loans`);
    const password = 'Secret123!';
    const emails = Array.from({ length: CLIENTS }, (_, i) => `bench.${Date.now()}.${i}@example.com`);
    const tokens: string[] = [];
    for (let i = 0; i < CLIENTS; i += 4) {
      const batch = await Promise.all(
        emails.slice(i, i + 4).map(async (email) => {
          const reg = await api(base, '/auth/register', { method: 'POST', body: { email, password } });
          if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
          return (await api(base, '/auth/login', { method: 'POST', body: { email, password } })).body.access_token as string;
        }),
      );
      tokens.push(...batch);
    }
    const admin = (await api(base, '/api/auth/token/', { method: 'POST', body: { username: 'admin', password: 'admin1234' } })).body.access;
    const borrowers = await openLoans(base, admin, tokens);

    const a = { ours: [] as number[], floor: [] as number[], ratio: [] as number[], non2xx: 0 };
    const d = { ours: [] as number[], floor: [] as number[], ratio: [] as number[], non2xx: 0 };
    const pg: number[] = [];
    const b: WriteRun[] = [];
    const c: WriteRun[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      if (ONLY.has('a')) {
        log(`round ${round}/${ROUNDS}: (a) catalogue`);
        const cat = await catalogueRound(base, `http://127.0.0.1:${floorPort}`, tokens[0], SECONDS);
        (a.ours.push(cat.ours.rps), a.floor.push(cat.floor.rps), a.ratio.push(cat.ours.rps / cat.floor.rps));
        a.non2xx += cat.ours.non2xx + cat.floor.non2xx;
        if (cat.ours.s5xx + cat.floor.s5xx) failures.push(`(a) round ${round}: ${cat.ours.s5xx + cat.floor.s5xx} 5xx`);
      }
      if (ONLY.has('d')) {
        log(`round ${round}/${ROUNDS}: (d) healthz quiet / login storm`);
        const h = await healthzRound(base, { email: emails[0], password }, SECONDS);
        (d.ours.push(h.ours.p99), d.floor.push(h.floor.p99), d.ratio.push(h.ours.p99 / Math.max(h.floor.p99, 1)));
        d.non2xx += h.ours.non2xx + h.floor.non2xx + h.storm.non2xx;
        if (h.ours.s5xx + h.floor.s5xx + h.storm.s5xx) failures.push(`(d) round ${round}: 5xx answers`);
      }
      if (!ONLY.has('b') && !ONLY.has('c')) continue;
      log(`round ${round}/${ROUNDS}: (b, c) pgbench / subscribe-cancel / loan payments`);
      pg.push(pgbenchRun(PGBENCH_DB, CLIENTS, SECONDS));
      if (ONLY.has('b')) b.push(await fundsRun(base, tokens, SECONDS));
      if (ONLY.has('c')) c.push(await loansRun(base, borrowers, SECONDS));
      for (const [name, w] of [
        ['(b)', b.at(-1)],
        ['(c)', c.at(-1)],
      ] as const) {
        if (!w) continue;
        if (w.s5xx) failures.push(`${name} round ${round}: ${w.s5xx} 5xx`);
        if (w.broken) failures.push(`${name} round ${round}: ${w.broken} broken invariants`);
      }
    }
    const sum = (xs: WriteRun[], k: 'non2xx') => xs.reduce((s, x) => s + x[k], 0);
    const all: (Row | false)[] = [
      ONLY.has('a') && row('(a) GET /api/v1/funds (auth), req/s', a.ours, a.floor, a.ratio, 1.0, true, a.non2xx, 'req/s'),
      ONLY.has('b') &&
        row(
          '(b) subscribe/cancel vs pgbench TPC-B, tx/s',
          b.map((x) => x.tps),
          pg,
          b.map((x, i) => x.tps / pg[i]),
          0.5,
          true,
          sum(b, 'non2xx'),
          'tx/s',
        ),
      ONLY.has('c') &&
        row(
          '(c) loan payments vs pgbench TPC-B, tx/s',
          c.map((x) => x.tps),
          pg,
          c.map((x, i) => x.tps / pg[i]),
          0.5,
          true,
          sum(c, 'non2xx'),
          'tx/s',
        ),
      ONLY.has('d') && row('(d) /healthz p99 ms: login storm vs quiet', d.ours, d.floor, d.ratio, 10, false, d.non2xx, 'ms'),
    ];
    const rows = all.filter((r): r is Row => r !== false);
    await Promise.all([stopProcess(app), stopProcess(floorApp)]);
    if (ONLY.has('e')) rows.push(syncScaleRow(failures));
    console.table(rows);
    const p99 = (xs: WriteRun[]) => median(xs.map((x) => x.p99));
    if (b.length) {
      const paths = { cached: 0, read: 0, locked: 0 };
      for (const run of b) for (const k of ['cached', 'read', 'locked'] as const) paths[k] += run.paths?.[k] ?? 0;
      const all = paths.cached + paths.read + paths.locked;
      console.log(
        `(b) money moves by path, all rounds: cached ${paths.cached}, read ${paths.read}, locked ${paths.locked}` +
          ` (fell back from the one-statement path: ${((100 * (all - paths.cached)) / Math.max(all, 1)).toFixed(2)} %)`,
      );
    }
    console.log(
      `${CLIENTS} clients, ${SECONDS} s per run, ${ROUNDS} rounds A B A B, pool ${process.env.BENCH_POOL_SIZE ?? '10'}; p99 subscribe/cancel ${p99(b)} ms, loan payments ${p99(c)} ms; ` +
        `invariants checked after every run: ${b.concat(c).every((x) => !x.broken) ? 'intact' : 'BROKEN'}`,
    );
    if (failures.length) {
      console.log(`FAILED RUN:\n  ${failures.join('\n  ')}`);
      process.exitCode = 1;
    }
  } finally {
    await Promise.all([app && stopProcess(app), floorApp && stopProcess(floorApp)]);
    // BENCH_KEEP=1 leaves the app's database behind, to EXPLAIN its statements by hand afterwards.
    if (!process.env.BENCH_KEEP) await dropBenchDatabase(APP_DB);
    await dropBenchDatabase(PGBENCH_DB);
  }
}

runBench(main);
