// The vault context's public surface: the only file other contexts may import.
// Exchange credentials are read through ExchangeCredentialsProvider (@kernel),
// provided globally by VaultModule.
export { VaultModule } from './vault.module';
export { SecretVault } from './application/secret-vault';
