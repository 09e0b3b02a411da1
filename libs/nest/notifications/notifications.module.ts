import { Global, Module } from '@nestjs/common';
import { Notifier } from '@kernel';
import { AppConfig } from '../config/app-config';
import { LogNotifier } from './log-notifier';
import { RoutingNotifier } from './routing-notifier';
import { SmsWebhookNotifier } from './sms-webhook-notifier';
import { SmtpNotifier } from './smtp-notifier';

/**
 * The Notifier port, chosen by channel: email via SMTP (nodemailer) when SMTP_URL
 * is set, sms via an HTTP webhook when SMS_WEBHOOK_URL is set, the log otherwise.
 */
@Global()
@Module({
  providers: [
    LogNotifier,
    {
      provide: Notifier,
      inject: [AppConfig, LogNotifier],
      useFactory: (config: AppConfig, log: LogNotifier): Notifier =>
        new RoutingNotifier(
          {
            email: config.smtpUrl ? new SmtpNotifier(config.smtpUrl, config.smtpFrom) : undefined,
            sms: config.smsWebhookUrl ? new SmsWebhookNotifier(config.smsWebhookUrl) : undefined,
          },
          log,
        ),
    },
  ],
  exports: [Notifier],
})
export class NotificationsModule {}
