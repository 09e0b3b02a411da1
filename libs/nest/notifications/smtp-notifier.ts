import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import { Notification, NotificationResult, Notifier } from '@kernel';
import { lazyRequire } from '../lazy-require';

const nodemailer = lazyRequire<typeof import('nodemailer')>('nodemailer');

/** Email through SMTP (nodemailer), used when SMTP_URL is set. Never throws. */
@Injectable()
export class SmtpNotifier extends Notifier implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeoutMs = 10_000,
  ) {
    super();
    const url = new URL(smtpUrl);
    this.transport = nodemailer().createTransport({
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
      secure: url.protocol === 'smtps:',
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      ignoreTLS: url.searchParams.get('ignoreTLS') === 'true',
    });
  }

  async send(n: Notification): Promise<NotificationResult> {
    try {
      await this.transport.sendMail({ from: this.from, to: n.destination, subject: n.subject, text: n.body });
      return { status: 'sent', adapter: 'smtp' };
    } catch (e) {
      // The driver's message, never the URL (it may hold credentials).
      return { status: 'failed', adapter: 'smtp', error: `SMTP: ${(e as Error).message}`.slice(0, 300) };
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
