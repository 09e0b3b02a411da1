import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Clock, JobQueue, UnitOfWork } from '@kernel';
import { exchangeSecretAad, vaultSecretAad } from '../domain/envelope';
import { ExchangeSecretRepository, Keyring, VaultSecretRepository, VaultWriteLock } from '../domain/vault.ports';
import { VaultCipher } from './vault-cipher';

export type KeyStatus = 'active' | 'previous' | 'unknown';

export interface KeyCount {
  key_id: string;
  status: KeyStatus;
  exchange_secrets: number;
  totp_secrets: number;
}

export interface KeyInventory {
  active_key_id: string;
  keys: KeyCount[];
  /** Values sealed with a key the keyring does not have: unreadable until that key is configured. */
  unknown: KeyCount[];
  /** Values still under a previous key: the rewrap job moves them to the active one. */
  previous_values: number;
}

export interface RewrapReport {
  rewrapped: number;
  remaining_previous: number;
  unknown_key_ids: string[];
}

export const REWRAP_JOB = 'vault.rewrap';
const REWRAP_EVERY_SECONDS = 60;

/**
 * What the vault holds per key id. At boot: an error log per key id the keyring lacks (and /readyz says so);
 * then the `vault.rewrap` job (job port) rewraps values left under previous keys (written by an instance that
 * had not restarted after a rotation) to the active key, and says once when none is left. It is enqueued at
 * boot when such values exist (one job for instances booting in the same minute) and, with the scheduler on,
 * every minute.
 */
@Injectable()
export class KeyInventoryService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Vault');
  private reportedDone = false;

  constructor(
    private readonly exchangeSecrets: ExchangeSecretRepository,
    private readonly vaultSecrets: VaultSecretRepository,
    private readonly keyring: Keyring,
    private readonly cipher: VaultCipher,
    private readonly lock: VaultWriteLock,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.jobs.schedule(
      { name: REWRAP_JOB, retryLimit: 5, retryDelaySeconds: 10, timeoutSeconds: 300 },
      { every: REWRAP_EVERY_SECONDS },
      () => this.rewrap(),
    );
  }

  async inventory(): Promise<KeyInventory> {
    const [exchange, totp] = await Promise.all([this.exchangeSecrets.countByKeyId(), this.vaultSecrets.countByKeyId()]);
    const active = this.keyring.current().id;
    const ids = [...new Set([...exchange.keys(), ...totp.keys()])].sort();
    const keys: KeyCount[] = ids.map((key_id) => ({
      key_id,
      status: key_id === active ? 'active' : this.keyring.find(key_id) ? 'previous' : 'unknown',
      exchange_secrets: exchange.get(key_id) ?? 0,
      totp_secrets: totp.get(key_id) ?? 0,
    }));
    const previous = keys.filter((k) => k.status === 'previous');
    return {
      active_key_id: active,
      keys,
      unknown: keys.filter((k) => k.status === 'unknown'),
      previous_values: previous.reduce((n, k) => n + k.exchange_secrets + k.totp_secrets, 0),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const inv = await this.inventory();
    for (const k of inv.unknown) this.logger.error(unknownKeyMessage(k));
    if (inv.previous_values) {
      this.logger.warn(`${inv.previous_values} vault value(s) are under a previous key: the rewrap job moves them to ${inv.active_key_id}`);
    }
    // After a restart: the job now rather than at the next tick (keyed by the tick, so once across instances).
    if (inv.previous_values) await this.jobs.tick(REWRAP_JOB);
  }

  /** Moves every value under a previous key to the active key, in one transaction under the vault write lock. */
  async rewrap(): Promise<RewrapReport> {
    const rewrapped = await this.uow.run(async () => {
      await this.lock.shared(); // a rotation (exclusive) waits, and so do we for it
      const active = this.keyring.current();
      const stale = (keyId: string) => keyId !== active.id && this.keyring.find(keyId) !== undefined;
      let n = 0;
      for (const s of (await this.exchangeSecrets.lockAll()).filter((s) => stale(s.keyId))) {
        const aad = exchangeSecretAad(s.userId, s.exchange);
        await this.exchangeSecrets.reseal(
          s.id,
          this.cipher.seal(this.cipher.open(s, aad, `exchange secret ${s.id}`), aad),
          this.clock.now(),
        );
        n++;
      }
      for (const s of (await this.vaultSecrets.lockAll()).filter((s) => stale(s.keyId))) {
        const aad = vaultSecretAad(s.ownerId, s.purpose);
        const plain = this.cipher.open(s, aad, `${s.purpose} secret of ${s.ownerId}`);
        await this.vaultSecrets.reseal(s.ownerId, s.purpose, this.cipher.seal(plain, aad), this.clock.now());
        n++;
      }
      return n;
    });
    const inv = await this.inventory();
    const report = { rewrapped, remaining_previous: inv.previous_values, unknown_key_ids: inv.unknown.map((k) => k.key_id) };
    if (rewrapped) this.logger.log(`vault rewrap: moved ${rewrapped} value(s) to key ${inv.active_key_id}`);
    if (report.remaining_previous === 0 && (rewrapped || !this.reportedDone)) {
      this.reportedDone = true;
      this.logger.log(`vault rewrap: no value is left under a previous key; ENCRYPTION_KEYS_PREVIOUS may now be emptied`);
    }
    return report;
  }
}

export const unknownKeyMessage = (k: KeyCount): string =>
  `vault: ${k.exchange_secrets} exchange secret(s) and ${k.totp_secrets} TOTP secret(s) are sealed with key id ${k.key_id}, ` +
  `which is neither ENCRYPTION_KEY nor in ENCRYPTION_KEYS_PREVIOUS: they cannot be decrypted until that key is configured`;
