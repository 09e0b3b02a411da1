import { Decimal } from '@kernel';
import { BrokerOrderRecord, ExchangeOrder } from '../domain/execution.ports';
import { AccountInfoResult, BalanceResult, OrderResult, PingResult, PlacedOrder, PositionsResult } from '../application/broker.results';
import {
  AccountInfoResponse,
  BalanceResponse,
  CancelOrderResponse,
  CreateOrderResponse,
  OrderResponse,
  OrderStatusResponse,
  PingResponse,
  PositionsResponse,
  RecordedOrderResponse,
} from './broker.dto';

/** The broker use cases' results in seed 002's snake_case shapes. */
export const toOrderResponse = (o: ExchangeOrder): OrderResponse => ({
  order_id: o.orderId,
  client_order_id: o.clientOrderId,
  symbol: o.symbol,
  side: o.side,
  type: o.type,
  status: o.status,
  price: o.price === null ? null : new Decimal(o.price).toFixed(),
  quantity: new Decimal(o.origQty).toFixed(),
  filled: new Decimal(o.executedQty).toFixed(),
  remaining: new Decimal(o.origQty).minus(o.executedQty).toFixed(),
});

export const toPingResponse = (r: PingResult): PingResponse => ({
  status: 'connected',
  exchange: 'BINANCE',
  mode: r.mode,
  server_time: r.serverTime,
  clock_skew_ms: r.clockSkewMs,
  latency_ms: r.latencyMs,
});

export const toBalanceResponse = (r: BalanceResult): BalanceResponse => ({
  status: 'connected',
  mode: r.mode,
  balances: r.balances,
  maker_commission: r.makerCommission,
  taker_commission: r.takerCommission,
});

export const toPositionsResponse = (r: PositionsResult): PositionsResponse => ({ mode: r.mode, positions: r.positions });

export const toAccountInfoResponse = (r: AccountInfoResult): AccountInfoResponse => ({
  mode: r.mode,
  account_type: r.accountType,
  can_trade: r.canTrade,
  permissions: r.permissions,
  maker_commission: r.makerCommission,
  taker_commission: r.takerCommission,
  assets_with_balance: r.assetsWithBalance,
});

export const toCreateOrderResponse = (r: PlacedOrder): CreateOrderResponse => ({
  status: 'success',
  mode: r.mode,
  order_id: r.entry.orderId,
  order: toOrderResponse(r.entry),
  protection: r.protection
    ? {
        status: r.protection.status,
        order_list_id: r.protection.orderListId,
        stop_loss: r.protection.stopLoss,
        take_profit: r.protection.takeProfit,
        orders: r.protection.orders.map(toOrderResponse),
        error: r.protection.error
          ? { code: r.protection.error.code, upstream_status: r.protection.error.upstreamStatus, message: r.protection.error.message }
          : null,
      }
    : null,
});

export const toCancelOrderResponse = (r: OrderResult): CancelOrderResponse => ({
  status: 'success',
  mode: r.mode,
  cancelled_order: toOrderResponse(r.order),
});

export const toOrderStatusResponse = (r: OrderResult): OrderStatusResponse => {
  const order = toOrderResponse(r.order);
  return { mode: r.mode, status: r.order.status, filled: order.filled, remaining: order.remaining, order };
};

export const toRecordedOrderResponse = (o: BrokerOrderRecord): RecordedOrderResponse => ({
  client_order_id: o.clientOrderId,
  order_id: o.exchangeOrderId,
  symbol: o.symbol,
  side: o.side,
  type: o.type,
  role: o.role,
  status: o.status,
  status_reason: o.statusReason,
  quantity: o.qty,
  price: o.price,
  filled: o.filledQty,
  oco_group_id: o.ocoGroupId,
  created_at: o.createdAt.toISOString(),
  updated_at: o.updatedAt.toISOString(),
});
