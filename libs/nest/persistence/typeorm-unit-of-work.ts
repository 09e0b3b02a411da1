import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@kernel';
import { OutboxRelay } from '../documents/outbox-relay.service';
import { TransactionHost } from './transaction-host';

/** UnitOfWork over a TypeORM transaction; repositories read `txHost.tx`. */
@Injectable()
export class TypeormUnitOfWork extends UnitOfWork {
  constructor(
    private readonly txHost: TransactionHost,
    private readonly relay: OutboxRelay,
  ) {
    super();
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    // Join the outer transaction, or the open `once` (whose statement the writes then join).
    if (this.txHost.isTransactionActive() || this.txHost.isOnceOpen()) return work();
    const result = await this.txHost.withTransaction(work);
    this.relay.afterCommit(); // documents head for the store; the request does not wait
    return result;
  }

  async once<T>(work: () => Promise<T | undefined>): Promise<T | undefined> {
    const result = await this.txHost.once(work);
    if (result !== undefined) this.relay.afterCommit();
    return result;
  }

  batch<T>(work: () => Promise<T>): Promise<T> {
    return this.txHost.batch(work);
  }
}
