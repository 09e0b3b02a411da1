import { Injectable, Logger } from '@nestjs/common';
import { ccxt } from '@platform/exchanges/lazy-ccxt';
import { Decimal } from '@kernel';
import type { ExchangeCredentials } from '../../../vault';
import { AppConfig } from '@platform/config/app-config';
import {
  AccountSnapshot,
  BinanceOcoRequest,
  BinanceOrderRequest,
  BinanceTarget,
  ExchangeGateway,
  ExchangeOco,
  ExchangeOrder,
  KeyRestrictions,
  RequestPreview,
} from '../../domain/execution.ports';
import { classifyBinance, ExchangeUpstreamError, sanitizeUpstreamText } from '../../domain/upstream-error';
import { RawSymbolInfo, SymbolRules, symbolRulesFrom } from '../../domain/symbol-rules';
import { orderParams, orderPreview, toAccountSnapshot, toExchangeOco, toExchangeOrder, toKeyRestrictions } from './binance-payloads';

type Binance = InstanceType<typeof ccxt.binance>;
type Raw = Record<string, unknown>;
/** What ccxt hands a user-supplied fetch (its legacy-style request options). */
interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** A Retry-After longer than this is not waited for: the client gets the 502 with retry_after_seconds. */
const MAX_RETRY_WAIT_MS = 5_000;

/**
 * Binance spot through ccxt's public API. Every call (each attempt of it) runs on a
 * NEW ccxt.binance that lives only for that call and carries the decrypted key only
 * then, so no instance ever sees two users' keys (6-8 ms of CPU to build, measured on
 * this project's 2-core machine: ccxt defines ~960 endpoint methods per instance). Only
 * implicit endpoint methods are used (`privatePostOrder` ...), with our strings as
 * Binance's parameters, so no instance needs markets. ccxt's rate limiter belongs to an
 * instance, so it spaces only one call's attempts; across calls the guard is Binance's
 * own answer (429/418 with Retry-After, retried within bounds, else a 502 saying when).
 */
@Injectable()
export class CcxtBinanceGateway extends ExchangeGateway {
  private readonly logger = new Logger('BinanceGateway');

  constructor(private readonly config: AppConfig) {
    super();
  }

  baseUrl(target: BinanceTarget): string {
    return target === 'live' ? this.config.binanceBaseUrl : this.config.binanceTestnetBaseUrl;
  }

  /** A one-call instance, and the HTTP status of its last answer (ccxt keeps that answer's headers and body). */
  private client(target: BinanceTarget, creds?: ExchangeCredentials): { ex: Binance; status: () => number | undefined } {
    const root = this.baseUrl(target);
    let status: number | undefined;
    const ex = new ccxt.binance({
      // Spaces the attempts of this one call (Binance spot: 6000 request weight a minute; ccxt's 50 ms default assumes 1200).
      enableRateLimit: true,
      rateLimit: 10,
      timeout: this.config.exchangeHttpTimeoutMs,
      // ccxt's defaults, said here because mapError reads the last answer's headers and body.
      enableLastResponseHeaders: true,
      enableLastHttpResponse: true,
      options: {
        defaultType: 'spot',
        // Nothing here loads markets; should a unified method ever do it, ONE call (/api/v3/exchangeInfo), not /sapi and futures too.
        fetchMarkets: { types: ['spot'] },
        fetchMargins: false,
        fetchCurrencies: false,
        recvWindow: this.config.binanceRecvWindow,
        adjustForTimeDifference: false,
        broker: {},
      },
      // Deep-merged by ccxt's constructor into its own urls: only the API roots move.
      urls: { api: { public: `${root}/api/v3`, private: `${root}/api/v3`, v1: `${root}/api/v1`, sapi: `${root}/sapi/v1` } },
      // ccxt's hook for a user's own fetch: it gives us the status, and every one-call instance shares
      // Node's connection pool (ccxt's own fetch would open a new pool, so a new connection, per instance).
      fetchImplementation: async (url: string, { method, headers, body, signal }: FetchInit) => {
        status = undefined;
        const res = await fetch(url, { method, headers, body, signal, redirect: 'error' });
        status = res.status;
        return res;
      },
      ...(creds ? { apiKey: creds.apiKey, secret: creds.apiSecret } : {}),
    });
    return { ex, status: () => status };
  }

