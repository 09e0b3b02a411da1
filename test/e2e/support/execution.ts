import { startTestApp, TestApp } from '@testing/test-app';
import { BinanceFake } from '../../fakes/binance-fake';
import { IbkrFake } from '../../fakes/ibkr-fake';

export const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
export const API_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

export async function saveSecrets(t: TestApp, tok: string, exchange: string, api_key: string, api_secret: string) {
  const res = await t.http.post('/users/exchange-secrets').set('Authorization', `Bearer ${tok}`).send({ exchange, api_key, api_secret });
  expect([200, 201]).toContain(res.status);
}

export interface ExecutionApp {
  t: TestApp;
  binance: BinanceFake;
  /** A registered user whose Binance (API_KEY) and IBKR keys are saved. */
  token: string;
  userId: string;
  close(): Promise<void>;
}

/** The app against the Binance testnet and IBKR fakes, with one user who has keys for both. */
export async function startExecutionApp(): Promise<ExecutionApp> {
  const binance = new BinanceFake();
  const ibkr = new IbkrFake();
  const [bUrl, iUrl] = await Promise.all([binance.start(), ibkr.start()]);
  binance.addAccount(API_KEY, API_SECRET);
  const t = await startTestApp({
    env: {
      BINANCE_TESTNET_BASE_URL: bUrl,
      IBKR_BASE_URL: iUrl,
      EXCHANGE_MAX_RETRIES: '2',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
    },
  });
  const u = await t.register();
  await saveSecrets(t, u.token, 'BINANCE', API_KEY, API_SECRET);
  await saveSecrets(t, u.token, 'IBKR', 'TU_IBKR_API_KEY', 'TU_IBKR_API_SECRET');
  const close = async () => {
    await t.close();
    await Promise.all([binance.close(), ibkr.close()]);
  };
  return { t, binance, token: u.token, userId: u.id, close };
}
