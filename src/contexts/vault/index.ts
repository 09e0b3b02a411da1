// The vault context's public surface: the only file other contexts may import.
// Exchange credentials are read through ExchangeCredentialsProvider, provided globally by VaultModule.
// A context that can read a key's permissions on its exchange provides ExchangeKeyInspector (globally),
// and the vault asks it before it stores a key.
export { VaultModule } from './vault.module';
export { ExchangeCredentialsProvider } from './domain/exchange-credentials';
export type { Exchange, ExchangeCredentials } from './domain/exchange-credentials';
export { SecretVault } from './application/secret-vault';
export { ExchangeKeyInspector } from './domain/key-permissions.ports';
export type { KeyPermissionReport } from './domain/key-permissions.ports';
