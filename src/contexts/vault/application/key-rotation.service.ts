import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, DomainError, FieldError, RequestMeta, UnitOfWork } from '@kernel';
import { encryptionKeyProblem } from '@platform/config/load-config';
import { exchangeSecretAad, open, Sealed, seal, VaultKey, vaultKeyFromBase64, vaultSecretAad } from '../domain/envelope';
import { ExchangeSecretRepository, Keyring, VaultSecretRepository, VaultWriteLock } from '../domain/vault.ports';

export interface RotationCommand {
  oldKey: string;
  newKey: string;
  dryRun: boolean;
}

/** One kind of vault value: how many there are, open with the old key, are sealed with the new one already, open with neither. */
export interface KindReport {
  total: number;
  decryptWithOldKey: number;
  alreadyNewKey: number;
  failedIds: string[];
}

export interface RotationReport {
  dryRun: boolean;
  oldKeyId: string;
  newKeyId: string;
  exchangeSecrets: KindReport;
  totpSecrets: KindReport;
  reencrypted: number;
  activeKeyId: string;
}

/** One vault value, whatever its table: how to name it, open it and write it back. */
interface Item extends Sealed {
  ref: string;
  aad: string;
  reseal(sealed: Sealed): Promise<void>;
}

type Plan = { item: Item; plain: string | null; alreadyNew: boolean };

/**
 * Re-encrypts every vault value (exchange credentials and TOTP secrets) from
 * old_key to new_key in ONE transaction, holding the vault write lock so nothing
 * is sealed with the retiring key meanwhile. All or nothing: one value that
 * opens with neither key aborts the whole apply.
 */
