import { MigrationInterface, QueryRunner } from 'typeorm';

/** Signals (issue 13): one row per symbol and computation, and each symbol's last success / failure. */
export class Signals1700000130000 implements MigrationInterface {
  name = 'Signals1700000130000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trading_signals (
        id uuid PRIMARY KEY,
        symbol varchar(32) NOT NULL,
        exchange varchar(16) NOT NULL,
        action varchar(4) NOT NULL CHECK (action IN ('BUY', 'SELL', 'HOLD')),
        reason varchar(200) NOT NULL,
        rsi14 numeric(20, 8) NOT NULL,
        ema20 numeric(38, 8) NOT NULL,
        ema50 numeric(38, 8) NOT NULL,
        prev_ema20 numeric(38, 8) NOT NULL,
        prev_ema50 numeric(38, 8) NOT NULL,
        close numeric(38, 18) NOT NULL,
        candle_at timestamptz NOT NULL,
        candles integer NOT NULL,
        computed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX trading_signals_symbol_time ON trading_signals (symbol, computed_at DESC, id)`);
    await q.query(`
      CREATE TABLE trading_signal_status (
        symbol varchar(32) PRIMARY KEY,
        last_success_at timestamptz,
        last_failure_at timestamptz,
        last_error varchar(300),
        failures integer NOT NULL DEFAULT 0
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS trading_signal_status`);
    await q.query(`DROP TABLE IF EXISTS trading_signals`);
  }
}
