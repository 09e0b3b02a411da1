import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';
import { ChainedDocument, GENESIS_HASH, verifyChainBatch } from '../../src/contexts/audit/domain/hash-chain';
import { MIGRATIONS } from '../../migrations';
import { appliedMigrations, BackupManifest, dependencyOrder, ident, listTables, MANIFEST, qualified, sha256File } from './catalog';

export class RestoreRefused extends Error {}

export interface RestoreOptions {
  databaseUrl: string;
  dir: string;
  force?: boolean;
  mongo?: { url: string; database: string };
}

export interface RestoreResult {
  tables: number;
  rows: number;
  skipped: string[];
  auditChain: { valid: boolean; checked: number } | 'in MongoDB';
}

/** Reads the manifest and checks every file's sha256 before anything is written; names each bad file. */
export async function verifyBackup(dir: string): Promise<BackupManifest> {
  const manifestPath = join(dir, MANIFEST);
  if (!existsSync(manifestPath)) throw new RestoreRefused(`No ${MANIFEST} in ${dir}: not a backup directory`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BackupManifest;
  if (manifest.format !== 1) throw new RestoreRefused(`Unknown backup format ${String(manifest.format)} in ${manifestPath}`);
  const problems: string[] = [];
  for (const entry of [...manifest.tables, ...(manifest.mongo?.collections ?? [])]) {
    const path = join(dir, entry.file);
    if (!existsSync(path)) problems.push(`${entry.file} is missing`);
    else if ((await sha256File(path)) !== entry.sha256)
      problems.push(`${entry.file} does not match its sha256 in the manifest (tampered or corrupt)`);
  }
  if (problems.length) throw new RestoreRefused(`Refusing to restore ${dir}, nothing was written: ${problems.join('; ')}`);
  return manifest;
}

/**
 * The migrations' `up` only call `query`, so a plain pg client inside our transaction
 * can run them. `record` writes TypeORM's rows (a restore copies them from the backup).
 */
export async function applyMigrations(client: Client, names: string[], record = false): Promise<void> {
  const known = new Map(MIGRATIONS.map((M) => [new M().name ?? M.name, M]));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) throw new RestoreRefused(`The backup needs migrations this code does not have: ${unknown.join(', ')}`);
  await client.query(
    `CREATE TABLE "migrations" ("id" SERIAL NOT NULL, "timestamp" bigint NOT NULL, "name" character varying NOT NULL, CONSTRAINT "PK_8c82d7f526340ab734260ea46be" PRIMARY KEY ("id"))`,
  );
  const runner = { query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows } as unknown as QueryRunner;
  for (const name of names) {
    await new (known.get(name)!)().up(runner);
    if (record)
      await client.query(`INSERT INTO migrations ("timestamp", name) VALUES ($1, $2)`, [name.match(/(\d{13})$/)?.[1] ?? '0', name]);
  }
}

async function verifyPostgresAuditChain(client: Client): Promise<{ valid: boolean; checked: number; reason?: string }> {
  const { rows } = await client.query<{ doc: ChainedDocument }>(`SELECT doc FROM doc_audit_logs ORDER BY (doc->>'chain_seq')::bigint`);
  const verdict = verifyChainBatch(
    rows.map((r) => r.doc),
    { seq: 0, hash: GENESIS_HASH },
  );
  return verdict.ok
    ? { valid: true, checked: rows.length }
    : { valid: false, checked: rows.length, reason: `${verdict.id}: ${verdict.reason}` };
}

/**
 * Restores a verified backup in ONE transaction: the schema (the backup's migrations)
 * when the database has none, then every table's rows (COPY ... FROM STDIN, parents
 * first), the sequences, and the audit chain checked before COMMIT. Any failure rolls
 * everything back. A database that already holds users is refused unless `force`.
 */
