import { BinanceFake } from '../test/fakes/binance-fake';
import { CryptoComFake } from '../test/fakes/cryptocom-fake';
import { IbkrFake } from '../test/fakes/ibkr-fake';

/** The API keys the README, the Postman collection and docs:check store in the vault; the fakes know them. */
export const DEMO_KEYS = {
  binance: { api_key: 'TU_BINANCE_API_KEY', api_secret: 'TU_BINANCE_API_SECRET' },
  cryptoCom: { api_key: 'CRYPTO_COM_DEMO_KEY', api_secret: 'CRYPTO_COM_DEMO_SECRET' },
};

export interface RunningFakes {
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** The shipped Binance, IBKR and crypto.com fakes on 127.0.0.1 (port 0 = any free port). */
export async function startFakes(ports = { binance: 0, ibkr: 0, cryptoCom: 0 }): Promise<RunningFakes> {
  const binance = new BinanceFake();
  const ibkr = new IbkrFake();
  const cryptoCom = new CryptoComFake();
  binance.addAccount(DEMO_KEYS.binance.api_key, DEMO_KEYS.binance.api_secret);
  cryptoCom.addAccount(DEMO_KEYS.cryptoCom.api_key, DEMO_KEYS.cryptoCom.api_secret, { BTC: '0.5', USDT: '1000' });
  // 200 hourly candles (a slow wave, whole cents) so signals have something to compute on.
  const wave = (base: number, amp: number) =>
    Array.from({ length: 200 }, (_, i) => (base + Math.round(amp * Math.sin(i / 9) * 100) / 100).toFixed(2));
  cryptoCom.setCloses('BTC_USDT', wave(60000, 900));
  cryptoCom.setCloses('ETH_USDT', wave(3000, 60));
  const binanceUrl = await binance.start(ports.binance);
  const env = {
    BINANCE_TESTNET_BASE_URL: binanceUrl,
    // Paper trading reads the real exchange's public prices: the fake stands in for it too.
    BINANCE_BASE_URL: binanceUrl,
    IBKR_BASE_URL: await ibkr.start(ports.ibkr),
    IBKR_ACCOUNT_ID: ibkr.accounts[0],
    CRYPTO_COM_BASE_URL: await cryptoCom.start(ports.cryptoCom),
  };
  return { env, stop: async () => void (await Promise.all([binance.close(), ibkr.close(), cryptoCom.stop()])) };
}

/** `npm run fakes`: runs until Ctrl-C and prints the lines that point the server at the fakes. */
if (require.main === module) {
  const base = Number(process.env.FAKES_PORT_BASE ?? 18080);
  startFakes({ binance: base + 1, ibkr: base + 2, cryptoCom: base + 3 })
    .then((f) => {
      console.log('# exchange fakes running (Ctrl-C stops them); start the server with these lines in .env or the environment:');
      for (const [k, v] of Object.entries(f.env)) console.log(`${k}=${v}`);
      console.log(
        `# demo keys they accept: BINANCE ${DEMO_KEYS.binance.api_key}/${DEMO_KEYS.binance.api_secret}, CRYPTO_COM ${DEMO_KEYS.cryptoCom.api_key}/${DEMO_KEYS.cryptoCom.api_secret}`,
      );
      const stop = () => void f.stop().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((e: unknown) => {
      console.error((e as Error).message);
      process.exit(1);
    });
}
