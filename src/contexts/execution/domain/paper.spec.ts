import { Decimal } from '@kernel';
import { buyReserve, crosses, feeOf, marketFillPrice } from './paper';

const d = (v: string) => new Decimal(v);

describe('paper arithmetic', () => {
  it('MARKET fills move against the taker by the slippage, rounded to 8 decimals away from them', () => {
    expect(marketFillPrice(d('60000'), 'BUY', d('5')).toFixed()).toBe('60030');
    expect(marketFillPrice(d('60000'), 'SELL', d('5')).toFixed()).toBe('59970');
    // 0.123456789 x 1.0005 = 0.1235185173945 -> up for a buy, 0.1233950606055 -> down for a sell
    expect(marketFillPrice(d('0.123456789'), 'BUY', d('5')).toFixed()).toBe('0.12351852');
    expect(marketFillPrice(d('0.123456789'), 'SELL', d('5')).toFixed()).toBe('0.12339506');
  });

  it('fees in bps of the notional, rounded up; a BUY holds its notional and fee', () => {
    expect(feeOf(d('0.01'), d('60030'), d('10')).toFixed()).toBe('0.6003');
    expect(feeOf(d('0.00000001'), d('1'), d('10')).toFixed()).toBe('0.00000001'); // 1e-11 rounds up to the smallest unit
    expect(buyReserve(d('0.01'), d('59000'), d('10')).toFixed()).toBe('590.59');
  });

  it('limits fill when the price reaches them, stops when it goes through', () => {
    const at = (type: 'LIMIT' | 'LIMIT_MAKER' | 'STOP_LOSS_LIMIT', side: 'BUY' | 'SELL', price: string) => ({
      type,
      side,
      price: d(price),
      stopPrice: type === 'STOP_LOSS_LIMIT' ? d(price) : null,
    });
    expect(crosses(at('LIMIT', 'BUY', '59000'), d('59000'))).toBe(true);
    expect(crosses(at('LIMIT', 'BUY', '59000'), d('59000.01'))).toBe(false);
    expect(crosses(at('LIMIT_MAKER', 'SELL', '61000'), d('61500'))).toBe(true);
    expect(crosses(at('LIMIT_MAKER', 'SELL', '61000'), d('60999'))).toBe(false);
    expect(crosses(at('STOP_LOSS_LIMIT', 'SELL', '59000'), d('58999'))).toBe(true);
    expect(crosses(at('STOP_LOSS_LIMIT', 'SELL', '59000'), d('59001'))).toBe(false);
    expect(crosses(at('STOP_LOSS_LIMIT', 'BUY', '61000'), d('61000'))).toBe(true);
  });
});
