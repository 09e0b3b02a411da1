import { Injectable } from '@nestjs/common';
import type { ExchangeCredentials } from '../../../vault';
import { AppConfig } from '@platform/config/app-config';
import {
  ExchangeError,
  ExchangeGateway,
  Instrument,
  Parsed,
  PlaceOrderRequest,
  RemoteBalance,
  RemoteOrder,
  Ticker,
} from '../../domain/exchange-gateway.ports';
import { signRequest } from './cryptocom-signer';
import { parseBalances, parseInstruments, parseOrder, parseOrders, parseTickers } from './cryptocom-parsers';

const AUTH_CODES = new Set([40101, 40102, 40103, 40104, 40107]);
const NOT_FOUND_CODES = new Set([40401, 316]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * crypto.com Exchange API v1, signed by hand (see cryptocom-signer.ts): one small
 * HTTP call per method, no market loading per user, which keeps a 1,000-user
 * cycle cheap. Private calls: POST {base}/{method} with JSON {id, method, params,
 * api_key, sig, nonce}. Credentials live only in the arguments of one call.
 */
@Injectable()
export class CryptoComGateway extends ExchangeGateway {
  readonly exchange = 'CRYPTO_COM' as const;
  private requestId = 0;

  constructor(private readonly config: AppConfig) {
    super();
  }

  async fetchInstruments(): Promise<Instrument[]> {
    return parseInstruments(await this.call('public/get-instruments'));
  }

  async fetchTickers(): Promise<Ticker[]> {
    return parseTickers(await this.call('public/get-tickers'));
  }

  async fetchBalances(creds: ExchangeCredentials): Promise<Parsed<RemoteBalance>> {
    return parseBalances(await this.call('private/user-balance', {}, creds));
  }

  async fetchOpenOrders(creds: ExchangeCredentials): Promise<Parsed<RemoteOrder>> {
    const result = (await this.call('private/get-open-orders', {}, creds)) as { data?: unknown };
    return parseOrders(result?.data);
  }

  async fetchOrderHistory(creds: ExchangeCredentials): Promise<Parsed<RemoteOrder>> {
    // The exchange's own clock decides the window: the last 24 h, newest 100.
    const end = Date.now();
    const params = { start_time: String(end - 24 * 3600 * 1000), end_time: String(end), limit: '100' };
    const result = (await this.call('private/get-order-history', params, creds)) as { data?: unknown };
    return parseOrders(result?.data);
  }

  async fetchOrder(creds: ExchangeCredentials, exchangeOrderId: string): Promise<RemoteOrder | null> {
    try {
      const result = await this.call('private/get-order-detail', { order_id: exchangeOrderId }, creds);
      const parsed = parseOrder(result);
      if (typeof parsed === 'string') throw new ExchangeError('bad_response', `order detail unusable: ${parsed}`);
      return parsed;
    } catch (e) {
      if (e instanceof ExchangeError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  async placeOrder(creds: ExchangeCredentials, req: PlaceOrderRequest): Promise<{ exchangeOrderId: string }> {
    const params = {
      instrument_name: req.symbol,
      side: req.side,
      type: req.type,
      quantity: req.quantity,
      ref_price: req.triggerPrice,
      client_oid: req.clientOrderId,
    };
    // Not retried here: an ambiguous failure is resolved next cycle through the client order id.
    const result = (await this.call('private/create-order', params, creds, false)) as { order_id?: unknown };
    if (typeof result?.order_id !== 'string' && typeof result?.order_id !== 'number') {
      throw new ExchangeError('bad_response', 'create-order answer without order_id');
    }
    return { exchangeOrderId: String(result.order_id) };
  }

  async cancelOrder(creds: ExchangeCredentials, symbol: string, exchangeOrderId: string): Promise<void> {
    await this.call('private/cancel-order', { instrument_name: symbol, order_id: exchangeOrderId }, creds);
  }

  private async call(method: string, params: Record<string, unknown> = {}, creds?: ExchangeCredentials, retry = true): Promise<unknown> {
    const attempts = retry ? this.config.exchangeMaxRetries + 1 : 1;
    let last: ExchangeError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        return await this.once(method, params, creds);
      } catch (e) {
        last = e instanceof ExchangeError ? e : new ExchangeError('unavailable', `crypto.com ${method}: ${(e as Error).message}`);
        const retriable = last.kind === 'rate_limited' || last.kind === 'unavailable' || last.kind === 'timeout';
        if (!retriable || attempt === attempts - 1) throw last;
        const retryAfterMs = (last as ExchangeError & { retryAfterMs?: number }).retryAfterMs;
        await sleep(Math.min(retryAfterMs ?? 100 * 2 ** attempt, 2000));
      }
    }
    throw last!;
  }

  private async once(method: string, params: Record<string, unknown>, creds?: ExchangeCredentials): Promise<unknown> {
    const url = `${this.config.cryptoComBaseUrl}/${method}`;
    let res: Response;
    try {
      if (creds) {
        const id = ++this.requestId;
        const nonce = Date.now();
        const body = {
          id,
          method,
          params,
          api_key: creds.apiKey,
          nonce,
          sig: signRequest(method, id, creds.apiKey, params, nonce, creds.apiSecret),
        };
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.config.exchangeHttpTimeoutMs),
        });
      } else {
        res = await fetch(url, { signal: AbortSignal.timeout(this.config.exchangeHttpTimeoutMs) });
      }
    } catch (e) {
      const name = (e as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new ExchangeError('timeout', `crypto.com ${method} timed out`);
      throw new ExchangeError('unavailable', `crypto.com ${method} unreachable`);
    }
    let json: { code?: unknown; message?: unknown; result?: unknown } | undefined;
    try {
      json = (await res.json()) as typeof json;
    } catch {
      json = undefined;
    }
    const code = typeof json?.code === 'number' ? json.code : undefined;
    const message = typeof json?.message === 'string' ? json.message.slice(0, 200) : undefined;
    if (res.status === 429 || code === 42901) {
      const err = new ExchangeError('rate_limited', `crypto.com ${method} rate limited`, code, res.status) as ExchangeError & {
        retryAfterMs?: number;
      };
      const after = Number(res.headers.get('retry-after'));
      if (Number.isFinite(after) && after > 0) err.retryAfterMs = after * 1000;
      throw err;
    }
    if (res.status === 401 || (code !== undefined && AUTH_CODES.has(code))) {
      throw new ExchangeError(
        'auth',
        `crypto.com rejected the API key (${code ?? res.status}${message ? ` ${message}` : ''}): check the CRYPTO_COM credentials`,
        code,
        res.status,
      );
    }
    if (res.status >= 500) throw new ExchangeError('unavailable', `crypto.com ${method} answered ${res.status}`, code, res.status);
    if (code !== undefined && NOT_FOUND_CODES.has(code))
      throw new ExchangeError('not_found', `crypto.com ${method}: not found`, code, res.status);
    if (!json || code !== 0) {
      throw new ExchangeError(
        json ? 'rejected' : 'bad_response',
        `crypto.com ${method} failed (${code ?? res.status}${message ? ` ${message}` : ''})`,
        code,
        res.status,
      );
    }
    return json.result;
  }
}
