import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';

type Plan = { kind: 'every'; seconds: number; data: object } | { kind: 'cron'; expression: string; timeZone: string; data: object };

/**
 * The clock (@nestjs/schedule) whose ticks enqueue jobs. Every instance runs it;
 * the job key names the tick (the wall-clock slot, rounded, so instances whose
 * timers fire a little apart agree), so N instances make one job per tick.
 */
@Injectable()
export class JobClock {
  private readonly logger = new Logger('Jobs');
  private readonly plans = new Map<string, Plan>();
  private started = false;

  constructor(private readonly registry: SchedulerRegistry) {}

  every(name: string, seconds: number, data: object): void {
    this.plans.set(name, { kind: 'every', seconds, data });
  }

  cron(name: string, expression: string, timeZone: string, data: object): void {
    this.plans.set(name, { kind: 'cron', expression, timeZone, data });
  }

  dataOf(name: string): object {
    return this.plans.get(name)?.data ?? {};
  }

  /** The key of the tick `now` belongs to: the nearest slot boundary (interval) or minute (cron). */
  currentTick(name: string, now = Date.now()): string {
    const plan = this.plans.get(name);
    const ms = plan?.kind === 'every' ? plan.seconds * 1000 : 60_000;
    return `tick:${new Date(Math.round(now / ms) * ms).toISOString()}`;
  }

  start(fire: (name: string) => Promise<unknown>): void {
    if (this.started) return;
    this.started = true;
    const run = (name: string) =>
      void fire(name).catch((e: unknown) =>
        this.logger.error({ message: 'scheduled enqueue failed', job: name, error: (e as Error).message }),
      );
    for (const [name, plan] of this.plans) {
      if (plan.kind === 'cron') {
        const job = CronJob.from({ cronTime: plan.expression, timeZone: plan.timeZone, onTick: () => run(name) });
        this.registry.addCronJob(`jobs:${name}`, job as never);
        job.start();
        continue;
      }
      const ms = plan.seconds * 1000;
      // First tick on the next wall-clock boundary, so every instance ticks at the same instants.
      const first = setTimeout(
        () => {
          run(name);
          this.registry.addInterval(
            `jobs:${name}`,
            setInterval(() => run(name), ms),
          );
        },
        ms - (Date.now() % ms),
      );
      this.registry.addTimeout(`jobs:${name}`, first);
    }
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    for (const name of this.plans.keys()) {
      const id = `jobs:${name}`;
      if (this.registry.doesExist('cron', id)) this.registry.deleteCronJob(id);
      if (this.registry.doesExist('timeout', id)) this.registry.deleteTimeout(id);
      if (this.registry.doesExist('interval', id)) this.registry.deleteInterval(id);
    }
  }
}
