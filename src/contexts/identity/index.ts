// The identity context's public surface: what other contexts may import.
export { IdentityModule } from './identity.module';
export { UserRepository, PasswordHasher } from './domain/identity.ports';
export type { User, Role, NotifyChannel, PublicUser } from './domain/user';
