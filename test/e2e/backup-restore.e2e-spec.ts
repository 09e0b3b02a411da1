import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { OutboxRelay } from '@platform/documents/outbox-relay.service';
import { waitForNotification } from '../fakes/funds-notifications';
import { entryCommand } from '@testing/server-process';
import { startTestApp, TEST_KEYS, TestApp } from '@testing/test-app';
import { createTestDatabase, serverUrl, TestDatabase } from '@testing/test-database';
import { backupDatabase } from '../../scripts/db/backup';
import { BackupManifest, listTables, qualified } from '../../scripts/db/catalog';
import { restoreDatabase } from '../../scripts/db/restore';

const run = promisify(execFile);
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** `npm run <script>` as a user runs it, against `url`. */
function npmScript(script: string, args: string[], env: Record<string, string>) {
  const command = entryCommand(`scripts/${script}.ts`);
  return run(process.execPath, [...command.args, ...args], {
    cwd: command.cwd,
    env: { ...process.env, ...command.env, ...TEST_KEYS, LOG_LEVEL: 'error', ...env },
    timeout: 120_000,
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

/** A database with nothing in it: no schema, no migrations (embedded: a fresh in-memory server). */
async function emptyDatabase(): Promise<TestDatabase> {
  const server = serverUrl();
  if (!server) return createTestDatabase();
  const name = `fintech_test_restore_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Every table's rows (sorted, as JSON) and every sequence's value. */
async function snapshot(url: string): Promise<Record<string, unknown>> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const out: Record<string, unknown> = {};
    for (const t of await listTables(c)) {
      const { rows } = await c.query(`SELECT to_jsonb(x)::text AS r FROM ${qualified(t)} x ORDER BY 1`);
      out[`${t.schema}.${t.name}`] = rows.map((r) => r.r);
    }
    out.sequences = (
      await c.query(`SELECT schemaname, sequencename, last_value::text FROM pg_sequences WHERE schemaname <> 'pgboss' ORDER BY 1, 2`)
    ).rows;
    return out;
  } finally {
    await c.end();
  }
}

describe('backup and restore (npm run db:backup / db:restore / db:reset-daily)', () => {
  let t: TestApp;
  let dir: string;
  let manifest: BackupManifest;
  const work = mkdtempSync(join(tmpdir(), 'fintech-backup-'));

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.adminToken(); // dev users + demo loan
    const client = await t.login('client1', 'client1234');
    // Money moves: a fund subscription and a loan payment, with their audit events.
    const u = await t.register();
    const sub = await t.http.post('/api/v1/subscriptions/1').set(auth(u.token)).send({ amount: 75000 }).expect(201);
    // Its notice is sent by a background job after the commit: the source must be at rest before the snapshot
    // (the restored copy is compared with the source as it is later, not as it was).
    await waitForNotification(t, sub.body.transaction_id, 'sent');
    const loans = await t.http.get('/api/loans').set(auth(client));
    await t.http
      .post(`/api/loans/${loans.body.items[0].id}/payments`)
      .set(auth(client))
      .send({ amount: '100.50', reference: 'TRX-BACKUP-1' })
      .expect(201);
    await t.http.get('/ops/audit/verify').set(auth(admin)).expect(200);
    await t.app.get(OutboxRelay).flush();
    dir = join(work, 'snapshot');
    manifest = await backupDatabase({ databaseUrl: t.db.url, dir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('writes a manifest: migration version, row counts and the sha256 of every file', async () => {
    expect(manifest.migration_version).toMatch(/\d{13}$/);
    const tables = Object.fromEntries(manifest.tables.map((e) => [`${e.schema}.${e.name}`, e]));
    expect(tables['public.users'].rows).toBe(3);
    expect(tables['public.fund_subscriptions'].rows).toBe(1);
    expect(tables['public.loan_payments'].rows).toBe(1);
    expect(tables['btg.cliente'].rows).toBeGreaterThan(0);
    expect(tables['public.doc_audit_logs'].rows).toBeGreaterThan(5);
    for (const e of manifest.tables) expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).tables).toHaveLength(manifest.tables.length);
  });

  it('restores into an empty database in one transaction: every table and sequence equal, the audit chain verifies', async () => {
    const target = await emptyDatabase();
    try {
      const result = await restoreDatabase({ databaseUrl: target.url, dir });
      expect(result.auditChain).toEqual({ valid: true, checked: expect.any(Number) });
      expect(await snapshot(target.url)).toEqual(await snapshot(t.db.url));
      // The restored database serves: the same app, the same money, a verifying chain.
      const restored = await startTestApp({ db: target });
      try {
        const admin = await restored.login('admin', 'admin1234');
        const verify = await restored.http.get('/ops/audit/verify').set(auth(admin));
        expect(verify.body).toMatchObject({ valid: true });
        const client = await restored.login('client1', 'client1234');
        const loans = await restored.http.get('/api/loans').set(auth(client));
        const payments = await restored.http.get(`/api/loans/${loans.body.items[0].id}/payments`).set(auth(client));
        expect(payments.body.map((p: { amount: string }) => p.amount)).toEqual(['100.50']);
      } finally {
        await restored.close(true);
      }
    } finally {
      await target.drop();
    }
  });

  it('refuses a database that already holds users unless --force', async () => {
    const target = await emptyDatabase();
    try {
      await restoreDatabase({ databaseUrl: target.url, dir });
      await expect(restoreDatabase({ databaseUrl: target.url, dir })).rejects.toThrow(/not empty \(3 users\): pass --force/);
      await expect(restoreDatabase({ databaseUrl: target.url, dir, force: true })).resolves.toMatchObject({
        tables: manifest.tables.length,
      });
      expect(await snapshot(target.url)).toEqual(await snapshot(t.db.url));
    } finally {
      await target.drop();
    }
  });

  // Each npm script is a real process (the build, or ts-node on an edited tree): allow for a loaded machine.
  it('npm run db:backup and db:restore: a tampered file is refused by name and nothing is written', async () => {
    const out = join(work, 'cli');
    const backup = await npmScript('db-backup', ['--dir', out], { DATABASE_URL: t.db.url });
    expect(backup.out).toMatch(/backup written: .*\(\d+ tables, \d+ rows, migration \S+\)/);
    expect(backup.code).toBe(0);
    const snap = join(
      out,
      backup.out
        .match(/backup written: (\S+)/)![1]
        .split('/')
        .pop()!,
    );
    const target = await emptyDatabase();
    try {
      const file = join(snap, 'public.fund_accounts.copy');
      const original = readFileSync(file);
      appendFileSync(file, 'forged\t1\n');
      const refused = await npmScript('db-restore', [snap], { DATABASE_URL: target.url });
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('public.fund_accounts.copy does not match its sha256');
      const c = new Client({ connectionString: target.url });
      await c.connect();
      const { rows } = await c.query(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
      );
      await c.end();
      expect(rows[0].n).toBe(0); // nothing written: the refusal came before the database was opened

      writeFileSync(file, original);
      const restored = await npmScript('db-restore', [snap], { DATABASE_URL: target.url });
      expect(restored.out).toMatch(/restored .*: \d+ tables, \d+ rows; audit chain verified/);
      expect(restored.code).toBe(0);
    } finally {
      await target.drop();
    }
  }, 180_000);

  it('npm run db:reset-daily: backup, wipe, seed; refused in production', async () => {
    const target = await emptyDatabase();
    try {
      await restoreDatabase({ databaseUrl: target.url, dir });
      const prod = await npmScript('db-reset-daily', ['--dir', join(work, 'daily')], { DATABASE_URL: target.url, NODE_ENV: 'production' });
      expect(prod.code).toBe(1);
      expect(prod.out).toContain('refused in production');
      const reset = await npmScript('db-reset-daily', ['--dir', join(work, 'daily')], {
        DATABASE_URL: target.url,
        NODE_ENV: 'development',
      });
      expect(reset.out).toMatch(/1\/3 backup written[\s\S]*2\/3 database wiped[\s\S]*3\/3 seeded/);
      expect(reset.code).toBe(0);
      const c = new Client({ connectionString: target.url });
      await c.connect();
      const counts = (
        await c.query(`SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM fund_subscriptions)::int AS subs,
                              (SELECT count(*) FROM funds)::int AS funds, (SELECT count(*) FROM loan_payments)::int AS payments`)
      ).rows[0];
      await c.end();
      expect(counts).toEqual({ users: 2, subs: 0, funds: 5, payments: 0 }); // the dev users only, the catalogue back
    } finally {
      await target.drop();
    }
  }, 180_000);
});
