import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { Outbox, OutboxDocument } from '@kernel';

/** Writes into the `outbox` table through the current transaction (held for its batch inside `UnitOfWork.batch`). */
@Injectable()
export class TypeormOutbox extends Outbox {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async add(collection: string, doc: OutboxDocument): Promise<void> {
    await this.txHost.write('INSERT INTO outbox (id, collection, payload) VALUES ($1, $2, $3::jsonb)', [
      doc.id,
      collection,
      JSON.stringify(doc),
    ]);
  }
}
