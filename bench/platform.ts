/**
 * Platform quality bars (DESIGN.md section 5), measured in one run:
 *  1. authenticated GET /api/v1/funds on our server vs a bare Fastify + pg
 *     baseline doing the same query (target: >= 50% of the baseline);
 *  2. /healthz p99 alone vs during a bcrypt login storm (the hashing runs on
 *     libuv's pool, so the event loop must stay responsive).
 * Needs a PostgreSQL server (both servers read the same database):
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/fintech_bench_platform \
 *     npx ts-node --transpile-only -r tsconfig-paths/register bench/platform.ts
 */
import { BENCH_SERVER_ENV, freePort, freshBenchDatabase, load, median, runBench, startProcess, stopProcess, table } from './lib';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/fintech_bench_platform';

async function main(): Promise<void> {
  await freshBenchDatabase(url);
  const appPort = await freePort();
  const app = await startProcess(
    'src/main.ts',
    { ...BENCH_SERVER_ENV, DATABASE_URL: url, RATE_LIMIT_LOGIN_PER_MIN: '100000000', LOGIN_MAX_FAILURES_PER_HOUR: '100' },
    appPort,
  );
  const basePort = await freePort();
  const baseline = await startProcess('bench/baseline-server.ts', { DATABASE_URL: url }, basePort);
  try {
    const base = `http://127.0.0.1:${appPort}`;
    const email = `bench.${Date.now()}@example.com`;
    await fetch(`${base}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'Trader123!' }),
    });
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'Trader123!' }),
    });
    const { access_token } = (await login.json()) as { access_token: string };

    const runs = { app: [] as number[], baseline: [] as number[], appP99: [] as number[], baseP99: [] as number[] };
    for (let i = 0; i < 3; i++) {
      const b = await load({ url: `http://127.0.0.1:${basePort}/api/v1/funds`, connections: 32, duration: 6 });
      const a = await load({
        url: `${base}/api/v1/funds`,
        connections: 32,
        duration: 6,
        headers: { authorization: `Bearer ${access_token}` },
      });
      if (a.non2xx || b.non2xx) throw new Error(`non-2xx answers: app ${a.non2xx}, baseline ${b.non2xx}`);
      runs.app.push(a.rps);
      runs.baseline.push(b.rps);
      runs.appP99.push(a.p99);
      runs.baseP99.push(b.p99);
    }
    const appRps = median(runs.app);
    const baseRps = median(runs.baseline);

    const quiet = await load({ url: `${base}/healthz`, connections: 4, duration: 5 });
    const [storm, during] = await Promise.all([
      load({
        url: `${base}/auth/login`,
        method: 'POST',
        connections: 16,
        duration: 8,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'Trader123!' }),
      }),
      load({ url: `${base}/healthz`, connections: 4, duration: 8 }),
    ]);

    table([
      {
        measure: 'GET /api/v1/funds (auth) req/s, median of 3',
        ours: Math.round(appRps),
        baseline: Math.round(baseRps),
        ratio: (appRps / baseRps).toFixed(2),
      },
      { measure: 'GET /api/v1/funds p99 ms, median of 3', ours: median(runs.appP99), baseline: median(runs.baseP99), ratio: '' },
      {
        measure: '/healthz p99 ms: quiet vs during login storm',
        ours: during.p99,
        baseline: quiet.p99,
        ratio: (during.p99 / Math.max(quiet.p99, 1)).toFixed(2),
      },
      { measure: 'login storm: logins/s (bcrypt cost 12), non-2xx', ours: Math.round(storm.rps), baseline: storm.non2xx, ratio: '' },
    ]);
  } finally {
    await Promise.all([stopProcess(app), stopProcess(baseline)]);
  }
}

runBench(main);
