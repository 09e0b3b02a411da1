import { Injectable } from '@nestjs/common';
import type * as Ccxt from 'ccxt';
import { ccxt } from '@platform/exchanges/lazy-ccxt';
import type { ExchangeCredentials } from '../../../vault';
import { AppConfig } from '@platform/config/app-config';
import { ExchangeError } from '../../domain/exchange-account-gateway.ports';

export type SyncExchange = 'CRYPTO_COM' | 'BINANCE';
export type CcxtExchange = Ccxt.Exchange;

/**
 * How each exchange is built and synced: the ccxt class, where its API lives (from
 * config, so tests point it at test/fakes), the options that keep market loading to
 * ONE call (STACK.md), and the few facts the account sync needs. Adding another ccxt
 * exchange is one more entry here (and in the vault's exchange list) plus its fake.
 */
export interface Profile {
  ccxtId: 'cryptocom' | 'binance';
  label: string;
  urls(config: AppConfig): Record<string, string>;
  options: Record<string, unknown>;
  rateLimitMs: number;
  /** Exchange error codes that mean "the exchange is down", not "your request is wrong". */
  unavailableCodes: string[];
  /** The exchange's own parameter for our client order id (passed through ccxt's params). */
  clientOrderIdParam: string;
  /** Order history per symbol (Binance allOrders) instead of one account-wide list. */
  historyPerSymbol: boolean;
  /** ccxt method for every last price in one call. */
  lastPrices: 'fetchTickers' | 'fetchLastPrices';
  /** Request weight of each call we make (Binance counts them per IP per minute); 0 = not weighed. */
  weights: Partial<Record<WeighedCall, number>>;
}

export type WeighedCall = 'balance' | 'openOrders' | 'history' | 'order' | 'cancel' | 'place' | 'oco' | 'lastPrices' | 'markets';

export const PROFILES: Record<SyncExchange, Profile> = {
  CRYPTO_COM: {
    ccxtId: 'cryptocom',
    label: 'crypto.com',
    urls: (c) => ({ v1: c.cryptoComBaseUrl, v2: c.cryptoComBaseUrl, derivatives: c.cryptoComBaseUrl }),
    options: { fetchCurrencies: { skipFetchCurrencies: true } },
    rateLimitMs: 10,
    unavailableCodes: ['50001'],
    clientOrderIdParam: 'client_oid',
    historyPerSymbol: false,
    lastPrices: 'fetchTickers',
    weights: {},
  },
  BINANCE: {
    ccxtId: 'binance',
    label: 'Binance',
    urls: (c) => {
      const root = c.liveTrading ? c.binanceBaseUrl : c.binanceTestnetBaseUrl;
      return { public: `${root}/api/v3`, private: `${root}/api/v3`, v1: `${root}/api/v1`, sapi: `${root}/sapi/v1` };
    },
    options: {
      defaultType: 'spot',
      fetchMarkets: { types: ['spot'] },
      fetchMargins: false,
      fetchCurrencies: false,
      adjustForTimeDifference: false,
      // One account-wide open-orders call (weight 80) is cheaper than one per symbol (6 each) past 13 symbols.
      fetchOpenOrders: { warnWithoutSymbol: false },
      broker: {},
    },
    // Binance spot allows 6000 request weight per minute; ccxt's per-call cost model spaces the calls.
    rateLimitMs: 10,
    unavailableCodes: ['-1001', '-1008'],
    clientOrderIdParam: 'newClientOrderId',
    historyPerSymbol: true,
    lastPrices: 'fetchLastPrices',
    // https://developers.binance.com/docs/binance-spot-api-docs/rest-api (REQUEST_WEIGHT per call)
    weights: { balance: 20, openOrders: 80, history: 20, order: 4, cancel: 1, place: 1, oco: 1, lastPrices: 4, markets: 20 },
  },
};

interface MarketCache {
  at: number;
  markets: Ccxt.Dictionary<Ccxt.Market>;
  currencies: Ccxt.Dictionary<Ccxt.Currency>;
}

/**
 * ccxt instances for exchange sync and signals. Markets load once per
 * EXCHANGE_INFO_TTL_SECONDS on a shared public instance and are handed to every
 * per-call instance with `setMarkets` (ccxt's public API), so a user's instance,
 * which carries that user's key for one call only, never loads markets itself.
 */
@Injectable()
export class CcxtClients {
  private readonly cache = new Map<SyncExchange, MarketCache>();
  private readonly inflight = new Map<SyncExchange, Promise<MarketCache>>();
  private readonly publics = new Map<SyncExchange, CcxtExchange>();
  private readonly decimalPublics = new Map<SyncExchange, Held>();
  private readonly perCreds = new WeakMap<ExchangeCredentials, Map<SyncExchange, Held>>();

  constructor(private readonly config: AppConfig) {}

