import {
  AccountSnapshot,
  BinanceOrderRequest,
  ExchangeOco,
  ExchangeOrder,
  KeyRestrictions,
  RequestPreview,
} from '../../domain/execution.ports';

type Raw = Record<string, unknown>;

const str = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

export function toExchangeOrder(o: Raw): ExchangeOrder {
  return {
    orderId: String(o.orderId),
    clientOrderId: str(o.clientOrderId),
    symbol: String(o.symbol ?? ''),
    side: String(o.side ?? ''),
    type: String(o.type ?? ''),
    status: String(o.status ?? ''),
    price: str(o.price),
    origQty: String(o.origQty ?? '0'),
    executedQty: String(o.executedQty ?? '0'),
    cumulativeQuoteQty: str(o.cummulativeQuoteQty),
    transactTime: str(o.transactTime ?? o.updateTime ?? o.time),
  };
}

export function toExchangeOco(r: Raw): ExchangeOco {
  return {
    orderListId: String(r.orderListId),
    listClientOrderId: str(r.listClientOrderId),
    status: String(r.listOrderStatus ?? r.listStatusType ?? ''),
    orders: ((r.orderReports as Raw[] | undefined) ?? []).map(toExchangeOrder),
  };
}

export function toAccountSnapshot(r: Raw): AccountSnapshot {
  return {
    canTrade: r.canTrade === true,
    accountType: String(r.accountType ?? 'SPOT'),
    makerCommission: str(r.makerCommission),
    takerCommission: str(r.takerCommission),
    permissions: ((r.permissions as string[] | undefined) ?? []).map(String),
    balances: ((r.balances as Raw[] | undefined) ?? []).map((b) => ({
      asset: String(b.asset),
      free: String(b.free),
      locked: String(b.locked),
    })),
  };
}

/** GET /sapi/v1/account/apiRestrictions; a flag missing from the answer counts as off. */
export function toKeyRestrictions(r: Raw): KeyRestrictions {
  const on = (k: string) => r[k] === true;
  return {
    ipRestrict: on('ipRestrict'),
    enableWithdrawals: on('enableWithdrawals'),
    enableMargin: on('enableMargin'),
    enableFutures: on('enableFutures'),
    enableSpotAndMarginTrading: on('enableSpotAndMarginTrading'),
    enableReading: on('enableReading'),
  };
}

/** Binance's parameters for POST /api/v3/order(/test): our strings as they are, before recvWindow, timestamp and signature. */
export function orderParams(req: BinanceOrderRequest): Record<string, string> {
  const params: Record<string, string> = { symbol: req.symbol, side: req.side, type: req.type, quantity: req.qty };
  if (req.type === 'LIMIT') {
    params.timeInForce = 'GTC';
    params.price = req.price!;
  }
  params.newClientOrderId = req.clientOrderId;
  return params;
}

/** The request `placeOrder` / `testOrder` send (the dry run's preview): never the key or the signature. */
export function orderPreview(baseUrl: string, recvWindow: number, req: BinanceOrderRequest, test: boolean): RequestPreview {
  const path = test ? '/api/v3/order/test' : '/api/v3/order';
  return {
    method: 'POST',
    url: `${baseUrl}${path}`,
    path,
    params: { ...orderParams(req), recvWindow: String(recvWindow), timestamp: '<set when sent>' },
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-MBX-APIKEY': '<your stored API key>' },
    signed: true,
  };
}
