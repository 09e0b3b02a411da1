import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A crypto.com Exchange API v1 fake on 127.0.0.1 (tests and bench). It enforces
 * the protocol the way the exchange does: HMAC-SHA256 signature over
 * method + id + api_key + sorted params + nonce, a nonce window, code 0 on
 * success, 40101/40102 on auth problems, 429/42901 when rate limited. Tests
 * drive it in-process: prices, balances, orders, fills, errors and latency.
 */
export interface FakeOrder {
  order_id: string;
  client_oid?: string;
  instrument_name: string;
  side: 'BUY' | 'SELL';
  order_type: string;
  quantity: string;
  limit_price?: string;
  ref_price?: string;
  cumulative_quantity: string;
  avg_price?: string;
  status: 'NEW' | 'ACTIVE' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';
  create_time: number;
  update_time: number;
}

export interface FakeCandle {
  t: number;
  o: string;
  h: string;
  l: string;
  c: string;
  v: string;
}

interface Account {
  apiKey: string;
  secret: string;
  balances: Record<string, string>;
  orders: Map<string, FakeOrder>;
  /** Raw entries added verbatim to the open list (malformed-data tests). */
  rawOpen: unknown[];
  callTimes: number[];
}

interface InjectedError {
  status: number;
  code: number;
  message: string;
  remaining: number;
  method?: string;
  apiKey?: string;
  hang?: boolean;
}

export const NONCE_WINDOW_MS = 60_000;

function paramsString(obj: unknown): string {
  if (obj === null || obj === undefined) return '';
  if (Array.isArray(obj)) return obj.map((v) => (typeof v === 'object' && v !== null ? paramsString(v) : String(v))).join('');
  const o = obj as Record<string, unknown>;
  let s = '';
  for (const k of Object.keys(o).sort()) {
    const v = o[k];
    s += k + (v === null ? 'null' : typeof v === 'object' ? paramsString(v) : String(v));
  }
  return s;
}

export class CryptoComFake {
  private server?: Server;
  private readonly accounts = new Map<string, Account>();
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
    const start = endMs - (closes.length - 1) * 3_600_000;
    this.candles[instrument] = closes.map((c, i) => {
      const o = i === 0 ? c : closes[i - 1];
      const [lo, hi] = Number(o) < Number(c) ? [o, c] : [c, o];
      return { t: start + i * 3_600_000, o, h: hi, l: lo, c, v: '1' };
    });
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

