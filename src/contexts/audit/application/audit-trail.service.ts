import { Injectable } from '@nestjs/common';
import { AuditEventInput, AuditTrail, Clock, newId, Outbox, RequestMeta, UnitOfWork } from '@kernel';
import { AUDIT_LOGS, buildAuditDocument } from '../domain/audit-event';

/**
 * The AuditTrail port: the event goes into the outbox in the caller's
 * transaction (or its own, when there is none), so it exists exactly when the
 * change it describes committed.
 */
@Injectable()
export class OutboxAuditTrail extends AuditTrail {
  constructor(
    private readonly outbox: Outbox,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {
    super();
  }

  record(event: AuditEventInput, meta?: RequestMeta): Promise<void> {
    const doc = buildAuditDocument(newId(), this.clock.now(), event, meta);
    return this.uow.run(() => this.outbox.add(AUDIT_LOGS.name, doc));
  }
}
