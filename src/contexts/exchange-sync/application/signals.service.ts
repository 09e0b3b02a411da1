import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, newId, UnitOfWork } from '@kernel';
import { ExchangeError } from '../domain/exchange-account-gateway.ports';
import { WatchlistRepository } from '../domain/exchange-sync.ports';
import { SIGNAL_CANDLES, SIGNAL_TIMEFRAME } from '../domain/signals';
import { CandleSource, SignalRepository, SignalStatus, StoredSignal } from '../domain/signals.ports';
import { normalizeSymbol, SYMBOL_RULE } from '../domain/watchlist';
import { computeSignal } from './indicators';

export interface SymbolSignal {
  symbol: string;
  signal: StoredSignal | null;
  status: SignalStatus | null;
}

export interface SignalsRunReport {
  symbols: number;
  computed: StoredSignal[];
  failed: { symbol: string; error: string }[];
}

export const HISTORY_MAX = 500;

const describe = (e: unknown): string =>
  e instanceof ExchangeError
    ? `${e.kind}: ${e.message}`
    : e instanceof DomainError
      ? `${e.code}: ${e.message}`
      : 'internal: unexpected error';

/**
 * Seed 003's "Signals" section: for every symbol on any user's watchlist, RSI(14),
 * EMA(20) and EMA(50) over the last 200 public 1h candles, and BUY / SELL / HOLD with
 * the reason. A symbol whose candles cannot be fetched keeps its last signal and the
 * failure is recorded beside it; the other symbols go on.
 */
@Injectable()
export class SignalsService {
  private readonly logger = new Logger('Signals');

  constructor(
    private readonly repo: SignalRepository,
    private readonly candles: CandleSource,
    private readonly watchlist: WatchlistRepository,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** The scheduled job: every watched symbol, one at a time (public endpoint, its rate limit is ccxt's). */
  async runAll(): Promise<SignalsRunReport> {
    return this.run(await this.repo.watchedSymbols());
  }

  async run(symbols: string[]): Promise<SignalsRunReport> {
    const report: SignalsRunReport = { symbols: symbols.length, computed: [], failed: [] };
    for (const symbol of symbols) {
      try {
        report.computed.push(await this.computeOne(symbol));
      } catch (e) {
        report.failed.push({ symbol, error: describe(e) });
      }
    }
    this.logger.log({
      message: 'Signals computed',
      symbols: report.symbols,
      computed: report.computed.length,
      failed: report.failed.length,
    });
    return report;
  }

  /** Computes and stores one symbol's signal; on failure records it (the last signal stays) and rethrows. */
  async computeOne(symbol: string): Promise<StoredSignal> {
    try {
      const candles = await this.candles.fetchCandles(symbol, SIGNAL_TIMEFRAME, SIGNAL_CANDLES);
      const computed = computeSignal(symbol, candles);
      if (typeof computed === 'string') throw new ExchangeError('bad_response', computed);
      const stored: StoredSignal = { ...computed, id: newId(), exchange: this.candles.exchange, computedAt: this.clock.now() };
      await this.uow.run(() => this.repo.insert(stored));
      return stored;
    } catch (e) {
      const error = describe(e);
      this.logger.warn({ message: 'Signal computation failed; the last signal is kept', symbol, error });
      await this.uow
        .run(() => this.repo.recordFailure(symbol, this.clock.now(), error))
        .catch((err: unknown) =>
          this.logger.error({ message: 'could not record a signal failure', symbol, error: (err as Error).message }),
        );
      throw e;
    }
  }

  /** A direct call for one symbol: 400 naming an unknown symbol, 502 when the candle endpoint is down. */
  async computeNow(raw: string): Promise<StoredSignal> {
    const symbol = this.parseSymbol(raw);
    try {
      return await this.computeOne(symbol);
    } catch (e) {
      if (e instanceof ExchangeError && e.kind === 'not_found') {
        throw DomainError.invalid('unknown_symbol', `Unknown or delisted symbol: ${symbol}`, { symbol });
      }
      if (e instanceof ExchangeError)
        throw DomainError.dependency('candles_unavailable', `Candles for ${symbol} unavailable: ${e.message}`);
      throw e;
    }
  }

  /** The caller's watchlist, each symbol with its newest signal (null until one is computed) and its status. */
  async latestFor(userId: string): Promise<SymbolSignal[]> {
    const symbols = (await this.watchlist.list(userId)).map((w) => w.symbol);
    if (!symbols.length) return [];
    const latest = new Map((await this.repo.latest(symbols)).map((s) => [s.symbol, s]));
    const statuses = new Map((await this.repo.statuses(symbols)).map((s) => [s.symbol, s]));
    return symbols.map((symbol) => ({ symbol, signal: latest.get(symbol) ?? null, status: statuses.get(symbol) ?? null }));
  }

  async history(raw: string, limit: number): Promise<{ symbol: string; items: StoredSignal[] }> {
    const symbol = this.parseSymbol(raw);
    const items = await this.repo.history(symbol, limit);
    if (!items.length && !(await this.repo.isWatched(symbol))) {
      throw DomainError.invalid('unknown_symbol', `Unknown symbol: ${symbol} (signals are computed for watchlist symbols)`, { symbol });
    }
    return { symbol, items };
  }

  private parseSymbol(raw: string): string {
    const symbol = normalizeSymbol(raw);
    if (!symbol) {
      throw DomainError.invalidField('symbol', `symbol ${SYMBOL_RULE} (got "${raw.slice(0, 40)}")`, { summary: SYMBOL_RULE });
    }
    return symbol;
  }
}
