import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { NotificationLog, NotificationRecord } from '../../domain/funds.ports';

@Injectable()
export class TypeormNotificationLog extends NotificationLog {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async create(r: NotificationRecord, at: Date): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO fund_notifications
         (id, user_id, transaction_id, channel, destination_masked, status, attempts, adapter, last_error, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [r.id, r.userId, r.transactionId, r.channel, r.destinationMasked, r.status, r.attempts, r.adapter, r.lastError, at],
    );
  }

  async update(id: string, c: Pick<NotificationRecord, 'status' | 'attempts' | 'adapter' | 'lastError'>, at: Date): Promise<void> {
    await this.txHost.tx.query(
      'UPDATE fund_notifications SET status = $2, attempts = $3, adapter = $4, last_error = $5, updated_at = $6 WHERE id = $1',
      [id, c.status, c.attempts, c.adapter, c.lastError, at],
    );
  }

  async forTransaction(transactionId: string): Promise<NotificationRecord | null> {
    const [r] = await this.txHost.tx.query(
      `SELECT id, user_id, transaction_id, channel, destination_masked, status, attempts, adapter, last_error
       FROM fund_notifications WHERE transaction_id = $1`,
      [transactionId],
    );
    if (!r) return null;
    return {
      id: r.id,
      userId: r.user_id,
      transactionId: r.transaction_id,
      channel: r.channel,
      destinationMasked: r.destination_masked,
      status: r.status,
      attempts: Number(r.attempts),
      adapter: r.adapter,
      lastError: r.last_error,
    };
  }
}
