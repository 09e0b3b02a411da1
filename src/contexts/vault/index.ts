// The vault context's public surface: the only file other contexts may import.
// Exchange credentials are read through ExchangeCredentialsProvider, provided globally by VaultModule.
export { VaultModule } from './vault.module';
export { ExchangeCredentialsProvider } from './domain/exchange-credentials';
export type { ExchangeCredentials } from './domain/exchange-credentials';
export { SecretVault } from './application/secret-vault';
