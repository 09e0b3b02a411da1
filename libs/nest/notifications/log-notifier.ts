import { Injectable, Logger } from '@nestjs/common';
import { Notification, NotificationResult, Notifier } from '@kernel';

/** Default adapter: writes the notification to the log (destination masked). */
@Injectable()
export class LogNotifier extends Notifier {
  private readonly logger = new Logger('Notifications');

  async send(n: Notification): Promise<NotificationResult> {
    const masked = n.destination.replace(/^(.{2}).*(.{2})$/, '$1***$2');
    this.logger.log({ message: 'notification', channel: n.channel, destination: masked, subject: n.subject });
    return { status: 'sent', adapter: 'log' };
  }
}