  private account(apiKey: string): Account {
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
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      if (method.startsWith('public/')) {
        if (this.takeError(method)) return this.sendInjected(res, method);
        if (method === 'public/get-tickers') {
          return send(200, {
            id: -1,
            method,
            code: 0,
            result: { data: Object.entries(this.tickers).map(([i, a]) => ({ i, a, b: a, k: a, t: Date.now() })) },
          });
        }
        if (method === 'public/get-instruments') {
          return send(200, {
            id: -1,
            method,
            code: 0,
            result: {
              data: this.instruments.map((s) => ({
                symbol: s,
                inst_type: 'CCY_PAIR',
                base_ccy: s.split('_')[0],
                quote_ccy: s.split('_')[1],
                price_tick_size: '0.01',
                qty_tick_size: '0.00001',
              })),
            },
          });
        }
        if (method === 'public/get-candlestick') {
          const name = url.searchParams.get('instrument_name') ?? '';
          if (!this.instruments.includes(name)) return send(400, { id: -1, method, code: 40004, message: 'Invalid instrument_name' });
          const count = Math.min(Number(url.searchParams.get('count') ?? 25), 300);
          const data = (this.candles[name] ?? []).slice(-count);
          return send(200, {
            id: -1,
            method,
            code: 0,
            result: { interval: url.searchParams.get('timeframe'), instrument_name: name, data },
          });
        }
        return send(404, { code: 40401, message: 'NOT_FOUND' });
      }
      if (req.method !== 'POST') return send(405, { code: 40001, message: 'BAD_REQUEST' });
      // ccxt sends id and nonce as numeric strings, hand-written clients as numbers: the exchange takes both.
      let body: {
        id?: number | string;
        method?: string;
        params?: Record<string, unknown>;
        api_key?: string;
        sig?: string;
        nonce?: number | string;
      };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, { code: 40001, message: 'BAD_REQUEST' });
      }
      const account = body.api_key ? this.accounts.get(body.api_key) : undefined;
      const numeric = (v: unknown) => typeof v === 'number' || (typeof v === 'string' && /^\d{1,20}$/.test(v));
      if (!account || body.method !== method || !numeric(body.id) || typeof body.sig !== 'string') {
        return send(401, { id: body.id, method, code: 40101, message: 'UNAUTHORIZED' });
      }
      const expected = createHmac('sha256', account.secret)
        .update(`${method}${body.id}${account.apiKey}${paramsString(body.params ?? {})}${body.nonce}`)
        .digest('hex');
      if (body.sig.length !== expected.length || !timingSafeEqual(Buffer.from(body.sig), Buffer.from(expected))) {
        return send(401, { id: body.id, method, code: 40101, message: 'UNAUTHORIZED' });
      }
      if (!numeric(body.nonce) || Math.abs(Date.now() - Number(body.nonce)) > NONCE_WINDOW_MS) {
        return send(401, { id: body.id, method, code: 40102, message: 'INVALID_NONCE' });
      }
      const seen = this.seenNonces.get(account.apiKey) ?? new Set<string>();
      const replayKey = `${body.nonce}:${body.id}:${body.sig}`;
      if (seen.has(replayKey)) return send(401, { id: body.id, method, code: 40102, message: 'INVALID_NONCE' });
      seen.add(replayKey);
      if (seen.size > 5000) seen.clear();
      this.seenNonces.set(account.apiKey, seen);

      const perKey = this.callsByKey.get(account.apiKey) ?? {};
      perKey[method] = (perKey[method] ?? 0) + 1;
      this.callsByKey.set(account.apiKey, perKey);
      if (this.rateLimitPerSecond > 0) {
        const now = Date.now();
        account.callTimes = account.callTimes.filter((t) => now - t < 1000);
        if (account.callTimes.length >= this.rateLimitPerSecond) {
          return send(429, { id: body.id, method, code: 42901, message: 'TOO_MANY_REQUESTS' }, { 'retry-after': '1' });
        }
        account.callTimes.push(now);
      }
      if (this.takeError(method, account.apiKey)) return this.sendInjected(res, method, body.id);
      const ok = (result: unknown) => send(200, { id: body.id, method, code: 0, result });
      const p = body.params ?? {};
      switch (method) {
        case 'private/user-balance':
          return ok({
            data: [
              {
                total_available_balance: '0',
                position_balances: Object.entries(account.balances).map(([ccy, q]) => ({
                  instrument_name: ccy,
                  quantity: q,
                  reserved_qty: '0',
                })),
              },
            ],
          });
        case 'private/get-open-orders':
          return ok({
            data: [...[...account.orders.values()].filter((o) => o.status === 'NEW' || o.status === 'ACTIVE'), ...account.rawOpen],
          });
        case 'private/get-order-history': {
          const start = Number(p.start_time ?? 0);
          return ok({
            data: [...account.orders.values()]
              .filter((o) => !['NEW', 'ACTIVE'].includes(o.status) && o.update_time >= start)
              .slice(0, Number(p.limit ?? 100)),
          });
        }
        case 'private/get-order-detail': {
          const o = account.orders.get(String(p.order_id));
          return o ? ok(o) : send(400, { id: body.id, method, code: 40401, message: 'NOT_FOUND' });
        }
        case 'private/create-order': {
          const dup = [...account.orders.values()].find((o) => p.client_oid && o.client_oid === p.client_oid);
          if (dup) return send(400, { id: body.id, method, code: 315, message: 'DUPLICATE_CLORDID' });
          this.placed.push({ ...p });
          const id = this.addOrder(account.apiKey, {
            client_oid: p.client_oid as string | undefined,
            instrument_name: String(p.instrument_name),
            side: p.side as 'BUY' | 'SELL',
            order_type: String(p.type ?? 'LIMIT'),
            quantity: String(p.quantity),
            limit_price: p.price as string | undefined,
            ref_price: p.ref_price as string | undefined,
            status: 'NEW',
          });
          return ok({ order_id: id, client_oid: p.client_oid });
        }
        case 'private/cancel-order': {
          const o = account.orders.get(String(p.order_id));
          if (!o) return send(400, { id: body.id, method, code: 40401, message: 'NOT_FOUND' });
          if (o.status === 'NEW' || o.status === 'ACTIVE') {
            o.status = 'CANCELED';
            o.update_time = Date.now();
          }
          this.cancelled.push(o.order_id);
          return ok({});
        }
        default:
          return send(400, { id: body.id, method, code: 40004, message: 'METHOD_NOT_FOUND' });
      }
    } catch (e) {
      send(500, { code: 50001, message: `fake error: ${(e as Error).message}` });
    }
  }

  private pendingError?: InjectedError;

  private takeError(method: string, apiKey?: string): boolean {
    const e = this.errors.find((x) => x.remaining > 0 && (!x.method || x.method === method) && (!x.apiKey || x.apiKey === apiKey));
    if (!e) return false;
    e.remaining--;
    this.pendingError = e;
    return true;
  }

  private sendInjected(res: ServerResponse, method: string, id?: number | string): void {
    const e = this.pendingError!;
    if (e.hang) return; // never answers: the client's timeout must fire
    res.writeHead(e.status, { 'content-type': 'application/json', ...(e.status === 429 ? { 'retry-after': '1' } : {}) });
    res.end(JSON.stringify({ id, method, code: e.code, message: e.message }));
  }
}
