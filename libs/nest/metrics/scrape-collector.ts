import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { METRIC } from './app-metrics';

interface PgPoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/**
 * Values read at scrape time from this app's own database (so several apps in one
 * process, as in the tests, each report their own): the outbox and the pool.
 */
@Injectable()
export class ScrapeCollector {
  private readonly logger = new Logger('Metrics');

  constructor(
    private readonly dataSource: DataSource,
    @InjectMetric(METRIC.outboxBacklog) private readonly backlog: Gauge<string>,
    @InjectMetric(METRIC.outboxOldestAge) private readonly oldestAge: Gauge<string>,
    @InjectMetric(METRIC.dbPool) private readonly pool: Gauge<string>,
  ) {}

  async refresh(): Promise<void> {
    const pg = (this.dataSource.driver as unknown as { master?: PgPoolLike }).master;
    if (pg) {
      this.pool.set({ state: 'in_use' }, pg.totalCount - pg.idleCount);
      this.pool.set({ state: 'idle' }, pg.idleCount);
      this.pool.set({ state: 'waiting' }, pg.waitingCount);
      if (pg.options?.max) this.pool.set({ state: 'max' }, pg.options.max);
    }
    try {
      const [row] = await this.dataSource.query(
        `SELECT count(*)::int AS n, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age FROM outbox WHERE relayed_at IS NULL`,
      );
      this.backlog.set(row.n);
      this.oldestAge.set(Math.max(0, row.age));
    } catch (e) {
      // A scrape during a database outage still answers (with the last values): the outage shows in /readyz.
      this.logger.warn({ message: 'metrics: outbox query failed', error: (e as Error).message });
    }
  }
}
