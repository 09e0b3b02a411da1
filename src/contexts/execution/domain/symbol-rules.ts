import { Decimal } from '@kernel';

/** One Binance spot symbol's trading rules, read from /api/v3/exchangeInfo filters. */
export interface SymbolRules {
  symbol: string;
  status: string;
  baseAsset: string;
  quoteAsset: string;
  lotSize?: { minQty: Decimal; maxQty: Decimal; stepSize: Decimal };
  marketLotSize?: { minQty: Decimal; maxQty: Decimal; stepSize: Decimal };
  priceFilter?: { minPrice: Decimal; maxPrice: Decimal; tickSize: Decimal };
  /** MIN_NOTIONAL (legacy) or NOTIONAL. */
  notional?: { min: Decimal; max?: Decimal; applyToMarket: boolean };
}

type RawFilter = Record<string, unknown> & { filterType?: string };
export interface RawSymbolInfo {
  symbol: string;
  status?: string;
  baseAsset?: string;
  quoteAsset?: string;
  filters?: RawFilter[];
}

const dec = (v: unknown): Decimal => new Decimal(typeof v === 'string' || typeof v === 'number' ? v : 0);

export function symbolRulesFrom(info: RawSymbolInfo): SymbolRules {
  const rules: SymbolRules = {
    symbol: info.symbol,
    status: info.status ?? 'UNKNOWN',
    baseAsset: info.baseAsset ?? '',
    quoteAsset: info.quoteAsset ?? '',
  };
  for (const f of info.filters ?? []) {
    switch (f.filterType) {
      case 'LOT_SIZE':
        rules.lotSize = { minQty: dec(f.minQty), maxQty: dec(f.maxQty), stepSize: dec(f.stepSize) };
        break;
      case 'MARKET_LOT_SIZE':
        rules.marketLotSize = { minQty: dec(f.minQty), maxQty: dec(f.maxQty), stepSize: dec(f.stepSize) };
        break;
      case 'PRICE_FILTER':
        rules.priceFilter = { minPrice: dec(f.minPrice), maxPrice: dec(f.maxPrice), tickSize: dec(f.tickSize) };
        break;
      case 'MIN_NOTIONAL':
        rules.notional ??= { min: dec(f.minNotional), applyToMarket: f.applyToMarket !== false };
        break;
      case 'NOTIONAL':
        rules.notional = {
          min: dec(f.minNotional),
          max: f.maxNotional !== undefined ? dec(f.maxNotional) : undefined,
          applyToMarket: f.applyMinToMarket !== false,
        };
        break;
    }
  }
  return rules;
}

/** value is a whole number of steps above min (Binance: (value - min) % step == 0). */
export function onStep(value: Decimal, min: Decimal, step: Decimal): boolean {
  if (step.isZero()) return true;
  return value.minus(min).mod(step).isZero();
}

/** Stablecoins the risk manager counts as US dollars 1:1. */
export const USD_QUOTES = new Set(['USDT', 'USDC', 'FDUSD', 'BUSD', 'TUSD', 'USDP', 'USD', 'DAI']);
