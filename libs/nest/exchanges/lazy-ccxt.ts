import type * as Ccxt from 'ccxt';

let loaded: typeof Ccxt | undefined;

function load(): typeof Ccxt {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the point: required on first use, not at import
  return (loaded ??= require('ccxt') as typeof Ccxt);
}

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
