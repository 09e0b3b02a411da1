import { Injectable } from '@nestjs/common';
import { Decimal, DocumentCollection, DocumentStore, DomainError, Outbox, OutboxDocument } from '@kernel';
import { FundTransaction, FundTransactionType } from '../domain/fund';
import { FundLedger, HistoryPage } from '../domain/funds.ports';

/** The funds context's document-store collection (Postgres: doc_fund_transactions): history by user, newest first. */
export const FUND_TRANSACTIONS: DocumentCollection = {
  name: 'fund_transactions',
  indexes: [{ key: { user_id: 1, created_at: -1 } }, { key: { user_id: 1, seq: -1 } }, { key: { correlation_id: 1 } }],
};

/** The document as stored (MongoDB or JSONB). Money as decimal strings: exact. */
export interface FundTransactionDocument extends OutboxDocument {
  id: string;
  user_id: string;
  seq: number;
  fund_id: number;
  fund_name: string;
  type: FundTransactionType;
  amount: string;
  balance_after: string;
  currency: string;
  created_at: string;
  correlation_id: string | null;
}

export const toDocument = (tx: FundTransaction): FundTransactionDocument => ({
  id: tx.id,
  user_id: tx.userId,
  seq: tx.seq,
  fund_id: tx.fundId,
  fund_name: tx.fundName,
  type: tx.type,
  amount: tx.amount.toFixed(),
  balance_after: tx.balanceAfter.toFixed(),
  currency: tx.currency,
  created_at: tx.createdAt.toISOString(),
  correlation_id: tx.correlationId,
});

const fromDocument = (d: FundTransactionDocument): FundTransaction => ({
  id: d.id,
  userId: d.user_id,
  seq: Number(d.seq),
  fundId: Number(d.fund_id),
  fundName: d.fund_name,
  type: d.type,
  amount: new Decimal(d.amount),
  balanceAfter: new Decimal(d.balance_after),
  currency: d.currency,
  createdAt: new Date(d.created_at),
  correlationId: d.correlation_id ?? null,
});

/**
 * Fund transactions are documents: written through the outbox in the business
 * transaction (so the balance change and its transaction commit together), read
 * from the document store. Ordered by the per-user sequence `seq`, which the
 * account row lock makes gap-free and strictly increasing.
 */
@Injectable()
export class DocumentFundLedger extends FundLedger {
  constructor(
    private readonly outbox: Outbox,
    private readonly store: DocumentStore,
  ) {
    super();
  }

  append(tx: FundTransaction): Promise<void> {
    return this.outbox.add(FUND_TRANSACTIONS.name, toDocument(tx));
  }

  async history(userId: string, limit: number, beforeSeq?: number): Promise<HistoryPage> {
    let docs: OutboxDocument[];
    try {
      docs = await this.store.find(FUND_TRANSACTIONS.name, {
        where: { user_id: userId },
        range: beforeSeq !== undefined ? { field: 'seq', lt: beforeSeq } : undefined,
        sort: [{ field: 'seq', direction: 'desc' }],
        limit: limit + 1,
      });
    } catch {
      throw new DomainError('unavailable', 'document_store_unavailable', 'Transaction history is temporarily unavailable; retry shortly');
    }
    const items = docs.slice(0, limit).map((d) => fromDocument(d as FundTransactionDocument));
    return { items, nextBeforeSeq: docs.length > limit ? items[items.length - 1].seq : null };
  }
}
