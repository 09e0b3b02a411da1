import { Decimal } from '@kernel';
import { Instrument, RemoteBalance } from './exchange-account-gateway.ports';
import { USD_LIKE } from './valuation';

/** Quotes a held asset is most likely traded against, in this order. */
const QUOTES = [...USD_LIKE, 'BTC', 'ETH', 'BNB'];

export interface HistorySymbolsInput {
  /** Our recorded symbols on that exchange, those with a non-terminal row first (`recordedSymbols`). */
  recorded: { symbol: string; open: boolean }[];
  balances: RemoteBalance[];
  watchlist: string[];
  instruments: Map<string, Instrument>;
  max: number;
}

/**
 * Which symbols to ask an exchange with per-symbol history (Binance allOrders) about,
 * at most `max`: symbols where we hold an open order (their fills and cancels are news),
 * then every listed pair of a held asset with a usual quote, the watchlist, and the
 * other symbols we have recorded. Only symbols the exchange lists; each once.
 */
export function historySymbols(input: HistorySymbolsInput): string[] {
  const out = new Set<string>();
  const add = (symbol: string) => {
    if (out.size < input.max && input.instruments.has(symbol)) out.add(symbol);
  };
  for (const r of input.recorded) if (r.open) add(r.symbol);
  for (const b of input.balances) {
    if (USD_LIKE.has(b.currency) || new Decimal(b.quantity).isZero()) continue;
    for (const quote of QUOTES) if (quote !== b.currency) add(`${b.currency}_${quote}`);
  }
  for (const w of input.watchlist) add(w);
  for (const r of input.recorded) add(r.symbol);
  return [...out];
}
