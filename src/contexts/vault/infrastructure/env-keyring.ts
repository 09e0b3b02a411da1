import { Injectable } from '@nestjs/common';
import { AppConfig } from '@platform/config/app-config';
import { VaultKey, vaultKeyFromBase64 } from '../domain/envelope';
import { Keyring, KeyringSnapshot } from '../domain/vault.ports';

/** ENCRYPTION_KEY seals; it and ENCRYPTION_KEYS_PREVIOUS open. Keys were validated at boot. */
@Injectable()
export class EnvKeyring extends Keyring {
  private currentKey: VaultKey;
  private readonly byId = new Map<string, VaultKey>();

  constructor(config: AppConfig) {
    super();
    const key = (b64: string) => {
      const k = vaultKeyFromBase64(b64);
      if (!k) throw new Error('invalid encryption key in the keyring'); // load-config already refuses these
      return k;
    };
    this.currentKey = key(config.encryptionKey);
    for (const k of [this.currentKey, ...config.encryptionKeysPrevious.map(key)]) if (!this.byId.has(k.id)) this.byId.set(k.id, k);
  }

  current(): VaultKey {
    return this.currentKey;
  }

  find(keyId: string): VaultKey | undefined {
    return this.byId.get(keyId);
  }

  promote(key: VaultKey): void {
    this.byId.set(key.id, key);
    this.currentKey = key;
  }

  snapshot(): KeyringSnapshot {
    return { current: this.currentKey, others: [...this.byId.values()] };
  }

  restore(snapshot: KeyringSnapshot): void {
    this.currentKey = snapshot.current;
    this.byId.clear();
    for (const k of snapshot.others) this.byId.set(k.id, k);
    this.byId.set(snapshot.current.id, snapshot.current);
  }
}
