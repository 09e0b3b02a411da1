import { Injectable } from '@nestjs/common';
import { DomainError } from '@kernel';
import { open, seal, Sealed } from '../domain/envelope';
import { Keyring } from '../domain/vault.ports';

/** Seals with the keyring's current key; opens with whichever key sealed the value. */
@Injectable()
export class VaultCipher {
  constructor(private readonly keyring: Keyring) {}

  seal(plaintext: string, aad: string): Sealed {
    return seal(this.keyring.current(), plaintext, aad);
  }

  /** Names the key id that is missing or failed, never anything of the value. */
  open(sealed: Sealed, aad: string, what: string): string {
    const key = this.keyring.find(sealed.keyId);
    if (!key) {
      throw DomainError.dependency(
        'vault_key_missing',
        `Cannot decrypt ${what}: encryption key ${sealed.keyId} is not in the keyring (set it as ENCRYPTION_KEY or in ENCRYPTION_KEYS_PREVIOUS)`,
        { key_id: sealed.keyId },
      );
    }
    const plain = open(key, sealed.ciphertext, aad);
    if (plain === null) {
      throw DomainError.dependency(
        'vault_decrypt_failed',
        `Cannot decrypt ${what} with key ${sealed.keyId}: the value was altered or moved`,
        {
          key_id: sealed.keyId,
        },
      );
    }
    return plain;
  }
}