@Injectable()
export class KeyRotationService {
  constructor(
    private readonly exchangeSecrets: ExchangeSecretRepository,
    private readonly vaultSecrets: VaultSecretRepository,
    private readonly keyring: Keyring,
    private readonly lock: VaultWriteLock,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async reencrypt(cmd: RotationCommand, adminId: string, meta: RequestMeta): Promise<RotationReport> {
    const { oldKey, newKey } = parseKeys(cmd);
    // Compare key ids first: on an empty vault nothing would fail to decrypt, and a wrong old_key would
    // switch this instance to new_key while every other instance (and this one after a restart) keeps the old one.
    // A retry of a rotation that already made new_key active (old_key still in the keyring) is allowed: it
    // finishes what is left under old_key.
    const active = this.keyring.current();
    const retry = newKey.id === active.id && this.keyring.find(oldKey.id) !== undefined;
    if (oldKey.id !== active.id && !retry) {
      throw DomainError.invalidField('old_key', `old_key (key id ${oldKey.id}) is not the active ENCRYPTION_KEY (key id ${active.id})`, {
        code: 'old_key_not_active',
        summary: `key id ${oldKey.id} is not the active key (${active.id})`,
      });
    }
    if (cmd.dryRun) {
      const report = await this.uow.run(async () => {
        const plans = await this.plan(oldKey, newKey);
        const r = this.report(cmd, oldKey, newKey, plans, 0);
        await this.audit.record(
          { eventType: 'security.key_rotation.reencrypt', outcome: 'success', userId: adminId, payload: summary(r) },
          meta,
        );
        return r;
      });
      return report;
    }

    const before = this.keyring.snapshot();
    try {
      return await this.uow.run(async () => {
        await this.lock.exclusive();
        const plans = await this.plan(oldKey, newKey);
        const all = [...plans.exchange, ...plans.totp];
        const failed = all.filter((p) => p.plain === null && !p.alreadyNew);
        if (failed.length) {
          const opened = all.filter((p) => p.plain !== null).length;
          throw DomainError.invalid(
            opened === 0 ? 'old_key_mismatch' : 'reencrypt_failed',
            opened === 0
              ? `old_key (key id ${oldKey.id}) does not decrypt the stored values: nothing was changed`
              : `${failed.length} value(s) decrypt with neither old_key nor new_key: nothing was changed`,
            { failed_ids: failed.map((p) => p.item.ref) },
          );
        }
        let count = 0;
        for (const p of all) {
          if (p.alreadyNew) continue;
          await p.item.reseal(seal(newKey, p.plain!, p.item.aad));
          count++;
        }
        // Seal with the new key from now on. Writers are blocked by the lock until we commit;
        // on rollback the catch below restores the keyring.
        this.keyring.promote(oldKey);
        this.keyring.promote(newKey);
        const r = this.report(cmd, oldKey, newKey, plans, count);
        await this.audit.record(
          { eventType: 'security.key_rotation.reencrypt', outcome: 'success', userId: adminId, payload: summary(r) },
          meta,
        );
        return r;
      });
    } catch (e) {
      this.keyring.restore(before);
      await this.audit
        .record(
          {
            eventType: 'security.key_rotation.reencrypt',
            outcome: 'failure',
            userId: adminId,
            payload: { dry_run: false, old_key_id: oldKey.id, new_key_id: newKey.id, reason: e instanceof DomainError ? e.code : 'error' },
          },
          meta,
        )
        .catch(() => undefined);
      throw e;
    }
  }

  private async plan(oldKey: VaultKey, newKey: VaultKey): Promise<{ exchange: Plan[]; totp: Plan[] }> {
    const at = () => this.clock.now();
    // FOR UPDATE row locks: a dry run holds them only for its short read transaction.
    const exchange: Item[] = (await this.exchangeSecrets.lockAll()).map((s) => ({
      ref: `exchange_secret:${s.id}`,
      keyId: s.keyId,
      ciphertext: s.ciphertext,
      aad: exchangeSecretAad(s.userId, s.exchange),
      reseal: (sealed) => this.exchangeSecrets.reseal(s.id, sealed, at()),
    }));
    const totp: Item[] = (await this.vaultSecrets.lockAll()).map((s) => ({
      ref: `${s.purpose}_secret:${s.ownerId}`,
      keyId: s.keyId,
      ciphertext: s.ciphertext,
      aad: vaultSecretAad(s.ownerId, s.purpose),
      reseal: (sealed) => this.vaultSecrets.reseal(s.ownerId, s.purpose, sealed, at()),
    }));
    const planOf = (item: Item): Plan => {
      const alreadyNew = item.keyId === newKey.id && open(newKey, item.ciphertext, item.aad) !== null;
      return { item, alreadyNew, plain: alreadyNew ? null : open(oldKey, item.ciphertext, item.aad) };
    };
    return { exchange: exchange.map(planOf), totp: totp.map(planOf) };
  }

  private report(
    cmd: RotationCommand,
    oldKey: VaultKey,
    newKey: VaultKey,
    plans: { exchange: Plan[]; totp: Plan[] },
    count: number,
  ): RotationReport {
    const kind = (ps: Plan[]): KindReport => ({
      total: ps.length,
      decryptWithOldKey: ps.filter((p) => p.plain !== null).length,
      alreadyNewKey: ps.filter((p) => p.alreadyNew).length,
      failedIds: ps.filter((p) => p.plain === null && !p.alreadyNew).map((p) => p.item.ref),
    });
    return {
      dryRun: cmd.dryRun,
      oldKeyId: oldKey.id,
      newKeyId: newKey.id,
      exchangeSecrets: kind(plans.exchange),
      totpSecrets: kind(plans.totp),
      reencrypted: count,
      activeKeyId: this.keyring.current().id,
    };
  }
}

/** The audit payload: counts and key ids, never a key. */
const summary = (r: RotationReport) => {
  const counts = (k: KindReport) => ({
    total: k.total,
    decrypt_with_old_key: k.decryptWithOldKey,
    already_new_key: k.alreadyNewKey,
    failed_ids: k.failedIds.length,
  });
  return {
    dry_run: r.dryRun,
    old_key_id: r.oldKeyId,
    new_key_id: r.newKeyId,
    exchange_secrets: counts(r.exchangeSecrets),
    totp_secrets: counts(r.totpSecrets),
    reencrypted: r.reencrypted,
  };
};

function parseKeys(cmd: RotationCommand): { oldKey: VaultKey; newKey: VaultKey } {
  const errors: FieldError[] = [];
  for (const [field, value] of [
    ['old_key', cmd.oldKey],
    ['new_key', cmd.newKey],
  ] as const) {
    const problem = encryptionKeyProblem(value, field);
    if (problem) errors.push({ field, messages: [`${problem} (base64 of 32 random bytes, see npm run secrets:generate)`] });
  }
  if (errors.length) throw DomainError.validation(errors);
  const oldKey = vaultKeyFromBase64(cmd.oldKey)!;
  const newKey = vaultKeyFromBase64(cmd.newKey)!;
  if (oldKey.id === newKey.id && oldKey.material.equals(newKey.material)) {
    throw DomainError.invalidField('new_key', 'new_key must differ from old_key');
  }
  return { oldKey, newKey };
}
