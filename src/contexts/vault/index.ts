// The vault context's public surface: the only file other contexts may import.
export { VaultModule } from './vault.module';
