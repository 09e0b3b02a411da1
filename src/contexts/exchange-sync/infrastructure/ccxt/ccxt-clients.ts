import { Injectable } from '@nestjs/common';
import type * as Ccxt from 'ccxt';
import { ccxt } from '@platform/exchanges/lazy-ccxt';
import type { ExchangeCredentials } from '../../../vault';
import { AppConfig } from '@platform/config/app-config';
import { ExchangeError } from '../../domain/exchange-gateway.ports';

export type SyncExchange = 'CRYPTO_COM' | 'BINANCE';
export type CcxtExchange = Ccxt.Exchange;

/**
 * How each exchange is built: the ccxt class, where its API lives (from config, so
 * tests point it at test/fakes) and the options that keep market loading to ONE call
 * (STACK.md). Adding another ccxt exchange is one more entry here plus its fake.
 */
interface Profile {
  ccxtId: 'cryptocom' | 'binance';
  urls(config: AppConfig): Record<string, string>;
  options: Record<string, unknown>;
  rateLimitMs: number;
}

const PROFILES: Record<SyncExchange, Profile> = {
  CRYPTO_COM: {
    ccxtId: 'cryptocom',
    urls: (c) => ({ v1: c.cryptoComBaseUrl, v2: c.cryptoComBaseUrl, derivatives: c.cryptoComBaseUrl }),
    options: { fetchCurrencies: { skipFetchCurrencies: true } },
    rateLimitMs: 10,
  },
  BINANCE: {
    ccxtId: 'binance',
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
      broker: {},
    },
    // Binance spot allows 6000 request weight per minute; ccxt's per-call cost model spaces the calls.
    rateLimitMs: 10,
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

  constructor(private readonly config: AppConfig) {}

  private build(exchange: SyncExchange, creds?: ExchangeCredentials): CcxtExchange {
    const p = PROFILES[exchange];
    const Klass = ccxt[p.ccxtId] as unknown as new (cfg: Record<string, unknown>) => CcxtExchange;
    const ex = new Klass({
      enableRateLimit: true,
      rateLimit: p.rateLimitMs,
      timeout: this.config.exchangeHttpTimeoutMs,
      options: { ...p.options, ...(exchange === 'BINANCE' ? { recvWindow: this.config.binanceRecvWindow } : {}) },
      ...(creds ? { apiKey: creds.apiKey, secret: creds.apiSecret } : {}),
    });
    Object.assign(ex.urls['api'] as Record<string, string>, p.urls(this.config));
    return ex;
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

  /** A fresh instance with the shared markets; with `creds` for one user's private calls. */
  async client(exchange: SyncExchange, creds?: ExchangeCredentials): Promise<CcxtExchange> {
    const m = await this.markets(exchange);
    const ex = creds ? this.build(exchange, creds) : this.publicClient(exchange);
    if (ex.markets !== m.markets) ex.setMarkets(m.markets, m.currencies as never);
    return ex;
  }
}

const label = (exchange: SyncExchange) => (exchange === 'CRYPTO_COM' ? 'crypto.com' : 'Binance');

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
  const name = label(exchange);
  let detail = e instanceof Error ? e.message : String(e);
  for (const s of secrets) if (s) detail = detail.split(s).join('****');
  detail = detail.replace(/"(sig|signature|api_key)"\s*:\s*"[^"]*"/g, '"$1":"****"').slice(0, 200);
  if (e instanceof ccxt.AuthenticationError || e instanceof ccxt.PermissionDenied) {
    const creds = exchange === 'CRYPTO_COM' ? 'CRYPTO_COM' : 'BINANCE';
    return new ExchangeError('auth', `${name} rejected the API key (${detail}): check the ${creds} credentials`);
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