  private build(exchange: SyncExchange, creds?: ExchangeCredentials, decimalStrings = false): CcxtExchange {
    const p = PROFILES[exchange];
    const Klass = ccxt[p.ccxtId] as unknown as new (cfg: Record<string, unknown>) => CcxtExchange;
    const exact = Object.fromEntries(p.unavailableCodes.map((c) => [c, ccxt.ExchangeNotAvailable]));
    return new Klass({
      // ccxt's documented switch: numbers in its unified structures come as strings (exact decimals).
      ...(decimalStrings ? { number: String } : {}),
      exceptions: { exact },
      enableRateLimit: true,
      rateLimit: p.rateLimitMs,
      timeout: this.config.exchangeHttpTimeoutMs,
      options: { ...p.options, ...(exchange === 'BINANCE' ? { recvWindow: this.config.binanceRecvWindow } : {}) },
      // Deep-merged by ccxt's constructor into its own urls: only the API roots move.
      urls: { api: p.urls(this.config) },
      ...(creds ? { apiKey: creds.apiKey, secret: creds.apiSecret } : {}),
    });
  }

  /** The shared instance for public calls (no key ever set on it). */
  publicClient(exchange: SyncExchange): CcxtExchange {
    let ex = this.publics.get(exchange);
    if (!ex) {
      ex = this.build(exchange);
      this.publics.set(exchange, ex);
    }
    return ex;
  }

  async markets(exchange: SyncExchange): Promise<MarketCache> {
    const hit = this.cache.get(exchange);
    if (hit && Date.now() - hit.at < this.config.exchangeInfoTtlSeconds * 1000) return hit;
    let p = this.inflight.get(exchange);
    if (!p) {
      const ex = this.publicClient(exchange);
      p = guard(exchange, 'load markets', () => ex.loadMarkets(true))
        .then((markets) => {
          const entry = { at: Date.now(), markets, currencies: ex.currencies ?? {} };
          this.cache.set(exchange, entry);
          return entry;
        })
        .finally(() => this.inflight.delete(exchange));
      this.inflight.set(exchange, p);
    }
    return p;
  }

  /**
   * With `creds`: that user's instance, numbers as strings. It is kept only as long as
   * the caller keeps this credentials object (a WeakMap keyed by it: one user's sync
   * builds one instance per exchange, and nothing here holds a key past it). Without:
   * the shared public instance (candles), or with `decimalStrings` a shared public one
   * with string numbers. Either way with the shared markets (`setMarkets` when they change).
   */
  async client(exchange: SyncExchange, creds?: ExchangeCredentials, decimalStrings = !!creds): Promise<CcxtExchange> {
    const m = await this.markets(exchange);
    let held: Held | undefined;
    if (creds) {
      const mine = this.perCreds.get(creds) ?? new Map<SyncExchange, Held>();
      this.perCreds.set(creds, mine);
      held = mine.get(exchange);
      if (!held) mine.set(exchange, (held = { ex: this.build(exchange, creds, true), markets: undefined }));
    } else if (decimalStrings) {
      held = this.decimalPublics.get(exchange);
      if (!held) this.decimalPublics.set(exchange, (held = { ex: this.build(exchange, undefined, true), markets: undefined }));
    } else {
      const ex = this.publicClient(exchange);
      if (ex.markets !== m.markets) ex.setMarkets(m.markets, m.currencies as never);
      return ex;
    }
    if (held.markets !== m) {
      held.ex.setMarkets(m.markets, m.currencies as never);
      held.markets = m;
    }
    return held.ex;
  }
}

/** An instance and the market load it was given. */
interface Held {
  ex: CcxtExchange;
  markets: MarketCache | undefined;
}

/** Runs one ccxt call and turns ccxt's error classes into ExchangeError (no key or signature in the message). */
export async function guard<T>(exchange: SyncExchange, what: string, work: () => Promise<T>, secrets: string[] = []): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw toExchangeError(exchange, what, e, secrets);
  }
}

export function toExchangeError(exchange: SyncExchange, what: string, e: unknown, secrets: string[] = []): ExchangeError {
  if (e instanceof ExchangeError) return e;
  const name = PROFILES[exchange].label;
  let detail = e instanceof Error ? e.message : String(e);
  for (const s of secrets) if (s) detail = detail.split(s).join('****');
  detail = detail.replace(/"(sig|signature|api_key)"\s*:\s*"[^"]*"/g, '"$1":"****"').slice(0, 200);
  if (e instanceof ccxt.AuthenticationError || e instanceof ccxt.PermissionDenied) {
    return new ExchangeError('auth', `${name} rejected the API key (${detail}): check the ${exchange} credentials`);
  }
  if (e instanceof ccxt.RateLimitExceeded || e instanceof ccxt.DDoSProtection)
    return new ExchangeError('rate_limited', `${name} ${what} rate limited`);
  if (e instanceof ccxt.RequestTimeout) return new ExchangeError('timeout', `${name} ${what} timed out`);
  if (e instanceof ccxt.OrderNotFound) return new ExchangeError('not_found', `${name} ${what}: order not found`);
  if (e instanceof ccxt.BadSymbol) return new ExchangeError('not_found', `${name} ${what}: unknown symbol (${detail})`);
  if (e instanceof ccxt.NetworkError) return new ExchangeError('unavailable', `${name} ${what} unreachable or down`);
  if (e instanceof ccxt.BadResponse || e instanceof ccxt.NullResponse)
    return new ExchangeError('bad_response', `${name} ${what}: unusable answer`);
  if (e instanceof ccxt.ExchangeError) return new ExchangeError('rejected', `${name} ${what} failed (${detail})`);
  return new ExchangeError('bad_response', `${name} ${what}: unexpected ${e instanceof Error ? e.constructor.name : 'error'}`);
}
