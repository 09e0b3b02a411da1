import type * as Ccxt from 'ccxt';
import { lazyRequire } from '../lazy-require';

const load = lazyRequire<typeof Ccxt>('ccxt');

/**
 * ccxt, loaded on first use instead of at boot: requiring it costs about 65 MB of
 * RSS and 0.4 s of CPU on a quiet machine (several seconds on a busy one), for a
 * library the server needs only when an exchange call happens. Import this
 * instead of 'ccxt' (types: `import type * as Ccxt from 'ccxt'`); it behaves as
 * the module (`new ccxt.binance(...)`, `e instanceof ccxt.NetworkError`).
 */
export const ccxt: typeof Ccxt = new Proxy({} as typeof Ccxt, {
  get: (_target, key) => Reflect.get(load(), key),
  has: (_target, key) => key in load(),
});
