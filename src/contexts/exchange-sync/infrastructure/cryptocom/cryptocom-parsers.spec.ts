import { parseBalances, parseOrder, parseOrders, parseTickers } from './cryptocom-parsers';

const good = {
  order_id: '6530219599901241957',
  client_oid: 'sl-abc',
  instrument_name: 'BTC_USDT',
  side: 'BUY',
  order_type: 'LIMIT',
  quantity: '0.5',
  limit_price: '30000',
  cumulative_quantity: '0.25',
  avg_price: '29999.5',
  status: 'ACTIVE',
  create_time: 1700000000000,
  update_time: 1700000001000,
};

describe('crypto.com response parsing', () => {
  it('maps an order', () => {
    expect(parseOrder(good)).toMatchObject({
      exchangeOrderId: '6530219599901241957',
      clientOrderId: 'sl-abc',
      status: 'ACTIVE',
      quantity: '0.5',
      price: '30000',
      cumulativeQuantity: '0.25',
      avgPrice: '29999.5',
      updatedAt: new Date(1700000001000),
    });
    expect(parseOrder({ ...good, status: 'CANCELLED' })).toMatchObject({ status: 'CANCELED' });
  });

  it('skips records with missing fields or non-numeric quantities, keeps the rest', () => {
    const r = parseOrders([
      good,
      { ...good, order_id: undefined },
      { ...good, order_id: 'b', quantity: '1e5' },
      { ...good, order_id: 'c', quantity: 'NaN' },
      { ...good, order_id: 'd', side: 'HOLD' },
      { ...good, order_id: 'e', status: 'WEIRD' },
      { ...good, order_id: 'f', cumulative_quantity: {} },
      null,
    ]);
    expect(r.items).toHaveLength(1);
    expect(r.skipped.map((s) => s.reason)).toEqual([
      'missing order_id',
      'non-numeric quantity',
      'non-numeric quantity',
      'missing or invalid side',
      'missing or unknown status',
      'non-numeric cumulative_quantity',
      'not an object',
    ]);
    expect(parseOrders('nope').items).toEqual([]);
  });

  it('reads balances from data[0].position_balances and tickers from i / a', () => {
    const b = parseBalances({
      data: [
        { position_balances: [{ instrument_name: 'BTC', quantity: '0.5' }, { instrument_name: 'X', quantity: 'many' }, { quantity: '1' }] },
      ],
    });
    expect(b.items).toEqual([{ currency: 'BTC', quantity: '0.5' }]);
    expect(b.skipped).toHaveLength(2);
    expect(parseBalances(undefined).items).toEqual([]);
    expect(
      parseTickers({
        data: [
          { i: 'BTC_USDT', a: '30000' },
          { i: 'bad', a: '1' },
          { i: 'ETH_USDT', a: null },
        ],
      }),
    ).toEqual([{ symbol: 'BTC_USDT', last: '30000' }]);
  });
});
