import { AuditEventInput, AuditTrail } from '@kernel';
import { FakeClock } from '@testing/fake-clock';
import { AppConfig } from '@platform/config/app-config';
import { SubscriptionsService } from '../../src/contexts/funds/application/subscriptions.service';
import { SubscriptionNotifier } from '../../src/contexts/funds/application/subscription-notifier';
import { ImmediateUnitOfWork } from './kernel-in-memory';
import { InMemoryJobQueue } from './in-memory-job-queue';
import {
  FixedPreferences,
  InMemoryAccounts,
  InMemoryCatalog,
  InMemoryLedger,
  InMemoryNotificationLog,
  InMemorySubscriptions,
  ScriptedNotifier,
} from './funds-in-memory';

export class RecordingAudit extends AuditTrail {
  events: AuditEventInput[] = [];
  async record(e: AuditEventInput): Promise<void> {
    this.events.push(e);
  }
}

/** SubscriptionsService over the in-memory funds ports (the notifier's send fails `failures` times first). */
export function subscriptionsFixture(failures = 0) {
  const clock = new FakeClock();
  const subs = new InMemorySubscriptions();
  const accounts = new InMemoryAccounts(subs);
  const ledger = new InMemoryLedger();
  const audit = new RecordingAudit();
  const log = new InMemoryNotificationLog();
  const notifier = new ScriptedNotifier(failures);
  const jobs = new InMemoryJobQueue();
  const notices = new SubscriptionNotifier(new FixedPreferences(), log, notifier, jobs, clock);
  notices.onModuleInit();
  const config = { fundsInitialBalance: '500000', fundsCurrency: 'COP' } as AppConfig;
  const uow = new ImmediateUnitOfWork();
  const service = new SubscriptionsService(new InMemoryCatalog(), accounts, subs, ledger, notices, audit, uow, clock, config);
  return { service, accounts, subs, ledger, audit, log, notifier, jobs, uow };
}
