import type { Exchange } from './exchange-credentials';
import { Sealed, VaultKey } from './envelope';

/**
 * Where the encryption keys come from. Today: the environment (ENCRYPTION_KEY +
 * ENCRYPTION_KEYS_PREVIOUS); a KMS or Vault-transit adapter can replace it.
 */
export abstract class Keyring {
  /** The key new values are sealed with. */
  abstract current(): VaultKey;
  /** Any key that may open stored values, by id. */
  abstract find(keyId: string): VaultKey | undefined;
  /** Seal with `key` from now on; the former keys stay readable. */
  abstract promote(key: VaultKey): void;
  /** Undo a promote whose transaction did not commit. */
  abstract restore(snapshot: KeyringSnapshot): void;
  abstract snapshot(): KeyringSnapshot;
}

export interface KeyringSnapshot {
  current: VaultKey;
  others: VaultKey[];
}

export interface StoredExchangeSecret extends Sealed {
  id: string;
  userId: string;
  exchange: Exchange;
  apiKeyMasked: string;
  createdAt: Date;
  updatedAt: Date;
}

export abstract class ExchangeSecretRepository {
  /** Insert or replace the user's secret for that exchange; returns the stored row. */
  abstract upsert(secret: StoredExchangeSecret): Promise<{ stored: StoredExchangeSecret; created: boolean }>;
  abstract find(userId: string, exchange: Exchange): Promise<StoredExchangeSecret | null>;
  abstract list(userId: string): Promise<StoredExchangeSecret[]>;
  abstract remove(userId: string, exchange: Exchange): Promise<boolean>;
  abstract usersWith(exchange: Exchange): Promise<string[]>;
  /** Every row, locked FOR UPDATE (rotation). */
  abstract lockAll(): Promise<StoredExchangeSecret[]>;
  /** How many values each key id sealed. */
  abstract countByKeyId(): Promise<Map<string, number>>;
  abstract reseal(id: string, sealed: Sealed, at: Date): Promise<void>;
}

/** A sealed value of another context (the TOTP secrets of identity). */
export interface StoredVaultSecret extends Sealed {
  ownerId: string;
  purpose: string;
}

export abstract class VaultSecretRepository {
  abstract put(secret: StoredVaultSecret, at: Date): Promise<void>;
  abstract find(ownerId: string, purpose: string): Promise<StoredVaultSecret | null>;
  abstract remove(ownerId: string, purposes: string[]): Promise<number>;
  abstract lockAll(): Promise<StoredVaultSecret[]>;
  abstract countByKeyId(): Promise<Map<string, number>>;
  abstract reseal(ownerId: string, purpose: string, sealed: Sealed, at: Date): Promise<void>;
}

/**
 * Serialises vault writes against a key rotation: writers hold it shared while
 * they seal and write, the rotation holds it exclusively until it commits, so
 * nothing is sealed with a key that is being retired.
 */
export abstract class VaultWriteLock {
  abstract shared(): Promise<void>;
  abstract exclusive(): Promise<void>;
}
