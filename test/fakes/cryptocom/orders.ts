import { FakeAccount } from './auth';
import { Answer, answer } from './http';

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

/** What the private order calls write to: the fake's own order book and its records of placed and cancelled orders. */
export interface OrderDesk {
  addOrder(apiKey: string, o: Partial<FakeOrder> & Pick<FakeOrder, 'instrument_name' | 'side' | 'quantity'>): string;
  readonly placed: Record<string, unknown>[];
  readonly cancelled: string[];
}

const isOpen = (o: FakeOrder) => o.status === 'NEW' || o.status === 'ACTIVE';

/** One authenticated private call: balances, open orders, history, detail, create, cancel. */
export function privateAnswer(
  desk: OrderDesk,
  account: FakeAccount,
  method: string,
  id: number | string | undefined,
  p: Record<string, unknown>,
): Answer {
  const ok = (result: unknown) => answer(200, { id, method, code: 0, result });
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
      return ok({ data: [...[...account.orders.values()].filter(isOpen), ...account.rawOpen] });
    case 'private/get-order-history': {
      const start = Number(p.start_time ?? 0);
      return ok({
        data: [...account.orders.values()].filter((o) => !isOpen(o) && o.update_time >= start).slice(0, Number(p.limit ?? 100)),
      });
    }
    case 'private/get-order-detail': {
      const o = account.orders.get(String(p.order_id));
      return o ? ok(o) : answer(400, { id, method, code: 40401, message: 'NOT_FOUND' });
    }
    case 'private/create-order': {
      const dup = [...account.orders.values()].find((o) => p.client_oid && o.client_oid === p.client_oid);
      if (dup) return answer(400, { id, method, code: 315, message: 'DUPLICATE_CLORDID' });
      desk.placed.push({ ...p });
      const orderId = desk.addOrder(account.apiKey, {
        client_oid: p.client_oid as string | undefined,
        instrument_name: String(p.instrument_name),
        side: p.side as 'BUY' | 'SELL',
        order_type: String(p.type ?? 'LIMIT'),
        quantity: String(p.quantity),
        limit_price: p.price as string | undefined,
        ref_price: p.ref_price as string | undefined,
        status: 'NEW',
      });
      return ok({ order_id: orderId, client_oid: p.client_oid });
    }
    case 'private/cancel-order': {
      const o = account.orders.get(String(p.order_id));
      if (!o) return answer(400, { id, method, code: 40401, message: 'NOT_FOUND' });
      if (isOpen(o)) {
        o.status = 'CANCELED';
        o.update_time = Date.now();
      }
      desk.cancelled.push(o.order_id);
      return ok({});
    }
    default:
      return answer(400, { id, method, code: 40004, message: 'METHOD_NOT_FOUND' });
  }
}
