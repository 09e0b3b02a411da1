import { Notification, NotificationResult, Notifier } from '@kernel';

/** Picks the adapter by channel: email -> SMTP when configured, sms -> webhook when configured, else the log. */
export class RoutingNotifier extends Notifier {
  constructor(
    private readonly byChannel: Partial<Record<Notification['channel'], Notifier>>,
    private readonly fallback: Notifier,
  ) {
    super();
  }

  send(n: Notification): Promise<NotificationResult> {
    return (this.byChannel[n.channel] ?? this.fallback).send(n);
  }
}
