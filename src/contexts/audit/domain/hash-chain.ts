import { createHash } from 'node:crypto';
import { canonicalJson } from '@kernel';

/** The audit log's SHA-256 hash chain (sealed by AuditChainSealer, verified by AuditQueryService). */
export const GENESIS_HASH = '0'.repeat(64);
const CHAIN_FIELDS = new Set(['hash', 'prev_hash', 'chain_seq']);

/** hash = SHA-256(prev_hash || canonical(event without chain fields) || seq). */
export function chainHash(prevHash: string, seq: number, event: Record<string, unknown>): string {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(event)) if (!CHAIN_FIELDS.has(k)) body[k] = v;
  return createHash('sha256')
    .update(`${prevHash}|${seq}|${canonicalJson(body)}`)
    .digest('hex');
}

export interface ChainedDocument extends Record<string, unknown> {
  id: string;
  chain_seq: number;
  prev_hash: string;
  hash: string;
}

export interface ChainVerdict {
  valid: boolean;
  checked: number;
  first_broken_id?: string;
  reason?: string;
}

/** Walks documents in chain order; `prev` carries state across batches. */
export function verifyChainBatch(
  docs: ChainedDocument[],
  prev: { seq: number; hash: string },
): { ok: true; last: { seq: number; hash: string } } | { ok: false; id: string; reason: string } {
  let cursor = prev;
  for (const doc of docs) {
    if (doc.chain_seq !== cursor.seq + 1) return { ok: false, id: doc.id, reason: `sequence gap after ${cursor.seq}` };
    if (doc.prev_hash !== cursor.hash) return { ok: false, id: doc.id, reason: 'prev_hash does not match' };
    if (chainHash(doc.prev_hash, doc.chain_seq, doc) !== doc.hash) return { ok: false, id: doc.id, reason: 'hash does not match content' };
    cursor = { seq: doc.chain_seq, hash: doc.hash };
  }
  return { ok: true, last: cursor };
}
