import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { EmbeddedPostgres } from '../nest/persistence/embedded-postgres';

/**
 * One fresh database per spec, cloned in milliseconds from a migrated template,
 * on a PostgreSQL server: TEST_DATABASE_URL (CI, any machine running
 * PostgreSQL) or, when it is unset, ONE embedded PostgreSQL that the e2e
 * globalSetup starts for the whole run (its URL reaches the workers in
 * FINTECH_TEST_EMBEDDED_URL).
 */
/**
 * One template per Jest run (globalSetup sets the name; workers inherit it), so
 * concurrent runs on one server never drop each other's template.
 */
export function templateDb(): string {
  process.env.FINTECH_TEST_TEMPLATE ??= `fintech_test_tpl_${process.pid}_${Date.now().toString(36)}`;
  return process.env.FINTECH_TEST_TEMPLATE;
}

export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.FINTECH_TEST_EMBEDDED_URL || undefined;
}

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Refuse to touch a database whose name does not say it is for tests. */
export function assertTestDatabase(name: string): void {
  if (!/test/i.test(name)) throw new Error(`Refusing to run tests on database "${name}": its name must contain "test"`);
}

export async function withAdmin<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

export interface EmbeddedTestServer {
  /** Admin URL (database `test`) of the server. */
  url: string;
  stop(): Promise<void>;
}

/** A throwaway embedded PostgreSQL in a temp directory, with a `test` database to administer from. */
export async function startEmbeddedTestServer(): Promise<EmbeddedTestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fintech-test-pg-'));
  chmodSync(dir, 0o755);
  // Throwaway data: no fsync, no waiting for the WAL flush at commit (what keeps a busy 2-core machine's e2e run fast).
  const settings = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
  const pg = await EmbeddedPostgres.start({ dataDir: dir, settings });
  // Jest interrupted (Ctrl-C, a CI timeout) skips globalTeardown: the postgres must not outlive the run.
  const onExit = () => pg.stopNow();
  const onSignal = (signal: NodeJS.Signals) => {
    pg.stopNow();
    process.kill(process.pid, signal);
  };
  process.once('exit', onExit);
  (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).forEach((s) => process.once(s, onSignal));
  await withAdmin(pg.url, (c) => c.query('CREATE DATABASE test'));
  return {
    url: withDatabase(pg.url, 'test'),
    stop: async () => {
      process.off('exit', onExit);
      (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).forEach((s) => process.off(s, onSignal));
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function migrateTemplate(url = serverUrl()): Promise<void> {
  if (!url) throw new Error('migrateTemplate needs a server: TEST_DATABASE_URL or the embedded one globalSetup starts');
  assertTestDatabase(new URL(url).pathname.slice(1));
  await withAdmin(url, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${templateDb()} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${templateDb()}`);
  });
  const ds = new DataSource({ type: 'postgres', url: withDatabase(url, templateDb()), migrations: MIGRATIONS, logging: false });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Outside Jest (benches) with no server configured, the first call starts an
 * embedded server for this process (stopped when the process exits) and
 * migrates a template on it.
 */
let processServer: Promise<string> | undefined;
async function ensureServer(): Promise<string> {
  const url = serverUrl();
  if (url) return url;
  processServer ??= (async () => {
    const server = await startEmbeddedTestServer();
    process.env.FINTECH_TEST_EMBEDDED_URL = server.url;
    await migrateTemplate(server.url);
    return server.url;
  })();
  return processServer;
}
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = await ensureServer();
  const name = `fintech_test_${randomBytes(6).toString('hex')}`;
  assertTestDatabase(name);
  await withAdmin(url, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`));
  return {
    url: withDatabase(url, name),
    drop: () => withAdmin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
