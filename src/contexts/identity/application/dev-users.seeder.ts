import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@platform/config/app-config';
import { Clock, DomainEventBus, newId, UnitOfWork } from '@kernel';
import type { UserRegistered } from '../domain/identity.events';
import { PasswordHasher, UserRepository } from '../domain/identity.ports';
import { Role } from '../domain/user';

/** The loans runbook's users; created by the seed only, only outside production. */
export const DEV_USERS: { username: string; email: string; password: string; role: Role; fullName: string }[] = [
  { username: 'admin', email: 'admin@example.com', password: 'admin1234', role: 'admin', fullName: 'Admin' },
  { username: 'client1', email: 'client1@example.com', password: 'client1234', role: 'user', fullName: 'Client One' },
];

@Injectable()
export class DevUsersSeeder {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly events: DomainEventBus,
    private readonly config: AppConfig,
  ) {}

  /** Idempotent: existing users are left as they are. */
  async run(): Promise<void> {
    // Whoever calls (npm run seed, a boot, a script), production never gets accounts with published passwords.
    if (this.config.nodeEnv === 'production') {
      new Logger('Seed').warn('dev users are never created in production: skipped');
      return;
    }
    for (const u of DEV_USERS) {
      if (await this.users.findByLogin(u.username)) continue;
      const passwordHash = await this.hasher.hash(u.password);
      const id = newId();
      await this.uow.run(async () => {
        await this.users.insert({
          id,
          email: u.email,
          username: u.username,
          passwordHash,
          fullName: u.fullName,
          role: u.role,
          notifyChannel: 'email',
          notifyDestination: u.email,
          createdAt: this.clock.now(),
        });
        await this.events.publish({ name: 'identity.user_registered', userId: id, email: u.email } satisfies UserRegistered);
      });
    }
  }
}
