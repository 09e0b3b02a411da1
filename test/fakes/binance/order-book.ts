import Decimal from 'decimal.js';
import { BinanceError, missing } from './http';
import { findSymbol } from './market';

export interface FakeOrder {
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

const OPEN = ['NEW', 'PARTIALLY_FILLED'];

/** The fake's orders across every account: validation by exchangeInfo filters, marketable orders fill at once. */
export class OrderBook {
  readonly orders = new Map<number, FakeOrder>();
  private nextOrderId = 1000;
  private nextListId = 1;

  constructor(private readonly prices: Map<string, string>) {}

  validate(p: URLSearchParams): BinanceError | null {
    for (const k of ['symbol', 'side', 'type']) if (!p.get(k)) return missing(k);
    const info = findSymbol(p.get('symbol'));
    if (!info) return { status: 400, code: -1121, msg: 'Invalid symbol.' };
    const invalid = (code: number, msg: string): BinanceError => ({ status: 400, code, msg });
    if (!['BUY', 'SELL'].includes(p.get('side')!)) return invalid(-1117, 'Invalid side.');
    const type = p.get('type')!;
    if (!['LIMIT', 'MARKET', 'LIMIT_MAKER', 'STOP_LOSS_LIMIT'].includes(type)) return invalid(-1116, 'Invalid orderType.');
    const qtyText = p.get('quantity');
    if (!qtyText) return missing('quantity');
    const qty = new Decimal(qtyText);
    if (qty.lt(info.minQty) || qty.gt(info.maxQty) || !qty.minus(info.minQty).mod(info.step).isZero())
      return invalid(-1013, 'Filter failure: LOT_SIZE');
    let price = new Decimal(this.prices.get(info.symbol)!);
    if (type !== 'MARKET') {
      const priceText = p.get('price');
      if (!priceText) return missing('price');
      price = new Decimal(priceText);
      if (price.lt(info.tick) || !price.mod(info.tick).isZero()) return invalid(-1013, 'Filter failure: PRICE_FILTER');
      if (type === 'LIMIT' && !p.get('timeInForce')) return missing('timeInForce');
    }
    if (qty.times(price).lt(info.minNotional)) return invalid(-1013, 'Filter failure: NOTIONAL');
    const id = p.get('newClientOrderId');
    if (id && !/^[.A-Z:/a-z0-9_-]{1,36}$/.test(id))
      return invalid(-1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.");
    return null;
  }

  /** POST /api/v3/order: validated, refused as a duplicate while an open order has the same client id. */
  place(apiKey: string, p: URLSearchParams): FakeOrder | BinanceError {
    const problem = this.validate(p);
    if (problem) return problem;
    const dup = [...this.orders.values()].find(
      (o) => o.apiKey === apiKey && o.clientOrderId === p.get('newClientOrderId') && OPEN.includes(o.status),
    );
    if (dup) return { status: 400, code: -2010, msg: 'Duplicate order sent.' };
    return this.create(apiKey, p, -1);
  }

  create(apiKey: string, p: URLSearchParams, orderListId: number, overrides: Partial<FakeOrder> = {}): FakeOrder {
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

  /** GET or DELETE /api/v3/order by orderId or origClientOrderId (the newest with it): the caller's own order on that symbol, else -2013. */
  lookup(apiKey: string, p: URLSearchParams, cancel: boolean): FakeOrder | BinanceError {
    const clientId = p.get('origClientOrderId');
    if (!p.get('orderId') && !clientId)
      return { status: 400, code: -1102, msg: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!" };
    const order = p.get('orderId')
      ? this.orders.get(Number(p.get('orderId')))
      : [...this.orders.values()].reverse().find((o) => o.apiKey === apiKey && o.clientOrderId === clientId);
    if (!order || order.apiKey !== apiKey || order.symbol !== p.get('symbol')) {
      return { status: 400, code: -2013, msg: 'Order does not exist.' };
    }
    if (cancel) {
      if (!OPEN.includes(order.status)) return { status: 400, code: -2011, msg: 'Unknown order sent.' };
      order.status = 'CANCELED';
      order.updateTime = Date.now();
    }
    return order;
  }

  open(apiKey: string): FakeOrder[] {
    return [...this.orders.values()].filter((o) => o.apiKey === apiKey && OPEN.includes(o.status));
  }

  /** GET /api/v3/allOrders: the account's orders on one symbol, oldest first (orderId >=, limit 500 by default, 1000 at most). */
  all(apiKey: string, p: URLSearchParams): FakeOrder[] | BinanceError {
    if (!p.get('symbol')) return missing('symbol');
    if (!findSymbol(p.get('symbol'))) return { status: 400, code: -1121, msg: 'Invalid symbol.' };
    const from = Number(p.get('orderId') ?? 0);
    const limit = Math.min(Number(p.get('limit') ?? 500), 1000);
    return [...this.orders.values()]
      .filter((o) => o.apiKey === apiKey && o.symbol === p.get('symbol') && o.orderId >= from)
      .sort((a, b) => a.orderId - b.orderId)
      .slice(-limit);
  }

  /** GET /api/v3/myTrades: one trade per (partly) filled order of the symbol, at its average price. */
  trades(apiKey: string, p: URLSearchParams): object[] | BinanceError {
    const orders = this.all(apiKey, p);
    if (isError(orders)) return orders;
    return orders
      .filter((o) => new Decimal(o.executedQty).greaterThan(0))
      .map((o) => ({
        symbol: o.symbol,
        id: o.orderId * 10,
        orderId: o.orderId,
        orderListId: o.orderListId,
        price: new Decimal(o.cummulativeQuoteQty).div(o.executedQty).toFixed(8),
        qty: o.executedQty,
        quoteQty: o.cummulativeQuoteQty,
        commission: '0.00000000',
        commissionAsset: findSymbol(o.symbol)!.quote,
        time: o.updateTime,
        isBuyer: o.side === 'BUY',
        isMaker: false,
        isBestMatch: true,
      }));
  }

  /** DELETE /api/v3/orderList: both legs of the caller's OCO cancelled. */
  cancelList(apiKey: string, p: URLSearchParams): object | BinanceError {
    const listId = Number(p.get('orderListId'));
    const legs = [...this.orders.values()].filter((o) => o.apiKey === apiKey && o.orderListId === listId && o.orderListId >= 0);
    if (!legs.length) return { status: 400, code: -2011, msg: 'Order list does not exist.' };
    for (const o of legs) if (OPEN.includes(o.status)) Object.assign(o, { status: 'CANCELED', updateTime: Date.now() });
    return {
      orderListId: listId,
      contingencyType: 'OCO',
      listStatusType: 'ALL_DONE',
      listOrderStatus: 'ALL_DONE',
      orderReports: legs.map(publicOrder),
    };
  }

  /** An order placed elsewhere (the web UI, a bot): resting on the book as NEW. */
  add(apiKey: string, o: { symbol: string; side: 'BUY' | 'SELL'; quantity: string; price: string; type?: string }): FakeOrder {
    const p = new URLSearchParams({ symbol: o.symbol, side: o.side, type: o.type ?? 'LIMIT', quantity: o.quantity, price: o.price });
    const order = this.create(apiKey, p, -1);
    Object.assign(order, { status: 'NEW', executedQty: '0.00000000', cummulativeQuoteQty: '0.00000000' });
    return order;
  }

  /**
   * Fills an order (fully by default, at its limit or trigger price unless told); a filled
   * OCO leg expires the other leg of its list, as Binance does.
   */
  fill(orderId: number, opts: { quantity?: string; price?: string } = {}): FakeOrder {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`fake: no order ${orderId}`);
    const qty = new Decimal(opts.quantity ?? order.origQty);
    const price = new Decimal(opts.price ?? (new Decimal(order.price).isZero() ? (order.stopPrice ?? order.price) : order.price));
    const full = qty.gte(order.origQty);
    Object.assign(order, {
      executedQty: qty.toFixed(8),
      cummulativeQuoteQty: qty.times(price).toFixed(8),
      status: full ? 'FILLED' : 'PARTIALLY_FILLED',
      updateTime: Date.now(),
    });
    if (full && order.orderListId >= 0) {
      for (const o of this.orders.values())
        if (o.orderListId === order.orderListId && o !== order && OPEN.includes(o.status))
          Object.assign(o, { status: 'EXPIRED', updateTime: Date.now() });
    }
    return order;
  }

  /** POST /api/v3/orderList/oco: one LIMIT_MAKER leg above, one STOP_LOSS_LIMIT leg below (for a SELL). */
  oco(apiKey: string, p: URLSearchParams): object | BinanceError {
    for (const k of ['symbol', 'side', 'quantity', 'aboveType', 'belowType']) if (!p.get(k)) return missing(k);
    const info = findSymbol(p.get('symbol'));
    if (!info) return { status: 400, code: -1121, msg: 'Invalid symbol.' };
    const market = new Decimal(this.prices.get(info.symbol)!);
    const legPrice = (which: 'above' | 'below') => p.get(`${which}Price`) ?? p.get(`${which}StopPrice`);
    const above = legPrice('above');
    const below = legPrice('below');
    if (!above || !below) return { status: 400, code: -1102, msg: "Mandatory parameter 'abovePrice'/'belowPrice' was not sent." };
    if (new Decimal(above).lte(market) || new Decimal(below).gte(market)) {
      return { status: 400, code: -2010, msg: 'The relationship of the prices for the orders is not correct.' };
    }
    const listId = this.nextListId++;
    const listClientOrderId = p.get('listClientOrderId') ?? `list${listId}`;
    const leg = (which: 'above' | 'below') =>
      this.create(apiKey, p, listId, {
        type: p.get(`${which}Type`)!,
        side: p.get('side')!,
        price: new Decimal(legPrice(which)!).toFixed(8),
        stopPrice: p.get(`${which}StopPrice`) ? new Decimal(p.get(`${which}StopPrice`)!).toFixed(8) : undefined,
        clientOrderId: p.get(`${which}ClientOrderId`) ?? `${listClientOrderId}-${which}`,
        status: 'NEW',
      });
    const legs = [leg('below'), leg('above')];
    for (const o of legs) {
      o.status = 'NEW';
      o.executedQty = '0.00000000';
      o.cummulativeQuoteQty = '0.00000000';
    }
    return {
      orderListId: listId,
      contingencyType: 'OCO',
      listStatusType: 'EXEC_STARTED',
      listOrderStatus: 'EXECUTING',
      listClientOrderId,
      transactionTime: Date.now(),
      symbol: info.symbol,
      orders: legs.map((o) => ({ symbol: o.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId })),
      orderReports: legs.map((o) => publicOrder(o)),
    };
  }
}

export function publicOrder(o: FakeOrder) {
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

export function isError(x: unknown): x is BinanceError {
  return typeof x === 'object' && x !== null && 'code' in x && 'msg' in x && 'status' in x;
}