export async function restoreDatabase(opts: RestoreOptions): Promise<RestoreResult> {
  const manifest = await verifyBackup(opts.dir);
  if (manifest.mongo && !opts.mongo) throw new RestoreRefused('The backup holds MongoDB collections: set MONGO_URL to restore them');
  const client = new Client({ connectionString: opts.databaseUrl });
  await client.connect();
  let result: RestoreResult;
  try {
    await client.query('BEGIN');
    const applied = await appliedMigrations(client);
    if (applied === null) {
      const existing = await listTables(client);
      if (existing.length) {
        throw new RestoreRefused(`The database has ${existing.length} tables but no migrations table: restore into an empty database`);
      }
      await applyMigrations(client, manifest.migrations);
    } else if (applied.join() !== manifest.migrations.join()) {
      throw new RestoreRefused(
        `The database is at migration ${applied.at(-1) ?? '(none)'} and the backup at ${manifest.migration_version ?? '(none)'}: restore into an empty database or one at the same version`,
      );
    } else {
      const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM users`)).rows;
      if (n > 0 && !opts.force) throw new RestoreRefused(`The database is not empty (${n} users): pass --force to replace its data`);
    }
    if (opts.mongo) await assertMongoEmpty(opts.mongo, !!opts.force);

    const target = new Map((await listTables(client)).map((t) => [`${t.schema}.${t.name}`, t]));
    const present = manifest.tables.filter((e) => target.has(`${e.schema}.${e.name}`));
    const skipped = manifest.tables.filter((e) => !target.has(`${e.schema}.${e.name}`)).map((e) => `${e.schema}.${e.name}`);
    if (present.length) await client.query(`TRUNCATE ${present.map(qualified).join(', ')} CASCADE`);
    const entries = new Map(present.map((e) => [`${e.schema}.${e.name}`, e]));
    let rows = 0;
    for (const t of await dependencyOrder(client, [...target.values()])) {
      const entry = entries.get(`${t.schema}.${t.name}`);
      if (!entry) continue;
      const missing = entry.columns.filter((c) => !t.columns.includes(c));
      if (missing.length) throw new RestoreRefused(`${t.schema}.${t.name} has no column(s) ${missing.join(', ')} here`);
      const copy = client.query(copyFrom(`COPY ${qualified(t)} (${entry.columns.map(ident).join(', ')}) FROM STDIN`));
      await pipeline(createReadStream(join(opts.dir, entry.file)), copy);
      if (copy.rowCount !== entry.rows) throw new Error(`${entry.file}: ${copy.rowCount} rows restored, ${entry.rows} in the manifest`);
      rows += copy.rowCount;
    }
    for (const s of manifest.sequences) {
      const seq = `${ident(s.schema)}.${ident(s.name)}`;
      if (!(await client.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [seq])).rows[0].ok) continue;
      if (s.last_value === null)
        await client.query(`SELECT setval($1, (SELECT start_value FROM pg_sequences WHERE schemaname = $2 AND sequencename = $3), false)`, [
          seq,
          s.schema,
          s.name,
        ]);
      else await client.query(`SELECT setval($1, $2::bigint, true)`, [seq, s.last_value]);
    }
    let auditChain: RestoreResult['auditChain'] = 'in MongoDB';
    if (!opts.mongo) {
      const verdict = await verifyPostgresAuditChain(client);
      if (!verdict.valid) throw new RestoreRefused(`The restored audit chain does not verify (${verdict.reason}): rolled back`);
      auditChain = { valid: true, checked: verdict.checked };
    }
    await client.query('COMMIT');
    result = { tables: present.length, rows, skipped, auditChain };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
  if (opts.mongo && manifest.mongo) await restoreMongo(opts.mongo, opts.dir, manifest.mongo.collections);
  return result;
}

async function assertMongoEmpty(mongo: { url: string; database: string }, force: boolean): Promise<void> {
  if (force) return;
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(mongo.url, { serverSelectionTimeoutMS: 5000 });
  try {
    const n = await client.db(mongo.database).collection('audit_logs').estimatedDocumentCount();
    if (n > 0) throw new RestoreRefused(`MongoDB ${mongo.database}.audit_logs is not empty (${n} documents): pass --force to replace it`);
  } finally {
    await client.close();
  }
}

/** Replaces each collection's documents by the backup's (upserts by _id: a rerun is harmless). */
async function restoreMongo(mongo: { url: string; database: string }, dir: string, collections: { name: string; file: string }[]) {
  const { MongoClient, BSON } = await import('mongodb');
  const client = new MongoClient(mongo.url, { serverSelectionTimeoutMS: 5000 });
  try {
    for (const c of collections) {
      const coll = client.db(mongo.database).collection(c.name);
      await coll.deleteMany({});
      const docs = readFileSync(join(dir, c.file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => BSON.EJSON.parse(l, { relaxed: false }) as { _id: unknown });
      for (let i = 0; i < docs.length; i += 1000) {
        const batch = docs.slice(i, i + 1000).map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } }));
        await coll.bulkWrite(batch as never, { ordered: false });
      }
    }
  } finally {
    await client.close();
  }
}
