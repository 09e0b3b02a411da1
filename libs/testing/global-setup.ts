import { migrateTemplate, startEmbeddedTestServer } from './test-database';

/** Read by global-teardown (same process): Jest's documented way to hand state from setup to teardown. */
export interface E2eGlobals {
  __FINTECH_EMBEDDED_PG__?: { stop(): Promise<void> };
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    await migrateTemplate(process.env.TEST_DATABASE_URL);
    const host = new URL(process.env.TEST_DATABASE_URL).host;
    console.log(`\n[e2e] PostgreSQL server at ${host}: one database per spec, cloned from a migrated template`);
  } else {
    const started = Date.now();
    const server = await startEmbeddedTestServer();
    (globalThis as E2eGlobals).__FINTECH_EMBEDDED_PG__ = server;
    process.env.FINTECH_TEST_EMBEDDED_URL = server.url; // the workers inherit it
    await migrateTemplate(server.url);
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
