import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@kernel';
import { vaultSecretAad } from '../domain/envelope';
import { VaultSecretRepository, VaultWriteLock } from '../domain/vault.ports';
import { VaultCipher } from './vault-cipher';

const PURPOSE = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * Small secrets of other contexts (identity's TOTP secrets), sealed by the vault
 * keyring and bound to owner + purpose. Call inside the caller's unit of work.
 */
@Injectable()
export class SecretVault {
  constructor(
    private readonly secrets: VaultSecretRepository,
    private readonly cipher: VaultCipher,
    private readonly lock: VaultWriteLock,
    private readonly clock: Clock,
  ) {}

  async put(ownerId: string, purpose: string, plaintext: string): Promise<void> {
    check(purpose);
    await this.lock.shared();
    const sealed = this.cipher.seal(plaintext, vaultSecretAad(ownerId, purpose));
    await this.secrets.put({ ownerId, purpose, ...sealed }, this.clock.now());
  }

  /** null when there is none. */
  async get(ownerId: string, purpose: string): Promise<string | null> {
    check(purpose);
    const s = await this.secrets.find(ownerId, purpose);
    return s ? this.cipher.open(s, vaultSecretAad(ownerId, purpose), `the ${purpose} secret`) : null;
  }

  async remove(ownerId: string, ...purposes: string[]): Promise<number> {
    purposes.forEach(check);
    return this.secrets.remove(ownerId, purposes);
  }
}

function check(purpose: string): void {
  if (!PURPOSE.test(purpose)) throw DomainError.invalid('invalid_purpose', 'Invalid vault purpose');
}
