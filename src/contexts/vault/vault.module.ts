import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExchangeCredentialsProvider } from '@kernel';
import { ExchangeSecretsService } from './application/exchange-secrets.service';
import { SecretVault } from './application/secret-vault';
import { VaultCipher } from './application/vault-cipher';
import { ExchangeSecretRepository, Keyring, VaultSecretRepository, VaultWriteLock } from './domain/vault.ports';
import { EnvKeyring } from './infrastructure/env-keyring';
import { ExchangeSecretEntity, VaultSecretEntity } from './infrastructure/postgres/vault.records';
import {
  PostgresVaultWriteLock,
  TypeormExchangeSecretRepository,
  TypeormVaultSecretRepository,
} from './infrastructure/postgres/typeorm-vault.repositories';
import { ExchangeSecretsController } from './http/exchange-secrets.controller';
import { KeyRotationController } from './http/key-rotation.controller';
import { KeyRotationService } from './application/key-rotation.service';

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
    { provide: ExchangeCredentialsProvider, useExisting: ExchangeSecretsService },
    { provide: Keyring, useClass: EnvKeyring },
    { provide: ExchangeSecretRepository, useClass: TypeormExchangeSecretRepository },
    { provide: VaultSecretRepository, useClass: TypeormVaultSecretRepository },
    { provide: VaultWriteLock, useClass: PostgresVaultWriteLock },
  ],
  exports: [ExchangeCredentialsProvider, SecretVault],
})
export class VaultModule {}
