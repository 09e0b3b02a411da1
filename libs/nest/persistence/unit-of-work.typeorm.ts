import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { UnitOfWork } from '@kernel';
import { OutboxRelay } from '../documents/outbox-relay.service';

/** UnitOfWork over a TypeORM transaction held in CLS; repositories read `txHost.tx`. */
@Injectable()
export class TypeormUnitOfWork extends UnitOfWork {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
    private readonly relay: OutboxRelay,
  ) {
    super();
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.cls.isActive() && this.txHost.isTransactionActive()) return work(); // join the outer one
    const outermost = async () => {
      const result = await this.txHost.withTransaction(work);
      this.relay.afterCommit(); // documents head for the store; the request does not wait
      return result;
    };
    return this.cls.isActive() ? outermost() : this.cls.run(outermost);
  }
}
