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
import { orderPreview, toAccountSnapshot, toExchangeOco, toExchangeOrder, toKeyRestrictions } from './binance-payloads';

type Binance = InstanceType<typeof ccxt.binance>;
interface Captured {
  status: number;
  headers: Record<string, string>;
  body: string;
}
type Raw = Record<string, unknown>;

/** A Retry-After longer than this is not waited for: the client gets the 502 with retry_after_seconds. */
const MAX_RETRY_WAIT_MS = 5_000;

/**
 * Binance spot through ccxt. One ccxt instance per target holds the markets and
 * the rate limiter; each private call runs on a thin per-call view of it
 * (`Object.create`) that carries the decrypted key only for that call, because
 * building a new ccxt.binance costs ~6 ms and a shared instance must never see
 * two users' keys.
 */
@Injectable()
export class CcxtBinanceGateway extends ExchangeGateway {
  private readonly logger = new Logger('BinanceGateway');
  private readonly shared = new Map<BinanceTarget, Binance>();

  constructor(private readonly config: AppConfig) {
    super();
  }

  baseUrl(target: BinanceTarget): string {
    return target === 'live' ? this.config.binanceBaseUrl : this.config.binanceTestnetBaseUrl;
  }

  private base(target: BinanceTarget): Binance {
    let ex = this.shared.get(target);
    if (!ex) {
      ex = new ccxt.binance({
        enableRateLimit: true,
        // Binance spot allows 6000 request weight per minute (100/s); ccxt's default 50 ms assumes the old 1200.
        rateLimit: 10,
        timeout: this.config.exchangeHttpTimeoutMs,
        options: {
          defaultType: 'spot',
          // Market loading is ONE call (/api/v3/exchangeInfo): ccxt's defaults also call /sapi and futures endpoints.
          fetchMarkets: { types: ['spot'] },
          fetchMargins: false,
          fetchCurrencies: false,
          recvWindow: this.config.binanceRecvWindow,
          adjustForTimeDifference: false,
          broker: {},
        },
      });
      const root = this.baseUrl(target);
      const api = ex.urls['api'] as Record<string, string>;
      api.public = `${root}/api/v3`;
      api.private = `${root}/api/v3`;
      api.v1 = `${root}/api/v1`;
      api.sapi = `${root}/sapi/v1`;
      this.shared.set(target, ex);
    }
    return ex;
  }

  /** A per-call view of the shared instance; `creds` live only as long as it does. */
  private view(
    target: BinanceTarget,
    creds?: ExchangeCredentials,
    sapi?: Raw,
  ): { ex: Binance; last: () => Captured | undefined; reset: () => void } {
    const base = this.base(target);
    const ex = Object.create(base) as Binance;
    // ccxt's implicit endpoint methods are closures over the instance that defined them: re-bind the spot ones to the view.
    const api = (base as unknown as { api: Raw }).api;
    ex.defineRestApi({ public: api.public, private: api.private, ...(sapi ? { sapi } : {}) }, 'request');
    if (creds) {
      ex.apiKey = creds.apiKey;
      ex.secret = creds.apiSecret;
    }
    let captured: Captured | undefined;
    const original = ex.handleErrors.bind(ex);
    ex.handleErrors = ((status: number, reason: string, url: string, method: string, headers: Raw, body: string, ...rest: unknown[]) => {
      captured = { status, headers: headers as Record<string, string>, body };
      return (original as (...a: unknown[]) => unknown)(status, reason, url, method, headers, body, ...rest);
    }) as Binance['handleErrors'];
    return { ex, last: () => captured, reset: () => (captured = undefined) };
  }

