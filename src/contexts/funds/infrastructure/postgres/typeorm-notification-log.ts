import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { NotificationChange, NotificationLog, NotificationRecord } from '../../domain/funds.ports';

@Injectable()
export class TypeormNotificationLog extends NotificationLog {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async create(r: NotificationRecord, at: Date): Promise<void> {
    await this.txHost.write(
      `INSERT INTO fund_notifications
         (id, user_id, transaction_id, channel, destination_masked, status, attempts, adapter, last_error, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [r.id, r.userId, r.transactionId, r.channel, r.destinationMasked, r.status, r.attempts, r.adapter, r.lastError, at],
    );
  }

  async update(id: string, c: NotificationChange, at: Date): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE fund_notifications SET channel = $2, destination_masked = $3, status = $4, attempts = $5, adapter = $6, last_error = $7,
         updated_at = $8 WHERE id = $1`,
      [id, c.channel, c.destinationMasked, c.status, c.attempts, c.adapter, c.lastError, at],
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
