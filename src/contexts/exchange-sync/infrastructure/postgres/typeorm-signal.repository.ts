import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { SignalAction } from '../../domain/signals';
import { SignalRepository, SignalStatus, StoredSignal } from '../../domain/signals.ports';
import { date, dateOrNull, dec } from './sql-helpers';

type Row = Record<string, unknown>;

const toSignal = (r: Row): StoredSignal => ({
  id: r.id as string,
  symbol: r.symbol as string,
  exchange: r.exchange as string,
  action: r.action as SignalAction,
  reason: r.reason as string,
  rsi14: dec(r.rsi14),
  ema20: dec(r.ema20),
  ema50: dec(r.ema50),
  prevEma20: dec(r.prev_ema20),
  prevEma50: dec(r.prev_ema50),
  close: dec(r.close),
  candleAt: date(r.candle_at),
  candles: Number(r.candles),
  computedAt: date(r.computed_at),
});

@Injectable()
export class TypeormSignalRepository extends SignalRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  private q(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.txHost.tx.query(sql, params);
  }

  async watchedSymbols(): Promise<string[]> {
    return (await this.q(`SELECT DISTINCT symbol FROM watchlist_items ORDER BY symbol`)).map((r) => r.symbol as string);
  }

  async isWatched(symbol: string): Promise<boolean> {
    return (await this.q(`SELECT 1 FROM watchlist_items WHERE symbol = $1 LIMIT 1`, [symbol])).length > 0;
  }

  async insert(s: StoredSignal): Promise<void> {
    await this.q(
      `INSERT INTO trading_signals (id, symbol, exchange, action, reason, rsi14, ema20, ema50, prev_ema20, prev_ema50, close, candle_at, candles, computed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        s.id,
        s.symbol,
        s.exchange,
        s.action,
        s.reason,
        s.rsi14,
        s.ema20,
        s.ema50,
        s.prevEma20,
        s.prevEma50,
        s.close,
        s.candleAt,
        s.candles,
        s.computedAt,
      ],
    );
    await this.q(
      `INSERT INTO trading_signal_status (symbol, last_success_at) VALUES ($1, $2)
       ON CONFLICT (symbol) DO UPDATE SET last_success_at = EXCLUDED.last_success_at`,
      [s.symbol, s.computedAt],
    );
  }

  async recordFailure(symbol: string, at: Date, error: string): Promise<void> {
    await this.q(
      `INSERT INTO trading_signal_status (symbol, last_failure_at, last_error, failures) VALUES ($1, $2, $3, 1)
       ON CONFLICT (symbol) DO UPDATE SET last_failure_at = EXCLUDED.last_failure_at, last_error = EXCLUDED.last_error,
         failures = trading_signal_status.failures + 1`,
      [symbol, at, error.slice(0, 300)],
    );
  }

  async latest(symbols: string[]): Promise<StoredSignal[]> {
    if (!symbols.length) return [];
    const rows = await this.q(
      `SELECT DISTINCT ON (symbol) * FROM trading_signals WHERE symbol = ANY($1) ORDER BY symbol, computed_at DESC, id DESC`,
      [symbols],
    );
    return rows.map(toSignal);
  }

  async statuses(symbols: string[]): Promise<SignalStatus[]> {
    if (!symbols.length) return [];
    const rows = await this.q(`SELECT * FROM trading_signal_status WHERE symbol = ANY($1)`, [symbols]);
    return rows.map((r) => ({
      symbol: r.symbol as string,
      lastSuccessAt: dateOrNull(r.last_success_at),
      lastFailureAt: dateOrNull(r.last_failure_at),
      lastError: (r.last_error as string | null) ?? null,
      failures: Number(r.failures),
    }));
  }

  async history(symbol: string, limit: number): Promise<StoredSignal[]> {
    const rows = await this.q(`SELECT * FROM trading_signals WHERE symbol = $1 ORDER BY computed_at DESC, id DESC LIMIT $2`, [
      symbol,
      limit,
    ]);
    return rows.map(toSignal);
  }
}
