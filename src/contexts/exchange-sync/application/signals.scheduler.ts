import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@platform/config/app-config';
import { AdvisoryLocks } from '@platform/persistence/advisory-lock';
import { SignalsService } from './signals.service';

export const SIGNALS_LOCK = 'signals-cycle';

/**
 * Every SIGNALS_INTERVAL_MINUTES (when SCHEDULER_ENABLED). A @nestjs/schedule tick
 * with an advisory lock (one instance computes) until the pg-boss job port
 * (libs/nest/jobs) is on main; then this becomes a scheduled job on that port.
 */
@Injectable()
export class SignalsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Signals');

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly signals: SignalsService,
    private readonly locks: AdvisoryLocks,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.schedulerEnabled) return;
    const interval = setInterval(() => {
      this.locks
        .runExclusive(SIGNALS_LOCK, async () => {
          await this.signals.runAll();
        })
        .catch((e: unknown) => this.logger.error({ message: 'signals tick failed', error: (e as Error).message }));
    }, this.config.signalsIntervalMinutes * 60_000);
    this.registry.addInterval('signals', interval);
  }
}
