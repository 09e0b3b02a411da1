import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuditTrail, Clock, JobQueue, Notifier, UnitOfWork } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { UserDirectory } from '../../identity';
import { ExchangeAccountGateways } from '../domain/exchange-account-gateway.ports';
import { ExchangeOrder } from '../domain/exchange-order';
import { ExchangeOrderRepository, HeldPosition, PortfolioRepository, SyncStateRepository } from '../domain/exchange-sync.ports';
import { USD_LIKE } from '../domain/valuation';

export const DAILY_ALERT_JOB = 'exchange-sync.daily-alert';

export interface AlertReport {
  day: string;
  skipped: boolean;
  usersAlerted: number;
  positions: number;
}

/** "YYYY-MM-DD" of `at` in `timeZone`. */
export const dayIn = (at: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/**
 * Daily at ALERT_CRON (ALERT_TIMEZONE): every held position (a non-USD balance)
 * without an active stop-loss AND take-profit on a symbol of that currency is
 * reported to its owner through the Notifier port, and audited. A scheduled job
 * (one per ALERT_CRON tick across instances); the claimed day row keeps it to
 * once per day even when a tick's job is retried.
 */
@Injectable()
export class DailyAlertService implements OnModuleInit {
  private readonly logger = new Logger('ExchangeSyncAlert');

  constructor(
    private readonly gateways: ExchangeAccountGateways,
    private readonly portfolios: PortfolioRepository,
    private readonly orders: ExchangeOrderRepository,
    private readonly state: SyncStateRepository,
    private readonly users: UserDirectory,
    private readonly notifier: Notifier,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.schedule(
      { name: DAILY_ALERT_JOB, retryLimit: 3, retryDelaySeconds: 30, timeoutSeconds: 600 },
      { cron: this.config.alertCron, timeZone: this.config.alertTimezone },
      async () => {
        const r = await this.runDaily();
        return { day: r.day, skipped: r.skipped, users_alerted: r.usersAlerted };
      },
    );
  }

  async runDaily(force = false): Promise<AlertReport> {
    const day = dayIn(this.clock.now(), this.config.alertTimezone);
    if (!force && !(await this.uow.run(() => this.state.claimAlertDay(day, this.clock.now())))) {
      return { day, skipped: true, usersAlerted: 0, positions: 0 };
    }
    return this.alert(day);
  }

  private async alert(day: string): Promise<AlertReport> {
    const byUser = new Map<string, (HeldPosition & { exchange: string })[]>();
    for (const { exchange } of this.gateways.all)
      for (const p of await this.portfolios.positions(exchange, [...USD_LIKE]))
        byUser.set(p.userId, [...(byUser.get(p.userId) ?? []), { ...p, exchange }]);
    let usersAlerted = 0;
    let count = 0;
    for (const [userId, held] of byUser) {
      const legs: ExchangeOrder[] = [];
      for (const exchange of new Set(held.map((p) => p.exchange))) legs.push(...(await this.orders.activeLegs(userId, exchange)));
      const covered = (role: string) => new Set(legs.filter((l) => l.role === role).map((l) => `${l.exchange}:${l.symbol.split('_')[0]}`));
      const sl = covered('STOP_LOSS');
      const tp = covered('TAKE_PROFIT');
      const unprotected = held.filter((p) => !(sl.has(`${p.exchange}:${p.currency}`) && tp.has(`${p.exchange}:${p.currency}`)));
      if (!unprotected.length) continue;
      const user = await this.users.byId(userId);
      if (!user) continue;
      const sms = user.notifyChannel === 'sms' && !!user.notifyDestination;
      const lines = unprotected.map((p) => `${p.currency}: ${p.quantity}${p.usdValue ? ` (~${p.usdValue} USD)` : ''} on ${p.exchange}`);
      const result = await this.notifier.send({
        channel: sms ? 'sms' : 'email',
        destination: sms
          ? user.notifyDestination!
          : user.notifyDestination && user.notifyChannel === 'email'
            ? user.notifyDestination
            : user.email,
        subject: 'Positions without stop-loss / take-profit',
        body: `These positions have no active stop-loss and take-profit (${day}):\n${lines.join('\n')}`,
      });
      await this.uow.run(() =>
        this.audit.record({
          eventType: 'exchange_sync.alert.unprotected_positions',
          outcome: result.status === 'sent' ? 'success' : 'failure',
          userId,
          payload: {
            day,
            positions: unprotected.map((p) => ({
              currency: p.currency,
              quantity: p.quantity,
              usd_value: p.usdValue,
              exchange: p.exchange,
            })),
            notification: { status: result.status, adapter: result.adapter, error: result.error },
          },
        }),
      );
      usersAlerted++;
      count += unprotected.length;
    }
    this.logger.log({ message: 'Daily unprotected-positions alert', day, users_alerted: usersAlerted, positions: count });
    return { day, skipped: false, usersAlerted, positions: count };
  }
}
