import { Global, Module } from '@nestjs/common';
import { AuditTrail } from '@kernel';
import { OutboxAuditTrail } from './application/audit-trail.service';
import { AuditQueryService } from './application/audit-query.service';
import { AuditController } from './http/audit.controller';

/** Global: every context records through the AuditTrail port. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [{ provide: AuditTrail, useClass: OutboxAuditTrail }, AuditQueryService],
  exports: [AuditTrail],
})
export class AuditModule {}
