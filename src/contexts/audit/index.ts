// The audit context's public surface. Other contexts record through the
// AuditTrail port from @kernel, provided globally by this module.
export { AuditModule } from './audit.module';
export { AUDIT_LOGS } from './domain/audit-event';
