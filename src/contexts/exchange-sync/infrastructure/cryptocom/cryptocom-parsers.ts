import { Instrument, OrderStatus, Parsed, RemoteBalance, RemoteOrder, SkippedRecord, Ticker } from '../../domain/exchange-gateway.ports';

const DECIMAL = /^\d{1,24}(\.\d{1,18})?$/;
const SYMBOL = /^[A-Z0-9]{1,15}_[A-Z0-9]{1,15}$/;
const CCY = /^[A-Z0-9]{1,20}$/;

const STATUS: Record<string, OrderStatus> = {
  NEW: 'NEW',
  PENDING: 'NEW',
  ACTIVE: 'ACTIVE',
  FILLED: 'FILLED',
  CANCELED: 'CANCELED',
  CANCELLED: 'CANCELED',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
};

/** A decimal string as the exchange sent it (numbers accepted too), or undefined when it is not one. */
function dec(v: unknown): string | undefined {
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : undefined;
  return s !== undefined && DECIMAL.test(s) ? s : undefined;
}

function optionalDec(v: unknown): string | null | undefined {
  if (v === undefined || v === null || v === '' || v === '0' || v === 0) return null;
  return dec(v);
}

const time = (v: unknown): Date | null => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? new Date(n) : null;
};

/** Validates one order; a reason string when it must be skipped. */
export function parseOrder(raw: unknown): RemoteOrder | string {
  if (!raw || typeof raw !== 'object') return 'not an object';
  const o = raw as Record<string, unknown>;
  const id = typeof o.order_id === 'string' || typeof o.order_id === 'number' ? String(o.order_id) : undefined;
  if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return 'missing order_id';
  const symbol = typeof o.instrument_name === 'string' ? o.instrument_name : undefined;
  if (!symbol || !SYMBOL.test(symbol)) return 'missing or invalid instrument_name';
  if (o.side !== 'BUY' && o.side !== 'SELL') return 'missing or invalid side';
  const status = typeof o.status === 'string' ? STATUS[o.status] : undefined;
  if (!status) return 'missing or unknown status';
  const quantity = dec(o.quantity);
  if (quantity === undefined) return 'non-numeric quantity';
  const cumulative = o.cumulative_quantity === undefined || o.cumulative_quantity === null ? '0' : dec(o.cumulative_quantity);
  if (cumulative === undefined) return 'non-numeric cumulative_quantity';
  const price = optionalDec(o.limit_price ?? o.price);
  const trigger = optionalDec(o.ref_price ?? o.trigger_price);
  const avg = optionalDec(o.avg_price);
  if (price === undefined || trigger === undefined || avg === undefined) return 'non-numeric price';
  const client = typeof o.client_oid === 'string' && o.client_oid.length > 0 && o.client_oid.length <= 64 ? o.client_oid : null;
  return {
    exchangeOrderId: id,
    clientOrderId: client,
    symbol,
    side: o.side,
    type: typeof o.order_type === 'string' ? o.order_type.slice(0, 24) : typeof o.type === 'string' ? o.type.slice(0, 24) : 'LIMIT',
    status,
    quantity,
    price,
    triggerPrice: trigger,
    cumulativeQuantity: cumulative,
    avgPrice: avg,
    createdAt: time(o.create_time),
    updatedAt: time(o.update_time),
  };
}

export function parseOrders(data: unknown): Parsed<RemoteOrder> {
  const items: RemoteOrder[] = [];
  const skipped: SkippedRecord[] = [];
  for (const raw of Array.isArray(data) ? data : []) {
    const r = parseOrder(raw);
    if (typeof r === 'string') {
      const ref = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).order_id : null;
      skipped.push({ reason: r, ref: typeof ref === 'string' || typeof ref === 'number' ? String(ref).slice(0, 64) : null });
    } else items.push(r);
  }
  return { items, skipped };
}

/** `private/user-balance`: result.data[0].position_balances[]. */
export function parseBalances(result: unknown): Parsed<RemoteBalance> {
  const data = (result as { data?: unknown[] } | undefined)?.data;
  const account = Array.isArray(data) ? (data[0] as { position_balances?: unknown } | undefined) : undefined;
  const list = account?.position_balances;
  const items: RemoteBalance[] = [];
  const skipped: SkippedRecord[] = [];
  for (const raw of Array.isArray(list) ? list : []) {
    const b = (raw ?? {}) as Record<string, unknown>;
    const currency = typeof b.instrument_name === 'string' ? b.instrument_name : undefined;
    const quantity = dec(b.quantity);
    if (!currency || !CCY.test(currency) || quantity === undefined) {
      skipped.push({
        reason: !currency || !CCY.test(currency) ? 'missing or invalid instrument_name' : 'non-numeric quantity',
        ref: currency?.slice(0, 20) ?? null,
      });
      continue;
    }
    items.push({ currency, quantity });
  }
  return { items, skipped };
}

/** `public/get-tickers`: data[] with i (instrument) and a (last trade price). */
export function parseTickers(result: unknown): Ticker[] {
  const data = (result as { data?: unknown[] } | undefined)?.data;
  const out: Ticker[] = [];
  for (const raw of Array.isArray(data) ? data : []) {
    const t = (raw ?? {}) as Record<string, unknown>;
    const last = dec(t.a);
    if (typeof t.i === 'string' && SYMBOL.test(t.i) && last !== undefined) out.push({ symbol: t.i, last });
  }
  return out;
}

export function parseInstruments(result: unknown): Instrument[] {
  const data = (result as { data?: unknown[] } | undefined)?.data;
  const out: Instrument[] = [];
  for (const raw of Array.isArray(data) ? data : []) {
    const t = (raw ?? {}) as Record<string, unknown>;
    if (typeof t.symbol !== 'string' || !SYMBOL.test(t.symbol)) continue;
    const [base, quote] = t.symbol.split('_');
    out.push({
      symbol: t.symbol,
      base: typeof t.base_ccy === 'string' ? t.base_ccy : base,
      quote: typeof t.quote_ccy === 'string' ? t.quote_ccy : quote,
      priceTick: dec(t.price_tick_size) ?? null,
      qtyTick: dec(t.qty_tick_size) ?? null,
    });
  }
  return out;
}