  /** Runs one exchange call with bounded Retry-After retries; maps every failure. */
  private async call<T>(
    target: BinanceTarget,
    creds: ExchangeCredentials | undefined,
    work: (ex: Binance) => Promise<T>,
    sapi?: Raw,
  ): Promise<T> {
    const v = this.view(target, creds, sapi);
    const secrets = creds ? [creds.apiKey, creds.apiSecret] : [];
    for (let attempt = 0; ; attempt++) {
      v.reset();
      try {
        return await work(v.ex);
      } catch (e) {
        const err = this.mapError(e, v.last(), secrets);
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

  private mapError(e: unknown, captured: Captured | undefined, secrets: string[]): ExchangeUpstreamError {
    if (e instanceof ExchangeUpstreamError) return e;
    if (captured && captured.status >= 400) {
      let code: number | null = null;
      let msg: string = captured.body;
      try {
        const parsed = JSON.parse(captured.body) as { code?: number; msg?: string };
        code = typeof parsed.code === 'number' ? parsed.code : null;
        msg = parsed.msg ?? msg;
      } catch {
        /* not JSON: keep the text */
      }
      const headers = Object.fromEntries(Object.entries(captured.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const ra = Number(headers['retry-after']);
      return new ExchangeUpstreamError(
        'BINANCE',
        classifyBinance(captured.status, code),
        captured.status,
        code,
        sanitizeUpstreamText(msg || `HTTP ${captured.status}`, secrets),
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

  private async ensureMarkets(target: BinanceTarget): Promise<void> {
    if (!this.base(target).markets) await this.exchangeInfo(target);
  }

  private unifiedSymbol(target: BinanceTarget, id: string): string {
    const m = this.base(target).markets_by_id?.[id];
    if (!m?.length) throw new ExchangeUpstreamError('BINANCE', 'rejected', 400, -1121, 'Invalid symbol.');
    return m[0].symbol;
  }

  async exchangeInfo(target: BinanceTarget): Promise<Map<string, SymbolRules>> {
    const markets = await this.call(target, undefined, (ex) => this.base(target).loadMarkets.call(ex, true));
    const base = this.base(target);
    if (!base.markets || base.markets !== markets) base.setMarkets(markets);
    const out = new Map<string, SymbolRules>();
    for (const m of Object.values(markets)) {
      if (m?.spot && m.info) out.set(String(m.id), symbolRulesFrom(m.info as RawSymbolInfo));
    }
    return out;
  }

  async lastPrice(target: BinanceTarget, symbol: string): Promise<Decimal> {
    const r = (await this.call(target, undefined, (ex) => ex.publicGetTickerPrice({ symbol }))) as Raw;
    return new Decimal(String(r.price));
  }

  async ping(target: BinanceTarget): Promise<{ serverTime: number }> {
    await this.call(target, undefined, (ex) => ex.publicGetPing());
    const r = (await this.call(target, undefined, (ex) => ex.publicGetTime())) as Raw;
    return { serverTime: Number(r.serverTime) };
  }

  private async create(target: BinanceTarget, creds: ExchangeCredentials, req: BinanceOrderRequest, test: boolean): Promise<Raw> {
    return this.call(target, creds, async (ex) => {
      await this.ensureMarkets(target);
      const symbol = this.unifiedSymbol(target, req.symbol);
      const params: Raw = { newClientOrderId: req.clientOrderId };
      if (test) params.test = true;
      if (req.type === 'LIMIT') params.timeInForce = 'GTC';
      const order = await ex.createOrder(
        symbol,
        req.type.toLowerCase() as 'market' | 'limit',
        req.side.toLowerCase() as 'buy' | 'sell',
        Number(req.qty),
        req.price !== undefined ? Number(req.price) : undefined,
        params,
      );
      return (order.info ?? {}) as Raw;
    });
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
    return toExchangeOco((await this.call(target, creds, (ex) => ex.privatePostOrderListOco(params))) as Raw);
  }

  async cancelOrder(target: BinanceTarget, creds: ExchangeCredentials, symbol: string, orderId: string): Promise<ExchangeOrder> {
    return toExchangeOrder((await this.call(target, creds, (ex) => ex.privateDeleteOrder({ symbol, orderId }))) as Raw);
  }

  async getOrder(target: BinanceTarget, creds: ExchangeCredentials, symbol: string, orderId: string): Promise<ExchangeOrder> {
    return toExchangeOrder((await this.call(target, creds, (ex) => ex.privateGetOrder({ symbol, orderId }))) as Raw);
  }

  async findOrderByClientId(
    target: BinanceTarget,
    creds: ExchangeCredentials,
    symbol: string,
    clientOrderId: string,
  ): Promise<ExchangeOrder | null> {
    try {
      const r = (await this.call(target, creds, (ex) => ex.privateGetOrder({ symbol, origClientOrderId: clientOrderId }))) as Raw;
      return toExchangeOrder(r);
    } catch (e) {
      if (e instanceof ExchangeUpstreamError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  async account(target: BinanceTarget, creds: ExchangeCredentials): Promise<AccountSnapshot> {
    return toAccountSnapshot((await this.call(target, creds, (ex) => ex.privateGetAccount())) as Raw);
  }

  async keyRestrictions(target: BinanceTarget, creds: ExchangeCredentials): Promise<KeyRestrictions> {
    // Only this /sapi endpoint is bound on the view (all of /sapi is ~400 methods).
    const sapi = { get: { 'account/apiRestrictions': 1 } };
    return toKeyRestrictions((await this.call(target, creds, (ex) => ex.sapiGetAccountApiRestrictions(), sapi)) as Raw);
  }

  previewOrder(target: BinanceTarget, req: BinanceOrderRequest, test: boolean): RequestPreview {
    return orderPreview(this.baseUrl(target), this.config.binanceRecvWindow, req, test);
  }
}
