import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { authenticate, FakeAccount, PrivateRequest } from './auth';
import { answer, InjectedError, send, sendInjected } from './http';
import { FakeCandle, FakeMarket, hourlyCandles, publicAnswer } from './market';
import { FakeOrder, OrderDesk, privateAnswer } from './orders';

/**
 * A crypto.com Exchange API v1 fake on 127.0.0.1 (tests and bench). It enforces
 * the protocol the way the exchange does: HMAC-SHA256 signature over
 * method + id + api_key + sorted params + nonce, a nonce window, code 0 on
 * success, 40101/40102 on auth problems, 429/42901 when rate limited. Tests
 * drive it in-process: prices, balances, orders, fills, errors and latency.
 */
export class CryptoComFake implements FakeMarket, OrderDesk {
  private server?: Server;
  private readonly accounts = new Map<string, FakeAccount>();
  private readonly errors: InjectedError[] = [];
  private nextOrderId = 1_000_000;
  private readonly seenNonces = new Map<string, Set<string>>();
  tickers: Record<string, string> = { BTC_USDT: '30000', ETH_USDT: '2000', CRO_USD: '0.1', BTC_USD: '30000' };
  instruments = ['BTC_USDT', 'ETH_USDT', 'CRO_USD', 'BTC_USD', 'SOL_USDT'];
  /** 1h candles per instrument, oldest first, as `public/get-candlestick` serves them (strings, t in ms). */
  candles: Record<string, FakeCandle[]> = {};
  /** Delay before every answer (ms). */
  latencyMs = 0;
  /** Private calls per api key per second before 429 (0 = unlimited). */
  rateLimitPerSecond = 0;
  /** Calls received, by method. */
  readonly calls: Record<string, number> = {};
  /** Private calls by api key and method. */
  readonly callsByKey = new Map<string, Record<string, number>>();
  /** Private calls by api key, in the order they arrived. */
  readonly sequenceByKey = new Map<string, string[]>();
  /** Every create-order request (params), in order. */
  readonly placed: Record<string, unknown>[] = [];
  readonly cancelled: string[] = [];
  url = '';

