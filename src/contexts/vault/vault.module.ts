import { Global, Module, OnModuleInit } from '@nestjs/common';
import { ReadinessChecks } from '@platform/health/readiness.registry';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExchangeCredentialsProvider } from './domain/exchange-credentials';
import { ExchangeSecretsService } from './application/exchange-secrets.service';
import { SecretVault } from './application/secret-vault';
import { VaultCipher } from './application/vault-cipher';
import { ExchangeSecretRepository, Keyring, VaultSecretRepository, VaultWriteLock } from './domain/vault.ports';
import { EnvKeyring } from './infrastructure/env-keyring';
import { ExchangeSecretEntity, VaultSecretEntity } from './infrastructure/postgres/vault.records';
import {
  TypeormVaultWriteLock,
  TypeormExchangeSecretRepository,
  TypeormVaultSecretRepository,
} from './infrastructure/postgres/typeorm-vault.repositories';
import { ExchangeSecretsController } from './http/exchange-secrets.controller';
import { KeyRotationController } from './http/key-rotation.controller';
import { KeyRotationService } from './application/key-rotation.service';
import { KeyInventoryService, unknownKeyMessage } from './application/key-inventory.service';

/**
 * Global: execution and exchange-sync reveal credentials through the
 * ExchangeCredentialsProvider port; identity seals TOTP secrets through SecretVault.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ExchangeSecretEntity, VaultSecretEntity])],
  controllers: [ExchangeSecretsController, KeyRotationController],
  providers: [
    VaultCipher,
    ExchangeSecretsService,
    SecretVault,
    KeyRotationService,
    KeyInventoryService,
    { provide: ExchangeCredentialsProvider, useExisting: ExchangeSecretsService },
    { provide: Keyring, useClass: EnvKeyring },
    { provide: ExchangeSecretRepository, useClass: TypeormExchangeSecretRepository },
    { provide: VaultSecretRepository, useClass: TypeormVaultSecretRepository },
    { provide: VaultWriteLock, useClass: TypeormVaultWriteLock },
  ],
  exports: [ExchangeCredentialsProvider, SecretVault],
})
export class VaultModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessChecks,
    private readonly keys: KeyInventoryService,
  ) {}

  onModuleInit(): void {
    this.readiness.register('vault_keys', async () => {
      const inv = await this.keys.inventory();
      return {
        up: inv.unknown.length === 0,
        details: {
          active_key_id: inv.active_key_id,
          previous_values: inv.previous_values,
          ...(inv.unknown.length ? { unknown_keys: inv.unknown, message: inv.unknown.map(unknownKeyMessage).join('; ') } : {}),
        },
      };
    });
  }
}
