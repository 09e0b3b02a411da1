import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { EmbeddedPostgres } from '../nest/persistence/embedded-postgres';

/**
 * One fresh database per spec. With TEST_DATABASE_URL (CI, any machine running
 * PostgreSQL) it is cloned from a migrated template in milliseconds; without it,
 * an in-memory embedded PGlite is started for the spec.
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
  return process.env.TEST_DATABASE_URL || undefined;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Refuse to touch a database whose name does not say it is for tests. */
export function assertTestDatabase(name: string): void {
  if (!/test/i.test(name)) throw new Error(`Refusing to run tests on database "${name}": its name must contain "test"`);
}

export async function migrateTemplate(): Promise<void> {
  const url = serverUrl();
  if (!url) return;
  assertTestDatabase(new URL(url).pathname.slice(1));
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${templateDb()} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${templateDb()}`);
  } finally {
    await admin.end();
  }
  const ds = new DataSource({ type: 'postgres', url: withDatabase(url, templateDb()), migrations: MIGRATIONS, logging: false });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
}

export interface TestDatabase {
  url: string;
  /** Embedded databases can only be reached through this handle. */
  embedded?: EmbeddedPostgres;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = serverUrl();
  if (!url) {
    const embedded = new EmbeddedPostgres(undefined);
    return { url: await embedded.start(), embedded, drop: () => embedded.stop() };
  }
  const name = `fintech_test_${randomBytes(6).toString('hex')}`;
  assertTestDatabase(name);
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(url, name),
    drop: async () => {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
