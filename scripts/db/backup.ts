import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  appliedMigrations,
  BackupManifest,
  FileEntry,
  ident,
  listSequences,
  listTables,
  MANIFEST,
  MONGO_COLLECTIONS,
  qualified,
  TableEntry,
} from './catalog';

export interface BackupOptions {
  databaseUrl: string;
  /** The directory to create (backups/<timestamp>). */
  dir: string;
  mongo?: { url: string; database: string };
}

/** Streams through, counting bytes and newlines (one per row in COPY's text format) and hashing. */
function meter() {
  const hash = createHash('sha256');
  const stats = { bytes: 0, lines: 0, sha256: '' };
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      stats.bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) stats.lines++;
      done(null, chunk);
    },
    flush(done) {
      stats.sha256 = hash.digest('hex');
      done();
    },
  });
  return { stream, stats };
}

export const backupDirName = (at = new Date()): string => at.toISOString().replace(/[:.]/g, '-');

/**
 * A consistent snapshot: every table is copied inside ONE read-only REPEATABLE READ
 * transaction (COPY ... TO STDOUT, streamed to disk), so the files agree with each
 * other as of one instant, while the server keeps serving writes.
 */
export async function backupDatabase(opts: BackupOptions): Promise<BackupManifest> {
  mkdirSync(opts.dir, { recursive: true });
  const client = new Client({ connectionString: opts.databaseUrl });
  await client.connect();
  const tables: TableEntry[] = [];
  let manifest: BackupManifest;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const serverVersion = (await client.query('SHOW server_version')).rows[0].server_version as string;
    const migrations = (await appliedMigrations(client)) ?? [];
    for (const t of await listTables(client)) {
      const file = `${t.schema}.${t.name}.copy`;
      const cols = t.columns.map(ident).join(', ');
      // Parents before children inside a self-referencing table (OCO legs after their entry order).
      const order = t.selfRefColumns.length ? ` ORDER BY ${t.selfRefColumns.map((c) => `(${ident(c)} IS NOT NULL)`).join(', ')}` : '';
      const m = meter();
      await pipeline(
        client.query(copyTo(`COPY (SELECT ${cols} FROM ${qualified(t)}${order}) TO STDOUT`)),
        m.stream,
        createWriteStream(join(opts.dir, file)),
      );
      tables.push({
        schema: t.schema,
        name: t.name,
        file,
        columns: t.columns,
        rows: m.stats.lines,
        bytes: m.stats.bytes,
        sha256: m.stats.sha256,
      });
    }
    const sequences = await listSequences(client);
    await client.query('COMMIT');
    manifest = {
      format: 1,
      created_at: new Date().toISOString(),
      server_version: serverVersion,
      migrations,
      migration_version: migrations.at(-1) ?? null,
      tables,
      sequences,
    };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
  if (opts.mongo) manifest.mongo = { database: opts.mongo.database, collections: await backupMongo(opts.mongo, opts.dir) };
  writeFileSync(join(opts.dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** The document store's collections as Extended JSON lines (types kept: dates, longs...). */
async function backupMongo(mongo: { url: string; database: string }, dir: string): Promise<FileEntry[]> {
  const { MongoClient, BSON } = await import('mongodb');
  const client = new MongoClient(mongo.url, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  try {
    const out: FileEntry[] = [];
    for (const name of MONGO_COLLECTIONS) {
      const file = `mongo.${name}.jsonl`;
      const m = meter();
      const docs = client
        .db(mongo.database)
        .collection(name)
        .find({}, { sort: { _id: 1 } });
      const lines = (async function* () {
        for await (const doc of docs) yield BSON.EJSON.stringify(doc, { relaxed: false }) + '\n';
      })();
      await pipeline(lines, m.stream, createWriteStream(join(dir, file)));
      out.push({ name, file, rows: m.stats.lines, bytes: m.stats.bytes, sha256: m.stats.sha256 });
    }
    return out;
  } finally {
    await client.close();
  }
}
