import { Injectable, Optional } from '@nestjs/common';
import { AuditTrail, Clock, DomainError, newId, RequestMeta, UnitOfWork } from '@kernel';
import { type Exchange, type ExchangeCredentials, ExchangeCredentialsProvider } from '../domain/exchange-credentials';
import { exchangeSecretAad, maskApiKey } from '../domain/envelope';
import { ExchangeKeyInspector, KeyPermissionReport } from '../domain/key-permissions.ports';
import { ExchangeSecretRepository, StoredExchangeSecret, VaultWriteLock } from '../domain/vault.ports';
import { VaultCipher } from './vault-cipher';

export interface ExchangeSecretView {
  exchange: Exchange;
  apiKeyMasked: string;
  keyId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SavedExchangeSecret extends ExchangeSecretView {
  /** null when nothing is checked for that exchange. */
  keyPermissions: KeyPermissionReport | null;
}

const view = (s: StoredExchangeSecret): ExchangeSecretView => ({
  exchange: s.exchange,
  apiKeyMasked: s.apiKeyMasked,
  keyId: s.keyId,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

/** Exchange API credentials: sealed at rest, opened only when an exchange call needs them. */
@Injectable()
export class ExchangeSecretsService extends ExchangeCredentialsProvider {
  constructor(
    private readonly secrets: ExchangeSecretRepository,
    private readonly cipher: VaultCipher,
    private readonly lock: VaultWriteLock,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    @Optional() private readonly inspector?: ExchangeKeyInspector,
  ) {
    super();
  }

  /** Asks the exchange what the key may do first (outside the transaction): a key it refuses is never stored. */
  async save(userId: string, exchange: Exchange, creds: ExchangeCredentials, meta: RequestMeta): Promise<SavedExchangeSecret> {
    const keyPermissions = (await this.inspector?.inspect(exchange, creds)) ?? null;
    if (keyPermissions?.refusal) {
      await this.audit.record(
        {
          eventType: 'vault.exchange_secret.saved',
          outcome: 'failure',
          userId,
          payload: { exchange, reason: 'key_withdrawals_enabled' },
        },
        meta,
      );
      throw DomainError.invalid('key_withdrawals_enabled', keyPermissions.refusal, { field: 'api_key' });
    }
    const saved = await this.uow.run(async () => {
      await this.lock.shared();
      const sealed = this.cipher.seal(JSON.stringify({ k: creds.apiKey, s: creds.apiSecret }), exchangeSecretAad(userId, exchange));
      const now = this.clock.now();
      const { stored, created } = await this.secrets.upsert({
        id: newId(),
        userId,
        exchange,
        apiKeyMasked: maskApiKey(creds.apiKey),
        ...sealed,
        createdAt: now,
        updatedAt: now,
      });
      await this.audit.record(
        {
          eventType: 'vault.exchange_secret.saved',
          outcome: 'success',
          userId,
          payload: { exchange, created, key_id: sealed.keyId, key_warnings: keyPermissions?.warnings.length ?? 0 },
        },
        meta,
      );
      return view(stored);
    });
    return { ...saved, keyPermissions };
  }

  async list(userId: string): Promise<ExchangeSecretView[]> {
    return (await this.secrets.list(userId)).map(view);
  }

  async remove(userId: string, exchange: Exchange, meta: RequestMeta): Promise<void> {
    await this.uow.run(async () => {
      if (!(await this.secrets.remove(userId, exchange))) {
        throw DomainError.notFound('exchange_secret_not_found', `No credentials for ${exchange}`);
      }
      await this.audit.record({ eventType: 'vault.exchange_secret.deleted', outcome: 'success', userId, payload: { exchange } }, meta);
    });
  }

  // ExchangeCredentialsProvider: the port execution and exchange-sync call at the moment of use.

  async reveal(userId: string, exchange: Exchange): Promise<ExchangeCredentials | null> {
    const s = await this.secrets.find(userId, exchange);
    if (!s) return null;
    const plain = JSON.parse(this.cipher.open(s, exchangeSecretAad(userId, exchange), `the ${exchange} credentials`)) as {
      k: string;
      s: string;
    };
    return { apiKey: plain.k, apiSecret: plain.s };
  }

  async hasCredentials(userId: string, exchange: Exchange): Promise<boolean> {
    return (await this.secrets.find(userId, exchange)) !== null;
  }

  usersWith(exchange: Exchange): Promise<string[]> {
    return this.secrets.usersWith(exchange);
  }
}
