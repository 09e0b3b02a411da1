import { Injectable } from '@nestjs/common';
import { DocumentSealer, OutboxDocument, SqlRunner } from '@kernel';
import { chainHash, GENESIS_HASH } from '../../domain/hash-chain';
import { AUDIT_LOGS } from '../../domain/audit-event';

/**
 * Seals audit documents into the SHA-256 chain: assigns chain_seq/prev_hash/hash from the chain
 * head (locked FOR UPDATE in the relay's transaction) and advances the head.
 */
@Injectable()
export class TypeormAuditChainSealer extends DocumentSealer {
  readonly collection = AUDIT_LOGS.name;

  async seal(docs: OutboxDocument[], tx: SqlRunner): Promise<OutboxDocument[]> {
    const unsealed = docs.filter((d) => d.hash === undefined);
    if (!unsealed.length) return [];
    const [head] = await tx.query('SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE');
    let seq = Number(head?.last_seq ?? 0);
    let hash: string = head?.last_hash ?? GENESIS_HASH;
    const sealed = unsealed.map((doc) => {
      seq += 1;
      const out: OutboxDocument = { ...doc, chain_seq: seq, prev_hash: hash };
      out.hash = chainHash(hash, seq, out);
      hash = out.hash as string;
      return out;
    });
    await tx.query('UPDATE audit_chain_head SET last_seq = $1, last_hash = $2 WHERE id = 1', [seq, hash]);
    return sealed;
  }
}
