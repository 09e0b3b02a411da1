import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import Decimal from 'decimal.js';

/**
 * A Binance spot (testnet) fake on node:http that enforces the real protocol:
 * X-MBX-APIKEY, HMAC-SHA256 hex signature over query string + body, timestamp
 * within recvWindow, exchangeInfo filters (-1013), duplicate newClientOrderId.
 * Failures on demand through `failNext` (in-process control API) or magic
 * symbols (FAILAUTHUSDT -> -2015, FAILSIGUSDT -> -1022, FAILFILTERUSDT -> -1013,
 * FAILRATEUSDT -> 429 with Retry-After).
 */
export interface FakeFailure {
  status: number;
  code?: number;
  msg?: string;
  retryAfter?: number;
  /** How many calls fail (default 1). */
  times?: number;
  /** Drop the connection instead of answering. */
  destroy?: boolean;
}

interface FakeOrder {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: string;
  stopPrice?: string;
  time: number;
  updateTime: number;
  apiKey: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

const SYMBOLS = [
  {
    symbol: 'BTCUSDT',
    base: 'BTC',
    quote: 'USDT',
    price: '60000.00',
    minQty: '0.00001000',
    maxQty: '9000.00000000',
    step: '0.00001000',
    tick: '0.01000000',
    minNotional: '5.00000000',
  },
  {
    symbol: 'ETHUSDT',
    base: 'ETH',
    quote: 'USDT',
    price: '3000.00',
    minQty: '0.00010000',
    maxQty: '9000.00000000',
    step: '0.00010000',
    tick: '0.01000000',
    minNotional: '5.00000000',
  },
  {
    symbol: 'BNBUSDT',
    base: 'BNB',
    quote: 'USDT',
    price: '500.00',
    minQty: '0.00100000',
    maxQty: '9000.00000000',
    step: '0.00100000',
    tick: '0.01000000',
    minNotional: '5.00000000',
  },
  {
    symbol: 'ETHBTC',
    base: 'ETH',
    quote: 'BTC',
    price: '0.05000',
    minQty: '0.00010000',
    maxQty: '100000.00000000',
    step: '0.00010000',
    tick: '0.00001000',
    minNotional: '0.00010000',
  },
  {
    symbol: 'FAILAUTHUSDT',
    base: 'FAILAUTH',
    quote: 'USDT',
    price: '1.00',
    minQty: '1.00000000',
    maxQty: '100000.00000000',
    step: '1.00000000',
    tick: '0.01000000',
    minNotional: '1.00000000',
  },
  {
    symbol: 'FAILSIGUSDT',
    base: 'FAILSIG',
    quote: 'USDT',
    price: '1.00',
    minQty: '1.00000000',
    maxQty: '100000.00000000',
    step: '1.00000000',
    tick: '0.01000000',
    minNotional: '1.00000000',
  },
  {
    symbol: 'FAILFILTERUSDT',
    base: 'FAILFILTER',
    quote: 'USDT',
    price: '1.00',
    minQty: '1.00000000',
    maxQty: '100000.00000000',
    step: '1.00000000',
    tick: '0.01000000',
    minNotional: '1.00000000',
  },
  {
    symbol: 'FAILRATEUSDT',
    base: 'FAILRATE',
    quote: 'USDT',
    price: '1.00',
    minQty: '1.00000000',
    maxQty: '100000.00000000',
    step: '1.00000000',
    tick: '0.01000000',
    minNotional: '1.00000000',
  },
];

const MAGIC: Record<string, FakeFailure> = {
  FAILAUTHUSDT: { status: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' },
  FAILSIGUSDT: { status: 400, code: -1022, msg: 'Signature for this request is not valid.' },
  FAILFILTERUSDT: { status: 400, code: -1013, msg: 'Filter failure: PERCENT_PRICE_BY_SIDE' },
  FAILRATEUSDT: { status: 429, code: -1003, msg: 'Too many requests; current limit is 1200 request weight per 1 MINUTE.', retryAfter: 1 },
};

const SIGNED = new Set([
  '/api/v3/account',
  '/api/v3/order',
  '/api/v3/order/test',
  '/api/v3/orderList/oco',
  '/api/v3/order/oco',
  '/api/v3/openOrders',
]);

export class BinanceFake {
  url = '';
  latencyMs = 0;
  readonly requests: RecordedRequest[] = [];
  readonly prices = new Map(SYMBOLS.map((s) => [s.symbol, s.price]));
  private readonly accounts = new Map<string, { secret: string; balances: { asset: string; free: string; locked: string }[] }>();
  private readonly failures: { path: string; failure: FakeFailure }[] = [];
  private readonly orders = new Map<number, FakeOrder>();
  private nextOrderId = 1000;
  private nextListId = 1;
  private server?: Server;

  addAccount(
    apiKey: string,
    secret: string,
    balances = [
      { asset: 'BTC', free: '1.00000000', locked: '0.00000000' },
      { asset: 'USDT', free: '10000.00000000', locked: '0.00000000' },
      { asset: 'ETH', free: '0.00000000', locked: '0.00000000' },
    ],
  ): void {
    this.accounts.set(apiKey, { secret, balances });
  }

  /** The next call(s) to `path` ('*' = any) answer with this failure. */
  failNext(path: string, failure: FakeFailure): void {
    this.failures.push({ path, failure: { times: 1, ...failure } });
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

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private error(res: ServerResponse, status: number, code: number, msg: string, headers: Record<string, string> = {}): void {
    this.send(res, status, { code, msg }, headers);
  }

  private takeFailure(path: string): FakeFailure | undefined {
    const i = this.failures.findIndex((f) => f.path === path || f.path === '*');
    if (i < 0) return undefined;
    const f = this.failures[i].failure;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.failures.splice(i, 1);
    return f;
  }

  private answerFailure(res: ServerResponse, f: FakeFailure): void {
    if (f.destroy) {
      res.socket?.destroy();
      return;
    }
    const headers: Record<string, string> = f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : {};
    this.error(res, f.status, f.code ?? -1000, f.msg ?? 'An unknown error occurred while processing the request.', headers);
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const [path, query = ''] = (req.url ?? '/').split('?');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path, query, body, headers: { ...req.headers } });
    const failure = this.takeFailure(path);
    if (failure) return this.answerFailure(res, failure);

    const params = new URLSearchParams(query);
    new URLSearchParams(body).forEach((v, k) => params.set(k, v));

    let apiKey = '';
    if (SIGNED.has(path)) {
      const auth = this.authenticate(req, query, body, params);
      if (auth.error !== undefined) return this.error(res, auth.status, auth.code, auth.error);
      apiKey = auth.apiKey;
      const magic = MAGIC[params.get('symbol') ?? ''];
      if (magic) return this.answerFailure(res, magic);
    }

    switch (`${method} ${path}`) {
      case 'GET /api/v3/ping':
        return this.send(res, 200, {});
      case 'GET /api/v3/time':
        return this.send(res, 200, { serverTime: Date.now() });
      case 'GET /api/v3/exchangeInfo':
        return this.send(res, 200, this.exchangeInfo());
      case 'GET /api/v3/ticker/price': {
        const symbol = params.get('symbol') ?? '';
        const price = this.prices.get(symbol);
        if (!price) return this.error(res, 400, -1121, 'Invalid symbol.');
        return this.send(res, 200, { symbol, price });
      }
      case 'GET /api/v3/account':
        return this.send(res, 200, this.account(apiKey));
      case 'POST /api/v3/order/test':
      case 'POST /api/v3/order': {
        const problem = this.validateOrder(params);
        if (problem) return this.error(res, 400, problem.code, problem.msg);
        if (path.endsWith('/test')) return this.send(res, 200, {});
        const dup = [...this.orders.values()].find(
          (o) =>
            o.apiKey === apiKey && o.clientOrderId === params.get('newClientOrderId') && ['NEW', 'PARTIALLY_FILLED'].includes(o.status),
        );
        if (dup) return this.error(res, 400, -2010, 'Duplicate order sent.');
        return this.send(res, 200, this.publicOrder(this.createOrder(apiKey, params, -1)));
      }
      case 'POST /api/v3/orderList/oco':
        return this.oco(res, apiKey, params);
      case 'GET /api/v3/order':
      case 'DELETE /api/v3/order': {
        const id = Number(params.get('orderId'));
        const order = this.orders.get(id);
        if (!order || order.apiKey !== apiKey || order.symbol !== params.get('symbol')) {
          return this.error(res, 400, -2013, 'Order does not exist.');
        }
        if (method === 'DELETE') {
          if (!['NEW', 'PARTIALLY_FILLED'].includes(order.status)) return this.error(res, 400, -2011, 'Unknown order sent.');
          order.status = 'CANCELED';
          order.updateTime = Date.now();
        }
        return this.send(res, 200, this.publicOrder(order));
      }
      case 'GET /api/v3/openOrders':
        return this.send(
          res,
          200,
          [...this.orders.values()].filter((o) => o.apiKey === apiKey && o.status === 'NEW').map((o) => this.publicOrder(o)),
        );
      default:
        return this.error(res, 404, -1000, `Unknown endpoint ${method} ${path}`);
    }
  }

  /** Binance's SIGNED rule: signature = hex HMAC-SHA256(secret, queryString + body) without the signature itself. */
  private authenticate(
    req: IncomingMessage,
    query: string,
    body: string,
    params: URLSearchParams,
  ):
    | { apiKey: string; error?: undefined; status?: undefined; code?: undefined }
    | { apiKey?: undefined; error: string; status: number; code: number } {
    const apiKey = String(req.headers['x-mbx-apikey'] ?? '');
    if (!apiKey) return { status: 401, code: -2014, error: 'API-key format invalid.' };
    if (!/^[A-Za-z0-9_-]{4,128}$/.test(apiKey)) return { status: 401, code: -2014, error: 'API-key format invalid.' };
    const account = this.accounts.get(apiKey);
    if (!account) return { status: 401, code: -2015, error: 'Invalid API-key, IP, or permissions for action.' };
    const signature = params.get('signature');
    if (!signature)
      return { status: 400, code: -1102, error: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed." };
    const strip = (s: string) =>
      s
        .split('&')
        .filter((p) => p && !p.startsWith('signature='))
        .join('&');
    const payload = strip(query) + strip(body);
    const expected = createHmac('sha256', account.secret).update(payload).digest('hex');
    const a = Buffer.from(expected);
    const b = Buffer.from(signature);
    if (a.length !== b.length || !timingSafeEqual(a, b))
      return { status: 400, code: -1022, error: 'Signature for this request is not valid.' };
    const timestamp = Number(params.get('timestamp'));
    const recvWindow = Number(params.get('recvWindow') ?? 5000);
    if (!Number.isFinite(timestamp))
      return { status: 400, code: -1102, error: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed." };
    if (!(recvWindow > 0 && recvWindow <= 60000)) return { status: 400, code: -1131, error: 'recvWindow must be less than 60000' };
    const now = Date.now();
    if (timestamp > now + 1000 || now - timestamp > recvWindow) {
      return { status: 400, code: -1021, error: 'Timestamp for this request is outside of the recvWindow.' };
    }
    return { apiKey };
  }

  private exchangeInfo() {
    return {
      timezone: 'UTC',
      serverTime: Date.now(),
      rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }],
      exchangeFilters: [],
      symbols: SYMBOLS.map((s) => ({
        symbol: s.symbol,
        status: 'TRADING',
        baseAsset: s.base,
        baseAssetPrecision: 8,
        quoteAsset: s.quote,
        quotePrecision: 8,
        quoteAssetPrecision: 8,
        baseCommissionPrecision: 8,
        quoteCommissionPrecision: 8,
        orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
        icebergAllowed: true,
        ocoAllowed: true,
        otoAllowed: true,
        quoteOrderQtyMarketAllowed: true,
        allowTrailingStop: true,
        cancelReplaceAllowed: true,
        isSpotTradingAllowed: true,
        isMarginTradingAllowed: false,
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: s.tick, maxPrice: '1000000.00000000', tickSize: s.tick },
          { filterType: 'LOT_SIZE', minQty: s.minQty, maxQty: s.maxQty, stepSize: s.step },
          { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
          {
            filterType: 'NOTIONAL',
            minNotional: s.minNotional,
            applyMinToMarket: true,
            maxNotional: '9000000.00000000',
            applyMaxToMarket: false,
            avgPriceMins: 5,
          },
        ],
        permissions: [],
        permissionSets: [['SPOT']],
        defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
        allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
      })),
    };
  }

