import { startTestApp } from './test-app';
import { migrateTemplate, startEmbeddedTestServer, templateDb, withAdmin, withDatabase } from './test-database';

/** Read by global-teardown (same process): Jest's documented way to hand state from setup to teardown. */
export interface E2eGlobals {
  __FINTECH_EMBEDDED_PG__?: { stop(): Promise<void> };
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    await migrateTemplate(process.env.TEST_DATABASE_URL);
    await createQueuesInTemplate(process.env.TEST_DATABASE_URL);
    const host = new URL(process.env.TEST_DATABASE_URL).host;
    console.log(`\n[e2e] PostgreSQL server at ${host}: one database per spec, cloned from a migrated template`);
  } else {
    const started = Date.now();
    const server = await startEmbeddedTestServer();
    (globalThis as E2eGlobals).__FINTECH_EMBEDDED_PG__ = server;
    process.env.FINTECH_TEST_EMBEDDED_URL = server.url; // the workers inherit it
    await migrateTemplate(server.url);
    await createQueuesInTemplate(server.url);
    console.log(
      `\n[e2e] TEST_DATABASE_URL not set: ONE embedded PostgreSQL (port ${new URL(server.url).port}, ready and migrated in ` +
        `${Date.now() - started} ms); one database per spec, cloned from a migrated template`,
    );
  }
  console.log(
    process.env.MONGO_URL
      ? `[e2e] MONGO_URL set: document-store contract tests run against MongoDB too`
      : '[e2e] MONGO_URL not set: the MongoDB adapter contract tests did NOT run (Postgres JSONB adapter only)',
  );
}

/** Rows per table outside the job engine's schema (exact counts: the template is small). */
function rowCounts(url: string): Promise<Record<string, number>> {
  return withAdmin(url, async (c) => {
    const tables = (
      await c.query<{ t: string }>(
        `SELECT format('%I.%I', schemaname, relname) AS t FROM pg_stat_user_tables WHERE schemaname <> 'pgboss' ORDER BY 1`,
      )
    ).rows;
    const counts: Record<string, number> = {};
    for (const { t } of tables) counts[t] = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    return counts;
  });
}

/**
 * The job engine's queues in the template. An app creates the queues it defines at its first boot on a database
 * (pg-boss: its schema, then a partition table per queue, ~20 ms each): most of a boot on a fresh clone (about
 * 450 ms against 150 ms on a database that has them, measured). One app boots on the template here, so every clone
 * boots as on a database the app has run on before; a database made without the template (the embedded-* specs'
 * servers, test:ops, a restore target) still creates them at boot, as in production. That boot must write nothing
 * else into what every spec starts from: the row counts of every other table are compared, and the run stops if
 * one changed.
 */
async function createQueuesInTemplate(server: string): Promise<void> {
  const url = withDatabase(server, templateDb());
  const before = await rowCounts(url);
  const app = await startTestApp({ db: { url, drop: () => Promise.resolve() }, env: { MONGO_URL: '' } });
  await app.close(true);
  const after = await rowCounts(url);
  const changed = Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
  if (changed.length) throw new Error(`booting the app on the e2e template wrote rows outside pgboss: ${changed.join(', ')}`);
}
