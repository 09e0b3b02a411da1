export const WATCHLIST_MAX_ITEMS = 100;

const SYMBOL = /^([A-Za-z0-9]{1,15})[_/]([A-Za-z0-9]{1,15})$/;

/** "btc/usdt" or "BTC_USDT" -> "BTC_USDT"; null when it is not a symbol (e.g. "BTC/USDT;DROP"). */
export function normalizeSymbol(raw: string): string | null {
  const m = SYMBOL.exec(raw.trim());
  if (!m) return null;
  return `${m[1].toUpperCase()}_${m[2].toUpperCase()}`;
}

export const SYMBOL_RULE = 'must look like BTC_USDT or BTC/USDT (letters and digits, 1-15 each side)';

export interface WatchlistItem {
  id: string;
  userId: string;
  symbol: string;
  createdAt: Date;
}
