import { DomainError } from '@kernel';
import { FakeClock } from '@testing/fake-clock';
import { ImmediateUnitOfWork, RecordingAuditTrail } from '../../../../test/fakes/kernel-in-memory';
import { CountingWriteLock, InMemoryExchangeSecrets, InMemoryKeyring, randomVaultKey } from '../../../../test/fakes/vault-in-memory';
import { ExchangeKeyInspector, KeyPermissionReport } from '../domain/key-permissions.ports';
import { ExchangeSecretsService } from './exchange-secrets.service';
import { VaultCipher } from './vault-cipher';

const meta = { requestId: 'req-1' };
const creds = { apiKey: 'AKIA-0123456789-WXYZ', apiSecret: 'very-secret-value-0123456789' };

class ScriptedInspector extends ExchangeKeyInspector {
  constructor(private readonly report: KeyPermissionReport | null) {
    super();
  }
  async inspect() {
    return this.report;
  }
}

function setup(inspector?: ExchangeKeyInspector) {
  const keyring = new InMemoryKeyring();
  const secrets = new InMemoryExchangeSecrets();
  const lock = new CountingWriteLock();
  const audit = new RecordingAuditTrail();
  const clock = new FakeClock();
  const service = new ExchangeSecretsService(secrets, new VaultCipher(keyring), lock, audit, new ImmediateUnitOfWork(), clock, inspector);
  return { keyring, secrets, lock, audit, clock, service };
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: DomainError) => `${e.kind}:${e.code}`,
  );

describe('ExchangeSecretsService (in-memory ports)', () => {
  it('stores only a sealed value and a masked key, and reveals the credentials to their owner', async () => {
    const { keyring, secrets, lock, audit, service } = setup();
    const saved = await service.save('u1', 'BINANCE', creds, meta);
    expect(saved).toMatchObject({ exchange: 'BINANCE', apiKeyMasked: '****WXYZ', keyId: keyring.current().id, keyPermissions: null });
    const row = (await secrets.find('u1', 'BINANCE'))!;
    expect(JSON.stringify(row)).not.toContain(creds.apiSecret);
    expect(JSON.stringify(row)).not.toContain(creds.apiKey);
    expect(lock.shares).toBe(1);
    expect(await service.reveal('u1', 'BINANCE')).toEqual(creds);
    expect(await service.reveal('u1', 'IBKR')).toBeNull();
    expect(audit.events).toEqual([
      expect.objectContaining({
        eventType: 'vault.exchange_secret.saved',
        outcome: 'success',
        userId: 'u1',
        payload: { exchange: 'BINANCE', created: true, key_id: keyring.current().id, key_warnings: 0 },
      }),
    ]);
  });

  it('binds the value to its owner and exchange: a row moved to another user does not open', async () => {
    const { secrets, service } = setup();
    await service.save('u1', 'BINANCE', creds, meta);
    const row = (await secrets.find('u1', 'BINANCE'))!;
    await secrets.upsert({ ...row, id: 'moved', userId: 'u2' });
    expect(await code(service.reveal('u2', 'BINANCE'))).toBe('dependency:vault_decrypt_failed');
  });

  it('names the missing key id when the keyring lost the key that sealed a value', async () => {
    const { keyring, service } = setup();
    await service.save('u1', 'CRYPTO_COM', creds, meta);
    const old = keyring.current().id;
    keyring.promote(randomVaultKey());
    expect(await service.reveal('u1', 'CRYPTO_COM')).toEqual(creds); // the former key still opens it
    keyring.forget(old);
    await expect(service.reveal('u1', 'CRYPTO_COM')).rejects.toMatchObject({ code: 'vault_key_missing', details: { key_id: old } });
  });

  it('replaces the secret on a second save, keeping its creation time', async () => {
    const { clock, audit, service } = setup();
    const first = await service.save('u1', 'BINANCE', creds, meta);
    clock.advance(60_000);
    const second = await service.save('u1', 'BINANCE', { apiKey: 'NEWKEY-000000-ABCD', apiSecret: 'other' }, meta);
    expect(second.apiKeyMasked).toBe('****ABCD');
    expect(second.createdAt).toEqual(first.createdAt);
    expect(second.updatedAt.getTime() - first.updatedAt.getTime()).toBe(60_000);
    expect(await service.list('u1')).toHaveLength(1);
    expect(audit.events.map((e) => e.payload?.created)).toEqual([true, false]);
  });

  it('never stores a key the exchange says can withdraw, and audits the refusal', async () => {
    const refusal = 'This API key can withdraw funds: create a key without withdrawal permission';
    const report: KeyPermissionReport = {
      checked: true,
      withdrawalsEnabled: true,
      marginEnabled: false,
      futuresEnabled: false,
      ipRestricted: false,
      refusal,
      warnings: [],
    };
    const { secrets, lock, audit, service } = setup(new ScriptedInspector(report));
    expect(await code(service.save('u1', 'BINANCE', creds, meta))).toBe('invalid:key_withdrawals_enabled');
    expect(secrets.rows.size).toBe(0);
    expect(lock.shares).toBe(0);
    expect(audit.types()).toEqual(['vault.exchange_secret.saved:failure']);
  });

  it('deletes the owner’s secret once; a second delete is 404', async () => {
    const { service, audit } = setup();
    await service.save('u1', 'IBKR', creds, meta);
    await service.remove('u1', 'IBKR', meta);
    expect(await service.hasCredentials('u1', 'IBKR')).toBe(false);
    expect(await code(service.remove('u1', 'IBKR', meta))).toBe('not_found:exchange_secret_not_found');
    expect(audit.types()).toEqual(['vault.exchange_secret.saved:success', 'vault.exchange_secret.deleted:success']);
  });
});
