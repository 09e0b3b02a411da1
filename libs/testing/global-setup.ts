import { migrateTemplate, serverUrl } from './test-database';

export default async function globalSetup(): Promise<void> {
  const url = serverUrl();
  if (url) {
    await migrateTemplate();
    console.log(`\n[e2e] PostgreSQL server at ${new URL(url).host}: one database per spec, cloned from a migrated template`);
  } else {
    console.log('\n[e2e] TEST_DATABASE_URL not set: each spec runs on its own embedded PGlite (in memory)');
  }
  console.log(
    process.env.MONGO_URL
      ? `[e2e] MONGO_URL set: document-store contract tests run against MongoDB too`
      : '[e2e] MONGO_URL not set: the MongoDB adapter contract tests did NOT run (Postgres JSONB adapter only)',
  );
}