  private account(apiKey: string) {
    return {
      makerCommission: 10,
      takerCommission: 10,
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
      canTrade: true,
      canWithdraw: false,
      canDeposit: false,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: Date.now(),
      accountType: 'SPOT',
      balances: this.accounts.get(apiKey)!.balances,
      permissions: ['SPOT'],
      uid: 1,
    };
  }

  private validateOrder(p: URLSearchParams): { code: number; msg: string } | null {
    for (const k of ['symbol', 'side', 'type'])
      if (!p.get(k)) return { code: -1102, msg: `Mandatory parameter '${k}' was not sent, was empty/null, or malformed.` };
    const info = SYMBOLS.find((s) => s.symbol === p.get('symbol'));
    if (!info) return { code: -1121, msg: 'Invalid symbol.' };
    if (!['BUY', 'SELL'].includes(p.get('side')!)) return { code: -1117, msg: 'Invalid side.' };
    const type = p.get('type')!;
    if (!['LIMIT', 'MARKET', 'LIMIT_MAKER', 'STOP_LOSS_LIMIT'].includes(type)) return { code: -1116, msg: 'Invalid orderType.' };
    const qtyText = p.get('quantity');
    if (!qtyText) return { code: -1102, msg: "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed." };
    const qty = new Decimal(qtyText);
    if (qty.lt(info.minQty) || qty.gt(info.maxQty) || !qty.minus(info.minQty).mod(info.step).isZero())
      return { code: -1013, msg: 'Filter failure: LOT_SIZE' };
    let price = new Decimal(this.prices.get(info.symbol)!);
    if (type !== 'MARKET') {
      const priceText = p.get('price');
      if (!priceText) return { code: -1102, msg: "Mandatory parameter 'price' was not sent, was empty/null, or malformed." };
      price = new Decimal(priceText);
      if (price.lt(info.tick) || !price.mod(info.tick).isZero()) return { code: -1013, msg: 'Filter failure: PRICE_FILTER' };
      if (type === 'LIMIT' && !p.get('timeInForce'))
        return { code: -1102, msg: "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed." };
    }
    if (qty.times(price).lt(info.minNotional)) return { code: -1013, msg: 'Filter failure: NOTIONAL' };
    const id = p.get('newClientOrderId');
    if (id && !/^[.A-Z:/a-z0-9_-]{1,36}$/.test(id))
      return {
        code: -1100,
        msg: "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.",
      };
    return null;
  }

