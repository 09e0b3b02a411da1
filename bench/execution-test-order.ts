/**
 * What the test-order path adds over the Binance fake's own latency.
 * The real server (src/main.ts, own process, embedded PGlite in a temp dir) talks
 * to the in-process Binance fake. 50 sequential calls each of:
 *   fake   : a hand-signed POST /api/v3/order/test straight to the fake
 *   LIMIT  : POST /ops/execution/binance/test-order with a price (1 upstream call)
 *   MARKET : the runbook's order (the risk manager also reads the last price: 2 upstream calls)
 * exchangeInfo is cached after the warm-up. Medians in ms.
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/execution-test-order.ts
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinanceFake } from '../test/fakes/binance-fake';
import { freePort, median, startProcess, table } from './lib';

const N = 50;
const KEY = 'benchKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS';
const SECRET = 'benchSecret0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP';

async function timed(fn: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}

async function main(): Promise<void> {
  const fake = new BinanceFake();
  const fakeUrl = await fake.start();
  fake.addAccount(KEY, SECRET);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-exec-'));
  const port = await freePort();
  const proc = await startProcess(
    'src/main.ts',
    {
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      SCHEDULER_ENABLED: 'false',
      SEED_ON_BOOT: 'false',
      RATE_LIMIT_DEFAULT_PER_MIN: '100000',
      RATE_LIMIT_REGISTER_PER_MIN: '1000',
      RATE_LIMIT_LOGIN_PER_MIN: '1000',
      BINANCE_TESTNET_BASE_URL: fakeUrl,
    },
    port,
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const email = `bench.${Date.now()}@example.com`;
    await post('/auth/register', { email, password: 'Trader123!' });
    const token = ((await (await post('/auth/login', { email, password: 'Trader123!' })).json()) as { access_token: string }).access_token;
    const saved = await post('/users/exchange-secrets', { exchange: 'BINANCE', api_key: KEY, api_secret: SECRET }, token);
    if (saved.status >= 300) throw new Error(`saving secrets: ${saved.status}`);

    const order = async (body: object) => {
      const r = await post('/ops/execution/binance/test-order', body, token);
      if (r.status !== 200) throw new Error(`test-order ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    };
    const direct = async () => {
      const form = `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=bench${Math.random().toString(36).slice(2, 12)}&recvWindow=5000&timestamp=${Date.now()}`;
      const signature = createHmac('sha256', SECRET).update(form).digest('hex');
      const r = await fetch(`${fakeUrl}/api/v3/order/test`, {
        method: 'POST',
        headers: { 'X-MBX-APIKEY': KEY, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `${form}&signature=${signature}`,
      });
      if (r.status !== 200) throw new Error(`fake ${r.status}`);
      await r.arrayBuffer();
    };
    const market = { symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 };
    const limit = { symbol: 'BTCUSDT', side: 'BUY', qty: 0.01, price: 60000 };
    for (let i = 0; i < 10; i++) {
      await direct();
      await order(market);
      await order(limit);
    }
    const fakeMs = median(await timed(direct));
    const limitMs = median(await timed(() => order(limit)));
    const marketMs = median(await timed(() => order(market)));
    table([
      { path: 'fake alone (signed POST /api/v3/order/test)', median_ms: fakeMs.toFixed(2), added_ms: '-' },
      { path: 'test-order LIMIT (1 upstream call)', median_ms: limitMs.toFixed(2), added_ms: (limitMs - fakeMs).toFixed(2) },
      {
        path: 'test-order MARKET, runbook (ticker + order/test)',
        median_ms: marketMs.toFixed(2),
        added_ms: (marketMs - fakeMs).toFixed(2),
      },
    ]);
  } finally {
    proc.kill('SIGTERM');
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
