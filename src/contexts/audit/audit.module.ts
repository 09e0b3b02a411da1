import { Global, Module } from '@nestjs/common';
import { AuditTrail, DocumentSealer } from '@kernel';
import { DocumentCollections } from '@platform/documents/document-collections';
import { OutboxAuditTrail } from './application/audit-trail.service';
import { AuditQueryService } from './application/audit-query.service';
import { AuditController } from './http/audit.controller';
import { TypeormAuditChainSealer } from './infrastructure/postgres/typeorm-audit-chain.sealer';
import { AUDIT_LOGS } from './domain/audit-event';

/** Global: every context records through the AuditTrail port; the outbox relay seals audit documents with its DocumentSealer. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [
    { provide: AuditTrail, useClass: OutboxAuditTrail },
    { provide: DocumentSealer, useClass: TypeormAuditChainSealer },
    AuditQueryService,
  ],
  exports: [AuditTrail, DocumentSealer],
})
export class AuditModule {
  constructor(collections: DocumentCollections) {
    collections.register(AUDIT_LOGS);
  }
}
