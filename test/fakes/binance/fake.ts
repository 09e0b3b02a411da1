import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import Decimal from 'decimal.js';
import { accountPayload, authenticate, DEFAULT_BALANCES, FakeAccount } from './auth';
import { answerFailure, FakeFailure, MAGIC, RecordedRequest, send, sendError } from './http';
import { exchangeInfo, INTERVALS, klines, SYMBOLS } from './market';
import { FakeOrder, isError, OrderBook, publicOrder } from './order-book';
import { KEY_RESTRICTIONS_PATH, KeyRestrictionFlags, restrictionsPayload, SAFE_KEY } from './key-restrictions';

const SIGNED = new Set([
  '/api/v3/account',
  '/api/v3/order',
  '/api/v3/order/test',
  '/api/v3/orderList/oco',
  '/api/v3/order/oco',
  '/api/v3/openOrders',
  KEY_RESTRICTIONS_PATH,
  '/api/v3/allOrders',
  '/api/v3/myTrades',
  '/api/v3/orderList',
]);

/**
 * A Binance spot (testnet) fake on node:http that enforces the real protocol:
 * X-MBX-APIKEY, HMAC-SHA256 hex signature over query string + body, timestamp
 * within recvWindow, exchangeInfo filters (-1013), duplicate newClientOrderId.
 * Failures on demand through `failNext` (in-process control API) or magic
 * symbols (FAILAUTHUSDT -> -2015, FAILSIGUSDT -> -1022, FAILFILTERUSDT -> -1013,
 * FAILRATEUSDT -> 429 with Retry-After).
 */
interface Hold {
  accepted: Promise<void>;
  released: Promise<void>;
  onAccepted(): void;
}

export interface HeldAnswer {
  accepted: Promise<void>;
  release(): void;
}

/** Buffers what the handler writes; sends it when the hold is released, unless the client has gone. */
function holdAnswer(res: ServerResponse, hold: Hold): void {
  const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
  const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
  const calls: (() => void)[] = [];
  res.writeHead = ((...a: unknown[]) => (calls.push(() => writeHead(...a)), res)) as ServerResponse['writeHead'];
  res.end = ((...a: unknown[]) => {
    calls.push(() => end(...a));
    hold.onAccepted();
    void hold.released.then(() => {
      if (!res.destroyed && !res.socket?.destroyed) calls.forEach((c) => c());
    });
    return res;
  }) as ServerResponse['end'];
}

export class BinanceFake {
  url = '';
  latencyMs = 0;
  readonly requests: RecordedRequest[] = [];
  readonly prices = new Map(SYMBOLS.map((s) => [s.symbol, s.price]));
  protected readonly accounts = new Map<string, FakeAccount>();
  protected readonly book = new OrderBook(this.prices);
  private readonly failures: { path: string; failure: FakeFailure }[] = [];
  private readonly holds: { path: string; hold: Hold }[] = [];
  private server?: Server;

  addAccount(apiKey: string, secret: string, balances = DEFAULT_BALANCES.map((b) => ({ ...b }))): void {
    this.accounts.set(apiKey, { secret, balances });
  }

  /** What GET /sapi/v1/account/apiRestrictions says about a key (default: SAFE_KEY, as seed 002 asks). */
  readonly keyRestrictions = new Map<string, KeyRestrictionFlags>();

  setKeyRestrictions(apiKey: string, flags: Partial<KeyRestrictionFlags>): void {
    this.keyRestrictions.set(apiKey, { ...SAFE_KEY, ...flags });
  }

  /** The next call(s) to `path` ('*' = any) answer with this failure. */
  failNext(path: string, failure: FakeFailure): void {
    this.failures.push({ path, failure: { times: 1, ...failure } });
  }

  /**
   * The next call to `path` is carried out (an order is placed, with every check) but its answer is held back:
   * for `ms` (past the client's timeout, the client never learns the outcome), or until `release()`.
   * `accepted` resolves once the exchange side is done, the moment to kill a process or take a database away.
   */
  holdNext(path: string, ms?: number): HeldAnswer {
    let accepted!: () => void;
    let release!: () => void;
    const hold: Hold = {
      accepted: new Promise<void>((r) => (accepted = r)),
      released: new Promise<void>((r) => (release = r)),
      onAccepted: () => accepted(),
    };
    if (ms !== undefined) void hold.accepted.then(() => setTimeout(release, ms));
    this.holds.push({ path, hold });
    return { accepted: hold.accepted, release: () => release() };
  }

  /** Fills an order at its limit price (the market came to it). */
  fill(orderId: string): void {
    const o = this.book.orders.get(Number(orderId));
    if (!o) throw new Error(`no order ${orderId}`);
    o.executedQty = o.origQty;
    o.cummulativeQuoteQty = new Decimal(o.origQty).times(o.price).toFixed(8);
    o.status = 'FILLED';
    o.updateTime = Date.now();
  }

  /** Closes per symbol (oldest first) that GET /api/v3/klines serves; else a flat series at the last price. */
  readonly closes = new Map<string, string[]>();

  /** An order the user placed elsewhere (web UI, a bot...), resting as NEW. */
  addOrder(apiKey: string, o: { symbol: string; side: 'BUY' | 'SELL'; quantity: string; price: string; type?: string }): number {
    return this.book.add(apiKey, o).orderId;
  }

