import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock, JobQueue, UnitOfWork } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { SessionRepository } from '../domain/identity.ports';

export const SESSION_RETENTION_JOB = 'identity.retention';

/**
 * Expired sessions and refresh tokens (seed 001 flushes expired tokens), revoked
 * access tokens past their exp and day-old login failures: a scheduled job
 * (RETENTION_CRON), once per tick across instances. A session idle for longer
 * than the refresh token lifetime cannot be refreshed any more, so it goes too.
 */
@Injectable()
export class SessionRetentionJob implements OnModuleInit {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly sessions: SessionRepository,
    private readonly jobs: JobQueue,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.schedule(
      { name: SESSION_RETENTION_JOB, retryLimit: 3, retryDelaySeconds: 60, timeoutSeconds: 600 },
      { cron: this.config.retentionCron, timeZone: 'UTC' },
      () => this.purge(),
    );
  }

  async purge(): Promise<Record<string, number>> {
    const now = this.clock.now();
    const idleBefore = new Date(now.getTime() - this.config.refreshTokenTtlSeconds * 1000);
    const failuresBefore = new Date(now.getTime() - 24 * 3600 * 1000);
    const knownClientsBefore = new Date(now.getTime() - this.config.loginKnownClientDays * 24 * 3600 * 1000);
    const purged = await this.uow.run(() => this.sessions.purgeExpired(now, idleBefore, failuresBefore, knownClientsBefore));
    this.logger.log({ message: 'identity retention done', ...purged });
    return purged;
  }
}
