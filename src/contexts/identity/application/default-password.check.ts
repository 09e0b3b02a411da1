import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@platform/config/app-config';
import { PasswordHasher, UserRepository } from '../domain/identity.ports';
import { DEV_USERS } from './dev-users.seeder';

/**
 * A production boot refuses while a development account still answers to its published password
 * (admin/admin1234, client1/client1234): anyone who read the README could log in as it.
 */
@Injectable()
export class DefaultPasswordCheck implements OnApplicationBootstrap {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.nodeEnv !== 'production') return;
    const exposed = await this.usersWithDefaultPasswords();
    if (exposed.length) {
      throw new Error(
        `Refusing to start in production: ${exposed.map((u) => `user "${u}"`).join(', ')} still ` +
          `${exposed.length > 1 ? 'have' : 'has'} the default development password; change the password or remove the user first`,
      );
    }
  }

  async usersWithDefaultPasswords(): Promise<string[]> {
    const found: string[] = [];
    for (const dev of DEV_USERS) {
      const seen = new Set<string>();
      for (const login of [dev.username, dev.email]) {
        const user = await this.users.findByLogin(login);
        if (!user || seen.has(user.id)) continue;
        seen.add(user.id);
        if (await this.hasher.verify(dev.password, user.passwordHash)) found.push(user.username ?? user.email);
      }
    }
    return found;
  }
}
