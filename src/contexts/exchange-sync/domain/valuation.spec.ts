import { combinePortfolios, tickerMap, usdPrice, valuePortfolio } from './valuation';
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

describe('combinePortfolios', () => {
  it('sums quantities and values per currency across exchanges, keeps a price only where all agree', () => {
    const combined = combinePortfolios([
      {
        exchange: 'CRYPTO_COM',
        balances: [
          { currency: 'BTC', quantity: '0.5', usdPrice: '30000', usdValue: '15000' },
          { currency: 'USDT', quantity: '1000', usdPrice: '1', usdValue: '1000' },
        ],
        totalUsd: '16000.00',
      },
      {
        exchange: 'BINANCE',
        balances: [
          { currency: 'BTC', quantity: '0.25', usdPrice: '60000', usdValue: '15000' },
          { currency: 'SOL', quantity: '3', usdPrice: null, usdValue: null },
          { currency: 'USDT', quantity: '0.1', usdPrice: '1', usdValue: '0.1' },
        ],
        totalUsd: '15000.10',
      },
    ]);
    expect(combined).toEqual({
      balances: [
        { currency: 'BTC', quantity: '0.75', usdPrice: null, usdValue: '30000' },
        { currency: 'SOL', quantity: '3', usdPrice: null, usdValue: null },
        { currency: 'USDT', quantity: '1000.1', usdPrice: '1', usdValue: '1000.1' },
      ],
      totalUsd: '31000.10',
    });
  });

  it('is the one portfolio itself when there is one exchange, and zero with none', () => {
    const one = { exchange: 'X', balances: [{ currency: 'BTC', quantity: '1', usdPrice: '2', usdValue: '2' }], totalUsd: '2.00' };
    expect(combinePortfolios([one])).toEqual({ balances: one.balances, totalUsd: '2.00' });
    expect(combinePortfolios([])).toEqual({ balances: [], totalUsd: '0.00' });
  });
});
