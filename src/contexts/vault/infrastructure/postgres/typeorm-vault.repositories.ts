import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import type { Exchange } from '../../domain/exchange-credentials';
import { lockKey } from '@platform/persistence/advisory-lock';
import { Sealed } from '../../domain/envelope';
import {
  ExchangeSecretRepository,
  StoredExchangeSecret,
  StoredVaultSecret,
  VaultSecretRepository,
  VaultWriteLock,
} from '../../domain/vault.ports';
import { ExchangeSecretEntity, ExchangeSecretRecord, VaultSecretEntity, VaultSecretRecord } from './vault.records';

const toSecret = (r: ExchangeSecretRecord): StoredExchangeSecret => ({
  id: r.id,
  userId: r.user_id,
  exchange: r.exchange as Exchange,
  apiKeyMasked: r.api_key_masked,
  keyId: r.key_id,
  ciphertext: r.ciphertext,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

@Injectable()
export class TypeormExchangeSecretRepository extends ExchangeSecretRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  private get repo() {
    return this.txHost.tx.getRepository(ExchangeSecretEntity);
  }

  async upsert(s: StoredExchangeSecret): Promise<{ stored: StoredExchangeSecret; created: boolean }> {
    // xmax = 0 only for a freshly inserted row: tells insert from update in one statement.
    const rows: (ExchangeSecretRecord & { inserted: boolean })[] = await this.txHost.tx.query(
      `INSERT INTO exchange_secrets (id, user_id, exchange, api_key_masked, key_id, ciphertext, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
       ON CONFLICT (user_id, exchange) DO UPDATE
         SET api_key_masked = EXCLUDED.api_key_masked, key_id = EXCLUDED.key_id,
             ciphertext = EXCLUDED.ciphertext, updated_at = EXCLUDED.updated_at
       RETURNING *, (xmax = 0) AS inserted`,
      [s.id, s.userId, s.exchange, s.apiKeyMasked, s.keyId, s.ciphertext, s.updatedAt],
    );
    return { stored: toSecret(rows[0]), created: rows[0].inserted };
  }

  async find(userId: string, exchange: Exchange): Promise<StoredExchangeSecret | null> {
    const r = await this.repo.findOneBy({ user_id: userId, exchange });
    return r ? toSecret(r) : null;
  }

  async list(userId: string): Promise<StoredExchangeSecret[]> {
    return (await this.repo.find({ where: { user_id: userId }, order: { exchange: 'ASC' } })).map(toSecret);
  }

  async remove(userId: string, exchange: Exchange): Promise<boolean> {
    const res = await this.repo.delete({ user_id: userId, exchange });
    return (res.affected ?? 0) > 0;
  }

  async usersWith(exchange: Exchange): Promise<string[]> {
    const rows: { user_id: string }[] = await this.txHost.tx.query(
      'SELECT user_id FROM exchange_secrets WHERE exchange = $1 ORDER BY user_id',
      [exchange],
    );
    return rows.map((r) => r.user_id);
  }

  async countByKeyId(): Promise<Map<string, number>> {
    const rows: { key_id: string; n: number }[] = await this.txHost.tx.query(
      'SELECT key_id, count(*)::int AS n FROM exchange_secrets GROUP BY key_id',
    );
    return new Map(rows.map((r) => [r.key_id, r.n]));
  }

  async lockAll(): Promise<StoredExchangeSecret[]> {
    const rows: ExchangeSecretRecord[] = await this.txHost.tx.query('SELECT * FROM exchange_secrets ORDER BY id FOR UPDATE');
    return rows.map(toSecret);
  }

  async reseal(id: string, sealed: Sealed, at: Date): Promise<void> {
    await this.txHost.tx.query('UPDATE exchange_secrets SET key_id = $2, ciphertext = $3, updated_at = $4 WHERE id = $1', [
      id,
      sealed.keyId,
      sealed.ciphertext,
      at,
    ]);
  }
}

const toVault = (r: VaultSecretRecord): StoredVaultSecret => ({
  ownerId: r.owner_id,
  purpose: r.purpose,
  keyId: r.key_id,
  ciphertext: r.ciphertext,
});

@Injectable()
export class TypeormVaultSecretRepository extends VaultSecretRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async put(s: StoredVaultSecret, at: Date): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO vault_secrets (owner_id, purpose, key_id, ciphertext, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (owner_id, purpose) DO UPDATE
         SET key_id = EXCLUDED.key_id, ciphertext = EXCLUDED.ciphertext, updated_at = EXCLUDED.updated_at`,
      [s.ownerId, s.purpose, s.keyId, s.ciphertext, at],
    );
  }

  async find(ownerId: string, purpose: string): Promise<StoredVaultSecret | null> {
    const r = await this.txHost.tx.getRepository(VaultSecretEntity).findOneBy({ owner_id: ownerId, purpose });
    return r ? toVault(r) : null;
  }

  async remove(ownerId: string, purposes: string[]): Promise<number> {
    const res: unknown = await this.txHost.tx.query(
      'DELETE FROM vault_secrets WHERE owner_id = $1 AND purpose = ANY($2) RETURNING purpose',
      [ownerId, purposes],
    );
    // The postgres driver answers a DELETE with [rows, rowCount].
    return Array.isArray(res) && typeof res[1] === 'number' ? res[1] : Array.isArray(res) ? res.length : 0;
  }

  async countByKeyId(): Promise<Map<string, number>> {
    const rows: { key_id: string; n: number }[] = await this.txHost.tx.query(
      'SELECT key_id, count(*)::int AS n FROM vault_secrets GROUP BY key_id',
    );
    return new Map(rows.map((r) => [r.key_id, r.n]));
  }

  async lockAll(): Promise<StoredVaultSecret[]> {
    const rows: VaultSecretRecord[] = await this.txHost.tx.query('SELECT * FROM vault_secrets ORDER BY owner_id, purpose FOR UPDATE');
    return rows.map(toVault);
  }

  async reseal(ownerId: string, purpose: string, sealed: Sealed, at: Date): Promise<void> {
    await this.txHost.tx.query(
      'UPDATE vault_secrets SET key_id = $3, ciphertext = $4, updated_at = $5 WHERE owner_id = $1 AND purpose = $2',
      [ownerId, purpose, sealed.keyId, sealed.ciphertext, at],
    );
  }
}

const VAULT_LOCK = lockKey('vault.keyring');

/** Transaction-scoped advisory lock: released by the commit or rollback itself. */
@Injectable()
export class TypeormVaultWriteLock extends VaultWriteLock {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }
  async shared(): Promise<void> {
    await this.txHost.tx.query('SELECT pg_advisory_xact_lock_shared($1)', [VAULT_LOCK]);
  }
  async exclusive(): Promise<void> {
    await this.txHost.tx.query('SELECT pg_advisory_xact_lock($1)', [VAULT_LOCK]);
  }
}
