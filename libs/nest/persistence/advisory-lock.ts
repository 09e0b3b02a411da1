import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createHash } from 'node:crypto';

/**
 * Single-run jobs across N instances: a session-level Postgres advisory lock held
 * on a dedicated connection for the job's duration (not a transaction, so a long
 * job never holds a transaction open), plus an in-process flag so a tick never
 * overlaps the previous one in this process.
 */
@Injectable()
export class AdvisoryLocks {
  private readonly running = new Set<string>();
  private readonly logger = new Logger('AdvisoryLocks');

  constructor(private readonly dataSource: DataSource) {}

  /** Runs `job` if nobody holds `name`; returns false when skipped. */
  async runExclusive(name: string, job: () => Promise<void>): Promise<boolean> {
    if (this.running.has(name)) return false;
    this.running.add(name);
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const [row] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [lockKey(name)]);
      if (!row.locked) return false;
      try {
        await job();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [lockKey(name)]).catch((e: unknown) => {
          this.logger.warn(`advisory unlock of ${name} failed: ${(e as Error).message}`);
        });
      }
      return true;
    } finally {
      this.running.delete(name);
      await runner.release();
    }
  }

  isRunning(name: string): boolean {
    return this.running.has(name);
  }
}

/** Stable 63-bit key from a job name. */
export function lockKey(name: string): string {
  return BigInt('0x' + createHash('sha256').update(name).digest('hex').slice(0, 15)).toString();
}