  private createOrder(apiKey: string, p: URLSearchParams, orderListId: number, overrides: Partial<FakeOrder> = {}): FakeOrder {
    const symbol = p.get('symbol')!;
    const market = new Decimal(this.prices.get(symbol)!);
    const type = overrides.type ?? p.get('type')!;
    const side = overrides.side ?? p.get('side')!;
    const price = overrides.price ?? (type === 'MARKET' ? '0.00000000' : new Decimal(p.get('price')!).toFixed(8));
    const qty = new Decimal(overrides.origQty ?? p.get('quantity')!);
    // Marketable orders fill at once; the rest rest on the book.
    const fills =
      type === 'MARKET' || (type === 'LIMIT' && (side === 'BUY' ? new Decimal(price).gte(market) : new Decimal(price).lte(market)));
    const now = Date.now();
    const order: FakeOrder = {
      symbol,
      orderId: this.nextOrderId++,
      orderListId,
      clientOrderId: overrides.clientOrderId ?? p.get('newClientOrderId') ?? `fake${this.nextOrderId}`,
      price,
      origQty: qty.toFixed(8),
      executedQty: fills ? qty.toFixed(8) : '0.00000000',
      cummulativeQuoteQty: fills ? qty.times(type === 'MARKET' ? market : price).toFixed(8) : '0.00000000',
      status: fills ? 'FILLED' : 'NEW',
      timeInForce: type === 'MARKET' ? 'GTC' : (p.get('timeInForce') ?? 'GTC'),
      type,
      side,
      stopPrice: overrides.stopPrice,
      time: now,
      updateTime: now,
      apiKey,
    };
    this.orders.set(order.orderId, order);
    return order;
  }

