import { resolve } from 'node:path';
import { fail, mongoOf, openDatabase } from './db/database';
import { restoreDatabase, RestoreRefused, verifyBackup } from './db/restore';

/** `npm run db:restore -- <dir> [--force]`: checks every checksum, then restores in one transaction. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dirArg = args.find((a) => !a.startsWith('--'));
  if (!dirArg) throw new RestoreRefused('usage: npm run db:restore -- <backup dir> [--force]');
  const dir = resolve(dirArg);
  await verifyBackup(dir); // before the database is even opened
  const db = await openDatabase();
  try {
    const r = await restoreDatabase({ databaseUrl: db.url, dir, force: args.includes('--force'), mongo: mongoOf(db.config) });
    const chain =
      r.auditChain === 'in MongoDB'
        ? 'audit chain in MongoDB: check GET /ops/audit/verify'
        : `audit chain verified (${r.auditChain.checked} events)`;
    const skipped = r.skipped.length ? `; skipped (not created by the migrations): ${r.skipped.join(', ')}` : '';
    console.log(`restored ${dir}: ${r.tables} tables, ${r.rows} rows; ${chain}${skipped}`);
  } finally {
    await db.close();
  }
}

main().catch((e) => fail(e, [RestoreRefused]));
