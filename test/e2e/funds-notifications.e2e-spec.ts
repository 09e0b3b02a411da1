import { startTestApp, TestApp, uniqueEmail } from '@testing/test-app';
import { FakeSmsWebhook } from '../fakes/sms-webhook.fake';
import { FakeSmtpServer } from '../fakes/smtp.fake';
import { waitForNotification } from '../fakes/funds-notifications';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Notifications by preference, after commit, retried, status recorded; a failure never undoes a subscription. */
describe('funds: subscription notifications (SMTP and SMS webhook adapters)', () => {
  let t: TestApp;
  const sms = new FakeSmsWebhook();
  const smtp = new FakeSmtpServer();
  beforeAll(async () => {
    const [smsUrl, smtpUrl] = await Promise.all([sms.start(), smtp.start()]);
    t = await startTestApp({ env: { SMS_WEBHOOK_URL: smsUrl, SMTP_URL: `${smtpUrl}?ignoreTLS=true`, SMTP_FROM: 'funds@btg.test' } });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([sms.stop(), smtp.stop()]);
  });

  it('emails through SMTP when the preference is email', async () => {
    const email = uniqueEmail('mail');
    const { token } = await t.register(email, 'Secret123!', { notify_channel: 'email', notify_destination: email });
    const sub = await t.http.post('/api/v1/subscriptions/2').set(auth(token)).send({ amount: 125000 });
    expect(sub.status).toBe(201);
    const n = await waitForNotification(t, sub.body.transaction_id, 'sent');
    expect(n).toMatchObject({ channel: 'email', adapter: 'smtp', attempts: 1 });
    const mail = smtp.mails.find((m) => m.to.includes(email));
    expect(mail).toBeDefined();
    expect(mail!.from).toBe('funds@btg.test');
    expect(mail!.data).toContain('FPV_BTG_PACTUAL_ECOPETROL');
  });

  it('texts through the webhook when the preference is sms, retrying a failing gateway', async () => {
    const phone = '+573001234567';
    const { token } = await t.register(uniqueEmail('sms'), 'Secret123!', { notify_channel: 'sms', notify_destination: phone });
    sms.failNext = 2;
    const sub = await t.http.post('/api/v1/subscriptions/3').set(auth(token)).send({ amount: 50000 });
    expect(sub.status).toBe(201);
    const n = await waitForNotification(t, sub.body.transaction_id, 'sent');
    expect(n).toMatchObject({ channel: 'sms', adapter: 'sms-webhook', attempts: 3, destination_masked: '+5***67' });
    expect(sms.received.filter((m) => m.to === phone)).toHaveLength(1);
  });

  it('records a failure after the retries and keeps the subscription', async () => {
    const { token } = await t.register(uniqueEmail('down'), 'Secret123!', { notify_channel: 'sms', notify_destination: '+573009999999' });
    sms.failNext = 100;
    const sub = await t.http.post('/api/v1/subscriptions/5').set(auth(token)).send({ amount: 100000 });
    expect(sub.status).toBe(201);
    const n = await waitForNotification(t, sub.body.transaction_id, 'failed');
    expect(n).toMatchObject({ attempts: 3, adapter: 'sms-webhook', last_error: 'SMS webhook answered HTTP 503' });
    sms.failNext = 0;
    const account = await t.http.get('/api/v1/account').set(auth(token));
    expect(account.body).toMatchObject({ balance: 400000, invested: 100000 });
  });
});
