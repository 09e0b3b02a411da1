import { Decimal } from '@kernel';
import { parseOrderSpec } from './order-spec';
import { evaluateRisk, failedChecks } from './risk';
import { symbolRulesFrom } from './symbol-rules';

const rules = symbolRulesFrom({
  symbol: 'BTCUSDT',
  status: 'TRADING',
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  filters: [
    { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
    { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
    { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000' },
  ],
});
const limits = { maxNotionalUsd: new Decimal('1000'), maxExposurePerSymbolUsd: new Decimal('5000') };
const run = (input: Record<string, unknown>, exposure = '0', price = '60000') =>
  evaluateRisk({
    spec: parseOrderSpec({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 0.01, ...input }),
    rules,
    rulesKnown: true,
    referencePrice: new Decimal(price),
    limits,
    currentExposureUsd: new Decimal(exposure),
  });
const failed = (input: Record<string, unknown>, exposure?: string, price?: string) =>
  failedChecks(run(input, exposure, price)).map((c) => c.name);

describe('evaluateRisk', () => {
  it('passes the runbook order (600 USD)', () => expect(failed({})).toEqual([]));
  it('LOT_SIZE: min, step', () => {
    expect(failed({ qty: '0.000001' })).toContain('lot_size');
    expect(failed({ qty: '0.010001' })).toContain('lot_size');
  });
  it('PRICE_FILTER tick', () => expect(failed({ price: '60000.005', qty: '0.01' })).toContain('price_filter'));
  it('NOTIONAL minimum', () => expect(failed({ qty: '0.00001' })).toContain('min_notional'));
  it('max notional per order, exact decimals', () => {
    expect(failed({ qty: '0.01666' })).toEqual([]); // 999.6
    expect(failed({ qty: '0.01667' })).toEqual(['max_notional_usd']); // 1000.2
  });
  it('max exposure per symbol counts BUYs only', () => {
    expect(failed({}, '4500')).toEqual(['max_exposure_per_symbol']);
    expect(failed({ side: 'SELL' }, '4500')).toEqual([]);
  });
  it('skips, without failing, what a dry run cannot know', () => {
    const checks = evaluateRisk({
      spec: parseOrderSpec({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 1 }),
      rules: null,
      rulesKnown: false,
      referencePrice: null,
      limits,
      currentExposureUsd: new Decimal(0),
    });
    expect(checks.every((c) => c.passed && c.skipped)).toBe(true);
  });
  it('fails closed on a quote it cannot value in USD', () => {
    const btcQuoted = { ...rules, symbol: 'ETHBTC', quoteAsset: 'BTC', notional: undefined };
    const checks = evaluateRisk({
      spec: parseOrderSpec({ exchange: 'BINANCE', symbol: 'ETHBTC', side: 'BUY', qty: 1 }),
      rules: btcQuoted,
      rulesKnown: true,
      referencePrice: new Decimal('0.05'),
      limits,
      currentExposureUsd: new Decimal(0),
    });
    expect(failedChecks(checks).map((c) => c.name)).toEqual(['max_notional_usd']);
  });
});
