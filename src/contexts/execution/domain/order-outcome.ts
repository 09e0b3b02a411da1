import { Decimal } from '@kernel';
import { ExchangeOrder, OrderOutcome } from './execution.ports';
import { ExchangeUpstreamError } from './upstream-error';

/** Binance statuses in which an order can still change (fill, cancel, expire). */
export const OPEN_STATUSES: readonly string[] = ['NEW', 'PARTIALLY_FILLED'];

export const outcomeOf = (o: ExchangeOrder): OrderOutcome => ({
  status: o.status,
  exchangeOrderId: o.orderId,
  filledQty: new Decimal(o.executedQty || '0').toFixed(),
  filledQuote: new Decimal(o.cumulativeQuoteQty ?? '0').abs().toFixed(),
  reason: null,
});

/**
 * Whether an error proves the exchange did not take the order. A 4xx answer does; a timeout, a dropped
 * connection or a 5xx does not: Binance documents 5xx as "execution status UNKNOWN, could have been a success".
 */
export const isRefusal = (e: ExchangeUpstreamError): boolean =>
  e.kind !== 'unreachable' && e.upstreamStatus !== null && e.upstreamStatus < 500;

export const refusal = (e: ExchangeUpstreamError): OrderOutcome => ({
  status: 'REJECTED',
  exchangeOrderId: null,
  filledQty: '0',
  filledQuote: '0',
  reason: `${e.upstreamCode ?? e.kind}: ${e.upstreamMessage}`.slice(0, 300),
});

export const notSent = (reason: string): OrderOutcome => ({
  status: 'NOT_SENT',
  exchangeOrderId: null,
  filledQty: '0',
  filledQuote: '0',
  reason: reason.slice(0, 300),
});

/** The outcome differs from what is recorded (status or fills): worth an update and an audit event. */
export const changed = (was: { status: string; filledQty: string }, now: OrderOutcome): boolean =>
  was.status !== now.status || !new Decimal(was.filledQty).eq(now.filledQty);