  async start(listenPort = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(listenPort, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/exchange/v1`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  addAccount(apiKey: string, secret: string, balances: Record<string, string> = {}): void {
    this.accounts.set(apiKey, { apiKey, secret, balances: { ...balances }, orders: new Map(), rawOpen: [], callTimes: [] });
  }

  /** Hourly candles ending at the last full hour, one per close (open = previous close). */
  setCloses(instrument: string, closes: string[], endMs = Math.floor(Date.now() / 3_600_000) * 3_600_000): void {
    this.candles[instrument] = hourlyCandles(closes, endMs);
  }

  setBalance(apiKey: string, currency: string, quantity: string): void {
    this.account(apiKey).balances[currency] = quantity;
  }

  /** An order the user placed elsewhere (web UI, a bot...). Returns its id. */
  addOrder(apiKey: string, o: Partial<FakeOrder> & Pick<FakeOrder, 'instrument_name' | 'side' | 'quantity'>): string {
    const now = Date.now();
    const order: FakeOrder = {
      order_id: o.order_id ?? String(this.nextOrderId++),
      order_type: 'LIMIT',
      cumulative_quantity: '0',
      status: 'ACTIVE',
      create_time: now,
      update_time: now,
      ...o,
    };
    this.account(apiKey).orders.set(order.order_id, order);
    return order.order_id;
  }

  addRawOpenOrder(apiKey: string, raw: unknown): void {
    this.account(apiKey).rawOpen.push(raw);
  }

  /** Fills (fully by default) an order: it leaves the open list and shows up in history. */
  fillOrder(orderId: string, opts: { quantity?: string; price?: string } = {}): FakeOrder {
    const order = this.findOrder(orderId);
    const qty = opts.quantity ?? order.quantity;
    order.cumulative_quantity = qty;
    order.avg_price = opts.price ?? order.limit_price ?? order.ref_price ?? this.tickers[order.instrument_name];
    order.status = qty === order.quantity ? 'FILLED' : 'ACTIVE';
    order.update_time = Date.now();
    return order;
  }

  cancelOrder(orderId: string): void {
    const order = this.findOrder(orderId);
    order.status = 'CANCELED';
    order.update_time = Date.now();
  }

  /** Forget an order entirely (the exchange's history window moved on). */
  dropOrder(orderId: string): void {
    for (const a of this.accounts.values()) a.orders.delete(orderId);
  }

  orders(apiKey: string): FakeOrder[] {
    return [...this.account(apiKey).orders.values()];
  }

  findOrder(orderId: string): FakeOrder {
    for (const a of this.accounts.values()) {
      const o = a.orders.get(orderId);
      if (o) return o;
    }
    throw new Error(`fake: no order ${orderId}`);
  }

  /** The next `count` matching calls fail with this HTTP status / exchange code (hang = never answer). */
  injectError(e: {
    status?: number;
    code?: number;
    message?: string;
    count?: number;
    method?: string;
    apiKey?: string;
    hang?: boolean;
  }): void {
    this.errors.push({
      status: e.status ?? 500,
      code: e.code ?? 50001,
      message: e.message ?? 'SYS_ERROR',
      remaining: e.count ?? 1,
      method: e.method,
      apiKey: e.apiKey,
      hang: e.hang,
    });
  }

  clearErrors(): void {
    this.errors.length = 0;
  }

  callsFor(apiKey: string, method: string): number {
    return this.callsByKey.get(apiKey)?.[method] ?? 0;
  }

  private account(apiKey: string): FakeAccount {
    const a = this.accounts.get(apiKey);
    if (!a) throw new Error(`fake: no account ${apiKey}`);
    return a;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const url = new URL(req.url ?? '/', 'http://x');
    const method = url.pathname.replace(/^\/exchange\/v1\//, '');
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    try {
      if (method.startsWith('public/')) {
        const injected = this.takeError(method);
        if (injected) return sendInjected(res, injected, method);
        return send(res, publicAnswer(this, method, url));
      }
      if (req.method !== 'POST') return send(res, answer(405, { code: 40001, message: 'BAD_REQUEST' }));
      let body: PrivateRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, answer(400, { code: 40001, message: 'BAD_REQUEST' }));
      }
      const auth = authenticate(this.accounts, this.seenNonces, method, body);
      if ('refused' in auth) return send(res, auth.refused);
      const { account } = auth;

      const perKey = this.callsByKey.get(account.apiKey) ?? {};
      perKey[method] = (perKey[method] ?? 0) + 1;
      this.callsByKey.set(account.apiKey, perKey);
      this.sequenceByKey.set(account.apiKey, [...(this.sequenceByKey.get(account.apiKey) ?? []), method]);
      if (this.rateLimitPerSecond > 0) {
        const now = Date.now();
        account.callTimes = account.callTimes.filter((t) => now - t < 1000);
        if (account.callTimes.length >= this.rateLimitPerSecond) {
          return send(res, answer(429, { id: body.id, method, code: 42901, message: 'TOO_MANY_REQUESTS' }, { 'retry-after': '1' }));
        }
        account.callTimes.push(now);
      }
      const injected = this.takeError(method, account.apiKey);
      if (injected) return sendInjected(res, injected, method, body.id);
      return send(res, privateAnswer(this, account, method, body.id, body.params ?? {}));
    } catch (e) {
      send(res, answer(500, { code: 50001, message: `fake error: ${(e as Error).message}` }));
    }
  }

  private takeError(method: string, apiKey?: string): InjectedError | undefined {
    const e = this.errors.find((x) => x.remaining > 0 && (!x.method || x.method === method) && (!x.apiKey || x.apiKey === apiKey));
    if (e) e.remaining--;
    return e;
  }
}
