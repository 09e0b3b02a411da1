import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobQueue } from '@kernel';
import { AppConfig } from '../config/app-config';

export const PLATFORM_RETENTION_JOB = 'platform.retention';

/**
 * So no platform table grows forever: idempotency keys past IDEMPOTENCY_TTL_HOURS
 * (their replay window is over) and outbox rows relayed more than
 * OUTBOX_RETENTION_HOURS ago (rows not yet relayed are never touched). A
 * scheduled job (RETENTION_CRON), once per tick across instances.
 */
@Injectable()
export class PlatformRetentionJob implements OnModuleInit {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly jobs: JobQueue,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.schedule(
      { name: PLATFORM_RETENTION_JOB, retryLimit: 3, retryDelaySeconds: 60, timeoutSeconds: 600 },
      { cron: this.config.retentionCron, timeZone: 'UTC' },
      () => this.purge(),
    );
  }

  private async count(sql: string, params: unknown[]): Promise<number> {
    const [row] = await this.dataSource.query(`WITH d AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM d`, params);
    return row.n;
  }

  async purge(): Promise<{ idempotency_keys: number; outbox_rows: number }> {
    const idempotency_keys = await this.count(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [
      this.config.idempotencyTtlHours,
    ]);
    const outbox_rows = await this.count(`DELETE FROM outbox WHERE relayed_at < now() - make_interval(hours => $1)`, [
      this.config.outboxRetentionHours,
    ]);
    this.logger.log({ message: 'platform retention done', idempotency_keys, outbox_rows });
    return { idempotency_keys, outbox_rows };
  }
}
