import { startTestApp, TestApp, uniqueEmail } from '@testing/test-app';
import { UserDirectory } from '../../src/contexts/identity';
import { NotifyPreferences } from '../../src/contexts/funds/domain/funds.ports';
import { IdentityNotifyPreferences } from '../../src/contexts/funds/infrastructure/identity-notify-preferences';
import { FakeSmsWebhook } from '../fakes/sms-webhook.fake';
import { FakeSmtpServer } from '../fakes/smtp.fake';
import { waitForNotification } from '../fakes/funds-notifications';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Counts the users of each preference read: one read per batch of notices. */
class CountingPreferences extends IdentityNotifyPreferences {
  constructor(
    users: UserDirectory,
    private readonly reads: number[],
  ) {
    super(users);
  }

  override async forUsers(userIds: string[]) {
    this.reads.push(userIds.length);
    return super.forUsers(userIds);
  }
}

/**
 * The notification job works its jobs in batches: subscriptions made while no worker runs are notified by the
 * next instance in ONE batch (one preference read, one notice update, one completion); a destination that fails
 * is retried alone, with its backoff, while the others are sent once.
 */
describe('funds: subscription notifications in batches', () => {
  const sms = new FakeSmsWebhook();
  const smtp = new FakeSmtpServer();
  let env: Record<string, string>;
  let apps: TestApp[] = [];
  beforeAll(async () => {
    const [smsUrl, smtpUrl] = await Promise.all([sms.start(), smtp.start()]);
    env = {
      SMS_WEBHOOK_URL: smsUrl,
      SMTP_URL: `${smtpUrl}?ignoreTLS=true`,
      SMTP_FROM: 'funds@btg.test',
      JOBS_POLLING_INTERVAL_SECONDS: '0.5',
    };
  });
  afterAll(async () => {
    for (const t of apps.reverse()) await t.close();
    await Promise.all([sms.stop(), smtp.stop()]);
  });

  it('notifies several subscriptions in one batch; a failing number is retried alone while the others are sent', async () => {
    const api = await startTestApp({ env: { ...env, JOBS_WORKER_ENABLED: 'false' } });
    const emails = [uniqueEmail('batch-a'), uniqueEmail('batch-b'), uniqueEmail('batch-c')];
    const phone = '+573005550101';
    const users = [
      ...(await Promise.all(emails.map((e) => api.register(e, 'Secret123!', { notify_channel: 'email', notify_destination: e })))),
      await api.register(uniqueEmail('batch-sms'), 'Secret123!', { notify_channel: 'sms', notify_destination: phone }),
    ];
    const txs: string[] = [];
    for (const u of users) {
      const sub = await api.http.post('/api/v1/subscriptions/3').set(auth(u.token)).send({ amount: 50000 });
      expect(sub.status).toBe(201);
      txs.push(sub.body.transaction_id);
    }
    await api.close(true); // the four jobs wait in the queue

    sms.failTo.set(phone, 2);
    const reads: number[] = [];
    const worker = await startTestApp({
      db: api.db,
      env,
      override: (b) =>
        b.overrideProvider(NotifyPreferences).useFactory({
          factory: (users: UserDirectory) => new CountingPreferences(users, reads),
          inject: [UserDirectory],
        }),
    });
    apps = [worker];
    const sent = await Promise.all(txs.map((tx) => waitForNotification(worker, tx, 'sent')));

    for (const n of sent.slice(0, 3)) expect(n).toMatchObject({ channel: 'email', adapter: 'smtp', attempts: 1, last_error: null });
    expect(sent[3]).toMatchObject({ channel: 'sms', adapter: 'sms-webhook', attempts: 3, destination_masked: '+5***01', last_error: null });
    // one read for the four, then the failing one alone on each retry
    expect(reads).toEqual([4, 1, 1]);
    // the three sent at once were recorded by one statement (one timestamp), the retried one later
    expect(new Set(sent.slice(0, 3).map((n) => (n.updated_at as Date).getTime())).size).toBe(1);
    expect((sent[3].updated_at as Date).getTime()).toBeGreaterThan((sent[0].updated_at as Date).getTime());
    for (const e of emails) expect(smtp.mails.filter((m) => m.to.includes(e))).toHaveLength(1);
    expect(sms.received.filter((m) => m.to === phone)).toHaveLength(1);
  });
});
