import { storedOrder } from '../../../../test/fakes/exchange-orders';
import { ExchangeOrder } from './exchange-order';
import { legClientOrderId, legTriggers, planOcoLegs, siblingsToCancel, validatePct } from './oco';

const now = new Date('2026-01-05T12:00:00Z');
let n = 0;
const newId = () => `id-${++n}`;
const entry = (over: Partial<ExchangeOrder> = {}): ExchangeOrder =>
  storedOrder({ id: 'entry', status: 'FILLED', cumulativeQuantity: '0.5', avgPrice: '30010.5', ...over });
const settings = { stopLossPct: '2', takeProfitPct: '4' };
const plan = (e: ExchangeOrder, simulated = true, priceTick: string | null = '0.01') =>
  planOcoLegs({ entry: e, settings, simulated, priceTick, ocoGroupId: 'g1', newId, now });

describe('OCO rules', () => {
  it('protects a long: stop below, target above, sized to the fill, exact decimals', () => {
    const p = plan(entry())!;
    expect(p.stopLoss).toMatchObject({
      role: 'STOP_LOSS',
      side: 'SELL',
      triggerPrice: '29410.29',
      quantity: '0.5',
      parentOrderId: 'entry',
      ocoGroupId: 'g1',
      status: 'ACTIVE',
      simulated: true,
    });
    expect(p.takeProfit).toMatchObject({ role: 'TAKE_PROFIT', side: 'SELL', triggerPrice: '31210.92', quantity: '0.5', ocoGroupId: 'g1' });
  });

  it('protects a short symmetrically and leaves live legs PENDING until placed', () => {
    const p = plan(entry({ side: 'SELL', avgPrice: '100' }), false, null)!;
    expect(p.stopLoss).toMatchObject({ side: 'BUY', triggerPrice: '102', status: 'PENDING', simulated: false });
    expect(p.takeProfit).toMatchObject({ side: 'BUY', triggerPrice: '96' });
  });

  it('refuses what cannot be protected', () => {
    expect(plan(entry({ status: 'ACTIVE' }))).toBeNull();
    expect(plan(entry({ role: 'STOP_LOSS' }))).toBeNull();
    expect(plan(entry({ avgPrice: null, price: null }))).toBeNull();
    expect(plan(entry({ cumulativeQuantity: '0', quantity: '0' }))).toBeNull();
  });

  it('derives the same client order ids for the same entry (a retry never places twice)', () => {
    const a = plan(entry())!;
    const b = plan(entry())!;
    expect(a.stopLoss.clientOrderId).toBe(b.stopLoss.clientOrderId);
    expect(a.stopLoss.clientOrderId).not.toBe(a.takeProfit.clientOrderId);
    expect(legClientOrderId('CRYPTO_COM', 'X1', 'STOP_LOSS').length).toBeLessThanOrEqual(36);
    expect(legClientOrderId('CRYPTO_COM', 'X2', 'STOP_LOSS')).not.toBe(a.stopLoss.clientOrderId);
  });

  it('triggers simulated legs against the last price', () => {
    const { stopLoss, takeProfit } = plan(entry({ avgPrice: '100', cumulativeQuantity: '1' }), true, null)!;
    expect(legTriggers(stopLoss, '98.5')).toBe(false);
    expect(legTriggers(stopLoss, '98')).toBe(true);
    expect(legTriggers(takeProfit, '103.99')).toBe(false);
    expect(legTriggers(takeProfit, '104')).toBe(true);
    const short = plan(entry({ side: 'SELL', avgPrice: '100' }), true, null)!;
    expect(legTriggers(short.stopLoss, '102')).toBe(true);
    expect(legTriggers(short.takeProfit, '96')).toBe(true);
    expect(legTriggers(short.takeProfit, '97')).toBe(false);
  });

  it('cancels the sibling once a leg fills, and nothing before', () => {
    const { stopLoss, takeProfit } = plan(entry())!;
    expect(siblingsToCancel([stopLoss, takeProfit])).toEqual([]);
    expect(siblingsToCancel([{ ...stopLoss, status: 'FILLED' }, takeProfit])).toEqual([takeProfit]);
    expect(
      siblingsToCancel([
        { ...stopLoss, status: 'FILLED' },
        { ...takeProfit, status: 'CANCELED' },
      ]),
    ).toEqual([]);
  });

  it('validates percentages', () => {
    expect(validatePct('2')).toBeNull();
    expect(validatePct('2.5')).toBeNull();
    expect(validatePct('0')).not.toBeNull();
    expect(validatePct('100')).not.toBeNull();
    expect(validatePct('abc')).not.toBeNull();
    expect(validatePct('-1')).not.toBeNull();
  });
});
