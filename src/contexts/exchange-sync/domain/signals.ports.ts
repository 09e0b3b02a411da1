import { Candle, ComputedSignal } from './signals';

export interface StoredSignal extends ComputedSignal {
  id: string;
  exchange: string;
  computedAt: Date;
}

/** Per symbol: when the last computation succeeded or failed, and why. */
export interface SignalStatus {
  symbol: string;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastError: string | null;
  failures: number;
}

export abstract class SignalRepository {
  /** Every symbol on any user's watchlist. */
  abstract watchedSymbols(): Promise<string[]>;
  abstract isWatched(symbol: string): Promise<boolean>;
  /** Appends the signal and marks the symbol's status as succeeded. */
  abstract insert(signal: StoredSignal): Promise<void>;
  /** Keeps the last signal; records why this computation failed. */
  abstract recordFailure(symbol: string, at: Date, error: string): Promise<void>;
  /** The newest signal of each symbol (symbols without one are absent). */
  abstract latest(symbols: string[]): Promise<StoredSignal[]>;
  abstract statuses(symbols: string[]): Promise<SignalStatus[]>;
  /** Newest first. */
  abstract history(symbol: string, limit: number): Promise<StoredSignal[]>;
}

/** Public candles (no credentials). Throws ExchangeError: `not_found` for an unknown symbol. */
export abstract class CandleSource {
  abstract readonly exchange: string;
  /** The last `limit` candles, oldest first. */
  abstract fetchCandles(symbol: string, timeframe: string, limit: number): Promise<Candle[]>;
}
