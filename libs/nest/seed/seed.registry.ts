import { Injectable, Logger } from '@nestjs/common';

interface Seeder {
  name: string;
  order: number; // lower first: users before the loan that belongs to one
  devOnly: boolean;
  run: () => Promise<void>;
}

/**
 * Contexts register their idempotent seeders in onModuleInit; `npm run seed` and
 * the first boot outside production run them in order.
 */
@Injectable()
export class SeedRegistry {
  private readonly seeders: Seeder[] = [];
  private readonly logger = new Logger('Seed');

  register(seeder: Seeder): void {
    this.seeders.push(seeder);
  }

  async runAll(production: boolean): Promise<string[]> {
    const ran: string[] = [];
    for (const s of [...this.seeders].sort((a, b) => a.order - b.order)) {
      if (s.devOnly && production) continue;
      await s.run();
      ran.push(s.name);
    }
    this.logger.log(`seeded: ${ran.join(', ') || 'nothing'}`);
    return ran;
  }
}
