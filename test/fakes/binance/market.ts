/** The fake's spot markets: exchangeInfo filters, the last price each starts at, and the magic failure symbols. */
export interface FakeSymbol {
  symbol: string;
  base: string;
  quote: string;
  price: string;
  minQty: string;
  maxQty: string;
  step: string;
  tick: string;
  minNotional: string;
}

const MAGIC_SYMBOL = {
  price: '1.00',
  minQty: '1.00000000',
  maxQty: '100000.00000000',
  step: '1.00000000',
  tick: '0.01000000',
  minNotional: '1.00000000',
};

export const SYMBOLS: FakeSymbol[] = [
  {
    symbol: 'BTCUSDT',
    base: 'BTC',
    quote: 'USDT',
    price: '60000.00',
    minQty: '0.00001000',
    maxQty: '9000.00000000',
    step: '0.00001000',
    tick: '0.01000000',
    minNotional: '5.00000000',
  },
  {
    symbol: 'ETHUSDT',
    base: 'ETH',
    quote: 'USDT',
    price: '3000.00',
    minQty: '0.00010000',
    maxQty: '9000.00000000',
    step: '0.00010000',
    tick: '0.01000000',
    minNotional: '5.00000000',
  },
  {
    symbol: 'BNBUSDT',
    base: 'BNB',
    quote: 'USDT',
    price: '500.00',
    minQty: '0.00100000',
    maxQty: '9000.00000000',
    step: '0.00100000',
    tick: '0.01000000',
    minNotional: '5.00000000',
  },
  {
    symbol: 'ETHBTC',
    base: 'ETH',
    quote: 'BTC',
    price: '0.05000',
    minQty: '0.00010000',
    maxQty: '100000.00000000',
    step: '0.00010000',
    tick: '0.00001000',
    minNotional: '0.00010000',
  },
  { symbol: 'FAILAUTHUSDT', base: 'FAILAUTH', quote: 'USDT', ...MAGIC_SYMBOL },
  { symbol: 'FAILSIGUSDT', base: 'FAILSIG', quote: 'USDT', ...MAGIC_SYMBOL },
  { symbol: 'FAILFILTERUSDT', base: 'FAILFILTER', quote: 'USDT', ...MAGIC_SYMBOL },
  { symbol: 'FAILRATEUSDT', base: 'FAILRATE', quote: 'USDT', ...MAGIC_SYMBOL },
];

export function findSymbol(symbol: string | null): FakeSymbol | undefined {
  return SYMBOLS.find((s) => s.symbol === symbol);
}

export function exchangeInfo() {
  return {
    timezone: 'UTC',
    serverTime: Date.now(),
    rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }],
    exchangeFilters: [],
    symbols: SYMBOLS.map((s) => ({
      symbol: s.symbol,
      status: 'TRADING',
      baseAsset: s.base,
      baseAssetPrecision: 8,
      quoteAsset: s.quote,
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      baseCommissionPrecision: 8,
      quoteCommissionPrecision: 8,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
      icebergAllowed: true,
      ocoAllowed: true,
      otoAllowed: true,
      quoteOrderQtyMarketAllowed: true,
      allowTrailingStop: true,
      cancelReplaceAllowed: true,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: false,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: s.tick, maxPrice: '1000000.00000000', tickSize: s.tick },
        { filterType: 'LOT_SIZE', minQty: s.minQty, maxQty: s.maxQty, stepSize: s.step },
        { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
        {
          filterType: 'NOTIONAL',
          minNotional: s.minNotional,
          applyMinToMarket: true,
          maxNotional: '9000000.00000000',
          applyMaxToMarket: false,
          avgPriceMins: 5,
        },
      ],
      permissions: [],
      permissionSets: [['SPOT']],
      defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
      allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
    })),
  };
}

/** GET /api/v3/klines rows: [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBase, takerQuote, ignore]. */
export function klines(closes: string[], intervalMs: number, endMs: number): unknown[][] {
  const start = endMs - (closes.length - 1) * intervalMs;
  return closes.map((c, i) => {
    const o = i === 0 ? c : closes[i - 1];
    const [lo, hi] = Number(o) < Number(c) ? [o, c] : [c, o];
    const t = start + i * intervalMs;
    return [t, o, hi, lo, c, '1.00000000', t + intervalMs - 1, c, 1, '0.50000000', c, '0'];
  });
}

export const INTERVALS: Record<string, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};
