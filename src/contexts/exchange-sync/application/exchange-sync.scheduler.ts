import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig } from '@platform/config/app-config';
import { DailyAlertService } from './daily-alert.service';
import { SyncCycleService } from './sync-cycle.service';

/** Registers the sync interval and the daily alert from config (only when SCHEDULER_ENABLED). */
@Injectable()
export class ExchangeSyncScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('ExchangeSync');

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly cycle: SyncCycleService,
    private readonly alerts: DailyAlertService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.schedulerEnabled) return;
    const interval = setInterval(() => {
      this.cycle.tick().catch((e: unknown) => this.logger.error({ message: 'exchange sync tick failed', error: (e as Error).message }));
    }, this.config.exchangeSyncIntervalSeconds * 1000);
    this.registry.addInterval('exchange-sync', interval);
    const job = CronJob.from({
      cronTime: this.config.alertCron,
      timeZone: this.config.alertTimezone,
      onTick: () => {
        this.alerts.runDaily().catch((e: unknown) => this.logger.error({ message: 'daily alert failed', error: (e as Error).message }));
      },
    });
    this.registry.addCronJob('exchange-sync-daily-alert', job as never);
    job.start();
  }
}
