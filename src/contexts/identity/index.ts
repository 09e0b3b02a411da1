// The identity context's public surface: what other contexts may import.
export { IdentityModule } from './identity.module';
export { UserDirectory } from './domain/user-directory';
export type { UserRegistered } from './domain/identity.events';