  /** Fills an order (fully by default); a filled OCO leg expires its sibling. */
  fillOrder(orderId: number, opts: { quantity?: string; price?: string } = {}): FakeOrder {
    return this.book.fill(orderId, opts);
  }

  findOrder(orderId: number): FakeOrder | undefined {
    return this.book.orders.get(orderId);
  }

  orders(apiKey: string): FakeOrder[] {
    return [...this.book.orders.values()].filter((o) => o.apiKey === apiKey);
  }

  setBalance(apiKey: string, asset: string, free: string): void {
    const balances = this.accounts.get(apiKey)!.balances;
    const b = balances.find((x) => x.asset === asset);
    if (b) b.free = free;
    else balances.push({ asset, free, locked: '0.00000000' });
  }

  count(method: string, path: string): number {
    return this.requests.filter((r) => r.method === method && r.path === path).length;
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const run = () => this.handle(req, res, body);
        if (this.latencyMs > 0) setTimeout(run, this.latencyMs);
        else run();
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  private takeFailure(path: string): FakeFailure | undefined {
    const i = this.failures.findIndex((f) => f.path === path || f.path === '*');
    if (i < 0) return undefined;
    const f = this.failures[i].failure;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.failures.splice(i, 1);
    return f;
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const [path, query = ''] = (req.url ?? '/').split('?');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path, query, body, headers: { ...req.headers } });
    const failure = this.takeFailure(path);
    if (failure) return answerFailure(res, failure);
    const held = this.holds.findIndex((h) => h.path === path);
    if (held >= 0) holdAnswer(res, this.holds.splice(held, 1)[0].hold);

    const params = new URLSearchParams(query);
    new URLSearchParams(body).forEach((v, k) => params.set(k, v));

    let apiKey = '';
    if (SIGNED.has(path)) {
      const auth = authenticate(this.accounts, req, query, body, params);
      if (isError(auth)) return sendError(res, auth);
      apiKey = auth.apiKey;
      const magic = MAGIC[params.get('symbol') ?? ''];
      if (magic) return answerFailure(res, magic);
    }
    const answer = (x: object) => (isError(x) ? sendError(res, x) : send(res, 200, x));

    switch (`${method} ${path}`) {
      case 'GET /api/v3/ping':
        return send(res, 200, {});
      case 'GET /api/v3/time':
        return send(res, 200, { serverTime: Date.now() });
      case 'GET /api/v3/exchangeInfo':
        return send(res, 200, exchangeInfo());
      case 'GET /api/v3/ticker/price': {
        if (!params.get('symbol'))
          return send(
            res,
            200,
            [...this.prices].map(([symbol, price]) => ({ symbol, price })),
          );
        const symbol = params.get('symbol') ?? '';
        const price = this.prices.get(symbol);
        if (!price) return sendError(res, { status: 400, code: -1121, msg: 'Invalid symbol.' });
        return send(res, 200, { symbol, price });
      }
      case 'GET /api/v3/account':
        return send(res, 200, accountPayload(this.accounts.get(apiKey)!));
      case 'POST /api/v3/order/test': {
        const problem = this.book.validate(params);
        return problem ? sendError(res, problem) : send(res, 200, {});
      }
      case 'POST /api/v3/order': {
        const placed = this.book.place(apiKey, params);
        return isError(placed) ? sendError(res, placed) : send(res, 200, publicOrder(placed));
      }
      case 'POST /api/v3/orderList/oco':
        return answer(this.book.oco(apiKey, params));
      case 'GET /api/v3/order':
      case 'DELETE /api/v3/order': {
        const order = this.book.lookup(apiKey, params, method === 'DELETE');
        return isError(order) ? sendError(res, order) : send(res, 200, publicOrder(order));
      }
      case `GET ${KEY_RESTRICTIONS_PATH}`:
        return send(res, 200, restrictionsPayload(this.keyRestrictions.get(apiKey)));
      case 'GET /api/v3/openOrders':
        return send(res, 200, this.book.open(apiKey).map(publicOrder));
      case 'GET /api/v3/allOrders': {
        const orders = this.book.all(apiKey, params);
        return isError(orders) ? sendError(res, orders) : send(res, 200, orders.map(publicOrder));
      }
      case 'GET /api/v3/myTrades':
        return answer(this.book.trades(apiKey, params));
      case 'DELETE /api/v3/orderList':
        return answer(this.book.cancelList(apiKey, params));
      case 'GET /api/v3/klines': {
        const symbol = params.get('symbol') ?? '';
        const interval = INTERVALS[params.get('interval') ?? ''];
        if (!this.prices.has(symbol)) return sendError(res, { status: 400, code: -1121, msg: 'Invalid symbol.' });
        if (!interval) return sendError(res, { status: 400, code: -1120, msg: 'Invalid interval.' });
        const limit = Math.min(Number(params.get('limit') ?? 500), 1000);
        const closes = this.closes.get(symbol) ?? Array.from({ length: limit }, () => this.prices.get(symbol)!);
        return send(res, 200, klines(closes.slice(-limit), interval, Math.floor(Date.now() / interval) * interval));
      }
      default:
        return sendError(res, { status: 404, code: -1000, msg: `Unknown endpoint ${method} ${path}` });
    }
  }
}
