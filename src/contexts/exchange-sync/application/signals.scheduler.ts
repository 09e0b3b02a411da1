import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobQueue } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { SignalsService } from './signals.service';

export const SIGNALS_JOB = 'exchange-sync.signals';

/**
 * Every SIGNALS_INTERVAL_MINUTES, one `exchange-sync.signals` job per tick across
 * every instance (the job port's clock runs when SCHEDULER_ENABLED). A symbol whose
 * candles fail is recorded by the run and does not fail the job; anything else
 * (the database down) does, and the engine retries it.
 */
@Injectable()
export class SignalsScheduler implements OnModuleInit {
  constructor(
    private readonly signals: SignalsService,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.schedule(
      { name: SIGNALS_JOB, retryLimit: 2, retryDelaySeconds: 30, timeoutSeconds: 600 },
      { every: this.config.signalsIntervalMinutes * 60 },
      async () => {
        const r = await this.signals.runAll();
        return { symbols: r.symbols, computed: r.computed.length, failed: r.failed.length };
      },
    );
  }
}