  private publicOrder(o: FakeOrder) {
    return {
      symbol: o.symbol,
      orderId: o.orderId,
      orderListId: o.orderListId,
      clientOrderId: o.clientOrderId,
      transactTime: o.time,
      time: o.time,
      updateTime: o.updateTime,
      price: o.price,
      origQty: o.origQty,
      executedQty: o.executedQty,
      cummulativeQuoteQty: o.cummulativeQuoteQty,
      status: o.status,
      timeInForce: o.timeInForce,
      type: o.type,
      side: o.side,
      ...(o.stopPrice ? { stopPrice: o.stopPrice } : {}),
      workingTime: o.time,
      selfTradePreventionMode: 'EXPIRE_MAKER',
      fills: [],
    };
  }

  /** POST /api/v3/orderList/oco: one LIMIT_MAKER leg above, one STOP_LOSS_LIMIT leg below (for a SELL). */
  private oco(res: ServerResponse, apiKey: string, p: URLSearchParams): void {
    for (const k of ['symbol', 'side', 'quantity', 'aboveType', 'belowType']) {
      if (!p.get(k)) return this.error(res, 400, -1102, `Mandatory parameter '${k}' was not sent, was empty/null, or malformed.`);
    }
    const info = SYMBOLS.find((s) => s.symbol === p.get('symbol'));
    if (!info) return this.error(res, 400, -1121, 'Invalid symbol.');
    const market = new Decimal(this.prices.get(info.symbol)!);
    const legPrice = (which: 'above' | 'below') => p.get(`${which}Price`) ?? p.get(`${which}StopPrice`);
    const above = legPrice('above');
    const below = legPrice('below');
    if (!above || !below) return this.error(res, 400, -1102, "Mandatory parameter 'abovePrice'/'belowPrice' was not sent.");
    if (new Decimal(above).lte(market) || new Decimal(below).gte(market)) {
      return this.error(res, 400, -2010, 'The relationship of the prices for the orders is not correct.');
    }
    const listId = this.nextListId++;
    const listClientOrderId = p.get('listClientOrderId') ?? `list${listId}`;
    const leg = (which: 'above' | 'below') => {
      const type = p.get(`${which}Type`)!;
      return this.createOrder(apiKey, p, listId, {
        type,
        side: p.get('side')!,
        price: new Decimal(p.get(`${which}Price`) ?? p.get(`${which}StopPrice`)!).toFixed(8),
        stopPrice: p.get(`${which}StopPrice`) ? new Decimal(p.get(`${which}StopPrice`)!).toFixed(8) : undefined,
        clientOrderId: p.get(`${which}ClientOrderId`) ?? `${listClientOrderId}-${which}`,
        status: 'NEW',
      });
    };
    const legs = [leg('below'), leg('above')];
    for (const o of legs) {
      o.status = 'NEW';
      o.executedQty = '0.00000000';
      o.cummulativeQuoteQty = '0.00000000';
    }
    this.send(res, 200, {
      orderListId: listId,
      contingencyType: 'OCO',
      listStatusType: 'EXEC_STARTED',
      listOrderStatus: 'EXECUTING',
      listClientOrderId,
      transactionTime: Date.now(),
      symbol: info.symbol,
      orders: legs.map((o) => ({ symbol: o.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId })),
      orderReports: legs.map((o) => this.publicOrder(o)),
    });
  }
}
