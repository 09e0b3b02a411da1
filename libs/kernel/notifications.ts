/** Port for telling a person something (fund subscription, unprotected position...). */
export interface Notification {
  channel: 'email' | 'sms';
  destination: string;
  subject: string;
  body: string;
}

export interface NotificationResult {
  status: 'sent' | 'failed';
  adapter: string; // 'log' | 'smtp' | 'sms-webhook'
  error?: string;
}

export abstract class Notifier {
  /** Never throws: a failure is reported in the result (callers record it). */
  abstract send(notification: Notification): Promise<NotificationResult>;
}
