import { Notification, NotificationResult, Notifier } from '@kernel';
import { RoutingNotifier } from './routing-notifier';
import { SmsWebhookNotifier } from './sms-webhook-notifier';

class Named extends Notifier {
  constructor(private readonly name: string) {
    super();
  }
  async send(): Promise<NotificationResult> {
    return { status: 'sent', adapter: this.name };
  }
}

const note = (channel: Notification['channel']): Notification => ({ channel, destination: 'x', subject: 's', body: 'b' });

describe('RoutingNotifier', () => {
  it('routes by channel and falls back to the log adapter', async () => {
    const both = new RoutingNotifier({ email: new Named('smtp'), sms: new Named('sms-webhook') }, new Named('log'));
    expect((await both.send(note('email'))).adapter).toBe('smtp');
    expect((await both.send(note('sms'))).adapter).toBe('sms-webhook');
    const none = new RoutingNotifier({}, new Named('log'));
    expect((await none.send(note('sms'))).adapter).toBe('log');
  });

  it('reports an unreachable SMS webhook as failed instead of throwing', async () => {
    const res = await new SmsWebhookNotifier('http://127.0.0.1:9/sms', 500).send(note('sms'));
    expect(res).toMatchObject({ status: 'failed', adapter: 'sms-webhook' });
  });
});
