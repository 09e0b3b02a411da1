import { changed, isRefusal, notSent, outcomeOf, refusal } from './order-outcome';
import { ExchangeUpstreamError } from './upstream-error';

const err = (kind: ConstructorParameters<typeof ExchangeUpstreamError>[1], status: number | null, code: number | null = null) =>
  new ExchangeUpstreamError('BINANCE', kind, status, code, 'msg');

describe('broker order outcomes', () => {
  it('a 4xx proves the order was refused; a timeout, a dropped connection or a 5xx does not', () => {
    expect(isRefusal(err('filter', 400, -1013))).toBe(true);
    expect(isRefusal(err('auth', 401, -2015))).toBe(true);
    expect(isRefusal(err('rate_limit', 429, -1003))).toBe(true);
    expect(isRefusal(err('unreachable', null))).toBe(false);
    expect(isRefusal(err('rejected', 503, -1001))).toBe(false);
    expect(isRefusal(err('rejected', 500))).toBe(false);
  });

  it("records the exchange's status, id and fills exactly; a refusal and a never-sent order keep their reason", () => {
    const o = outcomeOf({
      orderId: '42',
      clientOrderId: 'fo-x',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      status: 'PARTIALLY_FILLED',
      price: '59000.00000000',
      origQty: '0.00100000',
      executedQty: '0.00040000',
      cumulativeQuoteQty: '23.60000000',
      transactTime: null,
    });
    expect(o).toEqual({ status: 'PARTIALLY_FILLED', exchangeOrderId: '42', filledQty: '0.0004', filledQuote: '23.6', reason: null });
    expect(refusal(err('filter', 400, -1013))).toMatchObject({ status: 'REJECTED', exchangeOrderId: null, reason: '-1013: msg' });
    expect(notSent('x'.repeat(400)).reason).toHaveLength(300);
  });

  it('a change is a new status or a new fill', () => {
    const now = notSent('r');
    expect(changed({ status: 'PENDING', filledQty: '0' }, now)).toBe(true);
    expect(changed({ status: 'NOT_SENT', filledQty: '0.00000000' }, now)).toBe(false);
    expect(changed({ status: 'NOT_SENT', filledQty: '1' }, now)).toBe(true);
  });
});
