import { Injectable } from '@nestjs/common';
import { DocumentQuery, DocumentStore, DomainError, Scalar } from '@kernel';
import { ChainedDocument, ChainVerdict, GENESIS_HASH, verifyChainBatch } from '../domain/hash-chain';
import { OutboxRelay } from '@platform/documents/outbox-relay.service';
import { AUDIT_LOGS, AuditDocument } from '../domain/audit-event';

export interface AuditFilter {
  userId?: string;
  eventType?: string;
  outcome?: string;
  since?: string;
  until?: string;
  limit: number;
}

const VERIFY_BATCH = 1000;

@Injectable()
export class AuditQueryService {
  constructor(
    private readonly store: DocumentStore,
    private readonly relay: OutboxRelay,
  ) {}

  /** Newest first (chain order). */
  async list(filter: AuditFilter): Promise<AuditDocument[]> {
    const where: Record<string, Scalar> = {};
    if (filter.userId) where.user_id = filter.userId;
    if (filter.eventType) where.event_type = filter.eventType;
    if (filter.outcome) where.outcome = filter.outcome;
    const query: DocumentQuery = { where, sort: [{ field: 'chain_seq', direction: 'desc' }], limit: filter.limit };
    if (filter.since || filter.until) query.range = { field: 'ts', gt: filter.since, lt: filter.until };
    return (await this.read(query)) as AuditDocument[];
  }

  /** Recomputes every hash from the first event; reports the first broken link. */
  async verify(): Promise<ChainVerdict> {
    await this.relay.flush().catch(() => undefined); // seal what is pending first
    let prev = { seq: 0, hash: GENESIS_HASH };
    let checked = 0;
    for (;;) {
      const batch = (await this.read({
        range: { field: 'chain_seq', gt: prev.seq },
        sort: [{ field: 'chain_seq', direction: 'asc' }],
        limit: VERIFY_BATCH,
      })) as ChainedDocument[];
      if (!batch.length) return { valid: true, checked };
      const verdict = verifyChainBatch(batch, prev);
      if (!verdict.ok)
        return {
          valid: false,
          checked: checked + batch.findIndex((d) => d.id === verdict.id),
          first_broken_id: verdict.id,
          reason: verdict.reason,
        };
      checked += batch.length;
      prev = verdict.last;
    }
  }

  private async read(query: DocumentQuery) {
    try {
      return await this.store.find(AUDIT_LOGS.name, query);
    } catch (e) {
      throw DomainError.dependency('document_store_unavailable', 'The audit store is unavailable; events are kept and will be delivered');
    }
  }
}
