import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { NotifyPreference, NotifyPreferences } from '../../domain/funds.ports';

/**
 * Read-only look at identity's `users` row (notify_channel, notify_destination).
 * Read at the moment of use so a later change of preference is honoured; the
 * UserRegistered event does not carry it.
 */
@Injectable()
export class SqlNotifyPreferences extends NotifyPreferences {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async forUser(userId: string): Promise<NotifyPreference | null> {
    const [row] = await this.txHost.tx.query('SELECT notify_channel, notify_destination FROM users WHERE id = $1', [userId]);
    if (!row?.notify_channel || !row?.notify_destination) return null;
    return { channel: row.notify_channel, destination: row.notify_destination };
  }
}
