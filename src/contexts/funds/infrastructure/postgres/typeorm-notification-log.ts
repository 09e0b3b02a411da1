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

  async updateMany(changes: (NotificationChange & { id: string })[], at: Date): Promise<void> {
    if (!changes.length) return;
    const column = <K extends keyof (NotificationChange & { id: string })>(k: K) => changes.map((c) => c[k]);
    await this.txHost.tx.query(
      `UPDATE fund_notifications f SET channel = v.channel, destination_masked = v.destination_masked, status = v.status,
         attempts = v.attempts, adapter = v.adapter, last_error = v.last_error, updated_at = $8
       FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::int[], $6::varchar[], $7::varchar[])
         AS v (id, channel, destination_masked, status, attempts, adapter, last_error)
       WHERE f.id = v.id`,
      [
        column('id'),
        column('channel'),
        column('destinationMasked'),
        column('status'),
        column('attempts'),
        column('adapter'),
        column('lastError'),
        at,
      ],
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
