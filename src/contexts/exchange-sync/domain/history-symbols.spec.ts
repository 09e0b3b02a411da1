import { Instrument } from './exchange-account-gateway.ports';
import { historySymbols } from './history-symbols';

const listed = (...symbols: string[]) =>
  new Map<string, Instrument>(
    symbols.map((s) => [s, { symbol: s, base: s.split('_')[0], quote: s.split('_')[1], priceTick: null, qtyTick: null }]),
  );

describe('historySymbols (per-symbol order history)', () => {
  const instruments = listed('BTC_USDT', 'ETH_USDT', 'ETH_BTC', 'BNB_USDT', 'SOL_USDT');

  it('asks about open orders first, then held assets, the watchlist and other recorded symbols, each once', () => {
    expect(
      historySymbols({
        recorded: [
          { symbol: 'BNB_USDT', open: true },
          { symbol: 'SOL_USDT', open: false },
        ],
        balances: [
          { currency: 'ETH', quantity: '2' },
          { currency: 'USDT', quantity: '100' },
          { currency: 'BTC', quantity: '0' },
        ],
        watchlist: ['BTC_USDT', 'ETH_USDT'],
        instruments,
        max: 20,
      }),
    ).toEqual(['BNB_USDT', 'ETH_USDT', 'ETH_BTC', 'BTC_USDT', 'SOL_USDT']);
  });

  it('keeps to the cap and to what the exchange lists', () => {
    expect(
      historySymbols({
        recorded: [{ symbol: 'DOGE_USDT', open: true }],
        balances: [{ currency: 'ETH', quantity: '1' }],
        watchlist: ['BTC_USDT'],
        instruments,
        max: 2,
      }),
    ).toEqual(['ETH_USDT', 'ETH_BTC']);
  });
});