  /** Runs one exchange call with bounded Retry-After retries, each attempt on a fresh instance; maps every failure. */
  private async call<T>(target: BinanceTarget, creds: ExchangeCredentials | undefined, work: (ex: Binance) => Promise<T>): Promise<T> {
    const secrets = creds ? [creds.apiKey, creds.apiSecret] : [];
    for (let attempt = 0; ; attempt++) {
      const { ex, status } = this.client(target, creds);
      try {
        return await work(ex);
      } catch (e) {
        const err = this.mapError(e, ex, status(), secrets);
        const wait = err.kind === 'rate_limit' ? (err.retryAfterSeconds ?? 2 ** attempt * 0.25) * 1000 : -1;
        if (wait < 0 || attempt >= this.config.exchangeMaxRetries || wait > MAX_RETRY_WAIT_MS) throw err;
        this.logger.warn({
          message: 'binance rate limited, retrying',
          upstream_status: err.upstreamStatus,
          wait_ms: wait,
          attempt: attempt + 1,
        });
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private mapError(e: unknown, ex: Binance, status: number | undefined, secrets: string[]): ExchangeUpstreamError {
    if (e instanceof ExchangeUpstreamError) return e;
    if (status !== undefined && status >= 400) {
      const body = ex.last_http_response ?? '';
      let code: number | null = null;
      let msg: string = body;
      try {
        const parsed = JSON.parse(body) as { code?: number; msg?: string };
        code = typeof parsed.code === 'number' ? parsed.code : null;
        msg = parsed.msg ?? msg;
      } catch {
        /* not JSON: keep the text */
      }
      const headers = Object.fromEntries(Object.entries(ex.last_response_headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const ra = Number(headers['retry-after']);
      return new ExchangeUpstreamError(
        'BINANCE',
        classifyBinance(status, code),
        status,
        code,
        sanitizeUpstreamText(msg || `HTTP ${status}`, secrets),
        Number.isFinite(ra) && ra >= 0 ? ra : undefined,
      );
    }
    const text = e instanceof Error ? e.constructor.name : 'Error';
    const reason =
      e instanceof ccxt.RequestTimeout ? 'timed out' : e instanceof ccxt.NetworkError ? 'connection failed' : `unexpected ${text}`;
    if (!(e instanceof ccxt.NetworkError)) {
      this.logger.error({
        message: 'binance call failed without an HTTP answer',
        error: sanitizeUpstreamText((e as Error)?.message, secrets),
      });
    }
    return new ExchangeUpstreamError('BINANCE', 'unreachable', null, null, reason);
  }

  /** /api/v3/exchangeInfo as Binance sends it (one call; ccxt's market parsing is not needed for the filters). */
  async exchangeInfo(target: BinanceTarget): Promise<Map<string, SymbolRules>> {
    const r = await this.call(target, undefined, (ex) => ex.publicGetExchangeInfo());
    const symbols = (r.symbols as RawSymbolInfo[] | undefined) ?? [];
    return new Map(symbols.map((s) => [String(s.symbol), symbolRulesFrom(s)]));
  }

  async lastPrice(target: BinanceTarget, symbol: string): Promise<Decimal> {
    const r = (await this.call(target, undefined, (ex) => ex.publicGetTickerPrice({ symbol }))) as Raw; // one symbol: one object
    return new Decimal(String(r.price));
  }

  async ping(target: BinanceTarget): Promise<{ serverTime: number }> {
    const r = await this.call(target, undefined, async (ex) => {
      await ex.publicGetPing();
      return ex.publicGetTime();
    });
    return { serverTime: Number(r.serverTime) };
  }

  /** POST /api/v3/order(/test) with our strings as they are (quantity "0.00100000" stays so): what `previewOrder` shows. */
  private async create(target: BinanceTarget, creds: ExchangeCredentials, req: BinanceOrderRequest, test: boolean): Promise<Raw> {
    const params = orderParams(req);
    return this.call(target, creds, (ex) => (test ? ex.privatePostOrderTest(params) : ex.privatePostOrder(params)));
  }

  async testOrder(target: BinanceTarget, creds: ExchangeCredentials, req: BinanceOrderRequest): Promise<void> {
    await this.create(target, creds, req, true);
  }

  async placeOrder(target: BinanceTarget, creds: ExchangeCredentials, req: BinanceOrderRequest): Promise<ExchangeOrder> {
    return toExchangeOrder(await this.create(target, creds, req, false));
  }

  async placeOco(target: BinanceTarget, creds: ExchangeCredentials, req: BinanceOcoRequest): Promise<ExchangeOco> {
    // Protecting a long (SELL): take profit is the LIMIT_MAKER leg above, the stop the STOP_LOSS_LIMIT leg below; mirrored for a short.
    const tp = { type: 'LIMIT_MAKER', price: req.takeProfit, clientOrderId: req.takeProfitClientOrderId };
    const sl = {
      type: 'STOP_LOSS_LIMIT',
      price: req.stopLoss,
      stopPrice: req.stopLoss,
      timeInForce: 'GTC',
      clientOrderId: req.stopLossClientOrderId,
    };
    const [above, below] = req.side === 'SELL' ? [tp, sl] : [sl, tp];
    const params: Raw = {
      symbol: req.symbol,
      side: req.side,
      quantity: req.qty,
      listClientOrderId: req.listClientOrderId,
      aboveType: above.type,
      abovePrice: above.price,
      belowType: below.type,
      belowPrice: below.price,
      aboveClientOrderId: above.clientOrderId,
      belowClientOrderId: below.clientOrderId,
    };
    for (const [prefix, leg] of [
      ['above', above],
      ['below', below],
    ] as const) {
      if ('stopPrice' in leg) {
        params[`${prefix}StopPrice`] = leg.stopPrice;
        params[`${prefix}TimeInForce`] = leg.timeInForce;
      }
    }
    return toExchangeOco(await this.call(target, creds, (ex) => ex.privatePostOrderListOco(params)));
  }

  async cancelOrder(target: BinanceTarget, creds: ExchangeCredentials, symbol: string, orderId: string): Promise<ExchangeOrder> {
    return toExchangeOrder(await this.call(target, creds, (ex) => ex.privateDeleteOrder({ symbol, orderId })));
  }

  async getOrder(target: BinanceTarget, creds: ExchangeCredentials, symbol: string, orderId: string): Promise<ExchangeOrder> {
    return toExchangeOrder(await this.call(target, creds, (ex) => ex.privateGetOrder({ symbol, orderId })));
  }

  async findOrderByClientId(
    target: BinanceTarget,
    creds: ExchangeCredentials,
    symbol: string,
    clientOrderId: string,
  ): Promise<ExchangeOrder | null> {
    try {
      const r = await this.call(target, creds, (ex) => ex.privateGetOrder({ symbol, origClientOrderId: clientOrderId }));
      return toExchangeOrder(r);
    } catch (e) {
      if (e instanceof ExchangeUpstreamError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  async account(target: BinanceTarget, creds: ExchangeCredentials): Promise<AccountSnapshot> {
    return toAccountSnapshot(await this.call(target, creds, (ex) => ex.privateGetAccount()));
  }

  async keyRestrictions(target: BinanceTarget, creds: ExchangeCredentials): Promise<KeyRestrictions> {
    return toKeyRestrictions(await this.call(target, creds, (ex) => ex.sapiGetAccountApiRestrictions()));
  }

  previewOrder(target: BinanceTarget, req: BinanceOrderRequest, test: boolean): RequestPreview {
    return orderPreview(this.baseUrl(target), this.config.binanceRecvWindow, req, test);
  }
}
