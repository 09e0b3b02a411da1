import { Global, Module } from '@nestjs/common';
import { Notifier } from '@kernel';
import { LogNotifier } from './log-notifier';

/** The Notifier port: log adapter by default (SMTP / SMS webhook adapters plug in here). */
@Global()
@Module({
  providers: [{ provide: Notifier, useClass: LogNotifier }],
  exports: [Notifier],
})
export class NotificationsModule {}
