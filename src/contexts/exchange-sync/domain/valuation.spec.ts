import { tickerMap, usdPrice, valuePortfolio } from './valuation';
import { normalizeSymbol } from './watchlist';

describe('portfolio valuation', () => {
  const prices = tickerMap([
    { symbol: 'BTC_USDT', last: '30000.5' },
    { symbol: 'CRO_USD', last: '0.1' },
    { symbol: 'ETH_USDT', last: '2000' },
    { symbol: 'ETH_USD', last: '1999' },
  ]);

  it('prefers X_USD, then X_USDT; stablecoins are 1; unknown is null', () => {
    expect(usdPrice('ETH', prices)).toBe('1999');
    expect(usdPrice('BTC', prices)).toBe('30000.5');
    expect(usdPrice('USDC', prices)).toBe('1');
    expect(usdPrice('DOGE', prices)).toBeNull();
  });

  it('values exactly and sums what can be valued', () => {
    const p = valuePortfolio(
      [
        { currency: 'BTC', quantity: '0.1' },
        { currency: 'CRO', quantity: '0.3' },
        { currency: 'USDT', quantity: '0.2' },
        { currency: 'DOGE', quantity: '100' },
        { currency: 'SOL', quantity: '0' },
      ],
      prices,
    );
    expect(p.balances.map((b) => [b.currency, b.usdValue])).toEqual([
      ['BTC', '3000.05'],
      ['CRO', '0.03'],
      ['DOGE', null],
      ['USDT', '0.2'],
    ]);
    expect(p.totalUsd).toBe('3000.28');
  });
});

describe('watchlist symbols', () => {
  it('normalises BTC/USDT and btc_usdt to BTC_USDT and refuses anything else', () => {
    expect(normalizeSymbol('BTC/USDT')).toBe('BTC_USDT');
    expect(normalizeSymbol(' btc_usdt ')).toBe('BTC_USDT');
    for (const bad of ['BTC/USDT;DROP', 'BTCUSDT', '', 'BTC/USDT/ETH', 'BTC_', '_USDT', 'B TC/USDT', 'A'.repeat(16) + '_USDT']) {
      expect(normalizeSymbol(bad)).toBeNull();
    }
  });
});
