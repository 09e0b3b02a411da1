import { DataSource } from 'typeorm';
import { withAppContext } from './app-context';

/** `npm run migration:run`: applies pending migrations (the app also does it at boot). */
void withAppContext(
  async (ctx) => {
    const ds = ctx.get(DataSource);
    const applied = await ds.runMigrations({ transaction: 'each' });
    console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'no pending migrations');
  },
  { migrationsRun: false },
);
