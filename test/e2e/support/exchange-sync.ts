import { Notifier } from '@kernel';
import { startTestApp, TestApp } from '@testing/test-app';
import { CryptoComFake } from '../../fakes/cryptocom-fake';

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
let keySeq = 0;

/** Stores a user's exchange key (POST /users/exchange-secrets); the caller states what it expects of the answer. */
export const saveSecret = (t: TestApp, token: string, apiKey: string, secret: string, exchange = 'CRYPTO_COM') =>
  t.http.post('/users/exchange-secrets').set(auth(token)).send({ exchange, api_key: apiKey, api_secret: secret });

export async function userWithAccount(t: TestApp, fake: CryptoComFake, balances: Record<string, string> = { BTC: '0.5', USDT: '1000' }) {
  const u = await t.register();
  const apiKey = `ck-${process.pid}-${++keySeq}`;
  const secret = `cs-${keySeq}-0123456789abcdef`;
  fake.addAccount(apiKey, secret, balances);
  const saved = await saveSecret(t, u.token, apiKey, secret);
  expect(saved.status).toBeLessThan(300);
  return { ...u, apiKey, secret };
}

export interface SyncApp {
  fake: CryptoComFake;
  t: TestApp;
  admin: string;
  /** What the notifier was given, in order (it sends nothing). */
  sent: unknown[];
  close(): Promise<void>;
}

/** The app against the crypto.com fake (1 s timeout, 1 retry), its notifier recording instead of sending. */
export async function startSyncApp(): Promise<SyncApp> {
  const sent: unknown[] = [];
  const fake = new CryptoComFake();
  await fake.start();
  const t = await startTestApp({
    env: { CRYPTO_COM_BASE_URL: fake.url, EXCHANGE_HTTP_TIMEOUT_MS: '1000', EXCHANGE_MAX_RETRIES: '1' },
    override: (b) =>
      b.overrideProvider(Notifier).useValue({
        send: async (n: unknown) => {
          sent.push(n);
          return { status: 'sent', adapter: 'test' };
        },
      }),
  });
  const close = async () => {
    await t.close();
    await fake.stop();
  };
  return { fake, t, admin: await t.adminToken(), sent, close };
}
