import { join, resolve } from 'node:path';
import { backupDatabase, backupDirName } from './db/backup';
import { fail, mongoOf, openDatabase } from './db/database';

/** `npm run db:backup [-- --dir backups]`: a consistent snapshot into <dir>/<timestamp>/ with a manifest. */
async function main(): Promise<void> {
  const at = process.argv.indexOf('--dir');
  const root = resolve(at > 0 ? process.argv[at + 1] : 'backups');
  const db = await openDatabase();
  try {
    const dir = join(root, backupDirName());
    const m = await backupDatabase({ databaseUrl: db.url, dir, mongo: mongoOf(db.config) });
    const rows = m.tables.reduce((s, t) => s + t.rows, 0);
    const docs = m.mongo ? `, ${m.mongo.collections.reduce((s, c) => s + c.rows, 0)} MongoDB documents` : '';
    console.log(`backup written: ${dir} (${m.tables.length} tables, ${rows} rows${docs}, migration ${m.migration_version})`);
  } finally {
    await db.close();
  }
}

main().catch((e) => fail(e, []));
