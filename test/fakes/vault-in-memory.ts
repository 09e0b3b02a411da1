import { randomBytes } from 'node:crypto';
import type { Exchange } from '../../src/contexts/vault/domain/exchange-credentials';
import { Sealed, VaultKey, vaultKeyFromBase64 } from '../../src/contexts/vault/domain/envelope';
import {
  ExchangeSecretRepository,
  Keyring,
  KeyringSnapshot,
  StoredExchangeSecret,
  VaultWriteLock,
} from '../../src/contexts/vault/domain/vault.ports';

export const randomVaultKey = (): VaultKey => vaultKeyFromBase64(randomBytes(32).toString('base64'))!;

/** A keyring held in memory: seals with `current`, opens with any key it holds. */
export class InMemoryKeyring extends Keyring {
  private readonly byId = new Map<string, VaultKey>();
  constructor(private currentKey: VaultKey = randomVaultKey()) {
    super();
    this.byId.set(currentKey.id, currentKey);
  }
  current() {
    return this.currentKey;
  }
  find(keyId: string) {
    return this.byId.get(keyId);
  }
  promote(key: VaultKey) {
    this.byId.set(key.id, key);
    this.currentKey = key;
  }
  forget(keyId: string) {
    this.byId.delete(keyId);
  }
  snapshot(): KeyringSnapshot {
    return { current: this.currentKey, others: [...this.byId.values()] };
  }
  restore(s: KeyringSnapshot) {
    this.byId.clear();
    for (const k of s.others) this.byId.set(k.id, k);
    this.currentKey = s.current;
  }
}

/** One row per user and exchange, as the table's unique index keeps it. */
export class InMemoryExchangeSecrets extends ExchangeSecretRepository {
  readonly rows = new Map<string, StoredExchangeSecret>();
  private key = (userId: string, exchange: Exchange) => `${userId}:${exchange}`;
  async upsert(secret: StoredExchangeSecret) {
    const before = this.rows.get(this.key(secret.userId, secret.exchange));
    const stored = before ? { ...secret, id: before.id, createdAt: before.createdAt } : { ...secret };
    this.rows.set(this.key(secret.userId, secret.exchange), stored);
    return { stored, created: !before };
  }
  async find(userId: string, exchange: Exchange) {
    return this.rows.get(this.key(userId, exchange)) ?? null;
  }
  async list(userId: string) {
    return [...this.rows.values()].filter((r) => r.userId === userId);
  }
  async remove(userId: string, exchange: Exchange) {
    return this.rows.delete(this.key(userId, exchange));
  }
  async usersWith(exchange: Exchange) {
    return [...this.rows.values()].filter((r) => r.exchange === exchange).map((r) => r.userId);
  }
  async lockAll() {
    return [...this.rows.values()];
  }
  async countByKeyId() {
    const n = new Map<string, number>();
    for (const r of this.rows.values()) n.set(r.keyId, (n.get(r.keyId) ?? 0) + 1);
    return n;
  }
  async reseal(id: string, sealed: Sealed, at: Date) {
    for (const r of this.rows.values()) if (r.id === id) Object.assign(r, sealed, { updatedAt: at });
  }
}

/** Counts how often writers took the lock. */
export class CountingWriteLock extends VaultWriteLock {
  shares = 0;
  exclusives = 0;
  async shared() {
    this.shares++;
  }
  async exclusive() {
    this.exclusives++;
  }
}
