import { join, resolve } from 'node:path';
import { backupDatabase, backupDirName } from './db/backup';
import { fail, mongoOf, openDatabase } from './db/database';
import { wipeAndMigrate } from './db/reset';

class RefusedInProduction extends Error {}

/**
 * `npm run db:reset-daily [-- --dir backups]`: seed 004's daily routine for demo and test
 * environments: back up, wipe (schema rebuilt by the migrations), seed. Never in production.
 */
async function main(): Promise<void> {
  const db = await openDatabase();
  try {
    if (db.config.nodeEnv === 'production') throw new RefusedInProduction('db:reset-daily is refused in production (NODE_ENV=production)');
    const at = process.argv.indexOf('--dir');
    const dir = join(resolve(at > 0 ? process.argv[at + 1] : 'backups'), backupDirName());
    const mongo = mongoOf(db.config);
    const m = await backupDatabase({ databaseUrl: db.url, dir, mongo });
    console.log(`1/3 backup written: ${dir} (${m.tables.reduce((s, t) => s + t.rows, 0)} rows)`);
    const migrations = await wipeAndMigrate(db.url);
    if (mongo) await clearMongo(mongo);
    console.log(`2/3 database wiped and rebuilt (${migrations.length} migrations)${mongo ? ', MongoDB collections emptied' : ''}`);
  } finally {
    await db.close();
  }
  // Loaded only now: the whole app (for its seeders) is slow to load, and a refusal should be quick.
  const { withAppContext } = await import('./app-context');
  const { SeedRegistry } = await import('../libs/nest/seed/seed.registry');
  await withAppContext(async (ctx, config) => {
    const ran = await ctx.get(SeedRegistry).runAll(config.nodeEnv === 'production');
    console.log(`3/3 seeded: ${ran.join(', ') || 'nothing'}`);
  });
}

async function clearMongo(mongo: { url: string; database: string }): Promise<void> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(mongo.url, { serverSelectionTimeoutMS: 5000 });
  try {
    for (const name of ['audit_logs', 'fund_transactions']) await client.db(mongo.database).collection(name).deleteMany({});
  } finally {
    await client.close();
  }
}

main().catch((e) => fail(e, [RefusedInProduction]));
