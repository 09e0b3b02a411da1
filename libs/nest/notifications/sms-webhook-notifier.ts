import { Injectable } from '@nestjs/common';
import { Notification, NotificationResult, Notifier } from '@kernel';

/**
 * SMS through an HTTP webhook (SMS_WEBHOOK_URL): POST JSON `{to, body, subject}`;
 * any 2xx is "sent". Never throws.
 */
@Injectable()
export class SmsWebhookNotifier extends Notifier {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 5_000,
  ) {
    super();
  }

  async send(n: Notification): Promise<NotificationResult> {
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: n.destination, body: n.body, subject: n.subject }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { status: 'sent', adapter: 'sms-webhook' };
      return { status: 'failed', adapter: 'sms-webhook', error: `SMS webhook answered HTTP ${res.status}` };
    } catch (e) {
      return { status: 'failed', adapter: 'sms-webhook', error: `SMS webhook: ${(e as Error).message}`.slice(0, 300) };
    }
  }
}
