import { Client } from 'pg';
import type { E2eGlobals } from './global-setup';
import { serverUrl, templateDb } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as E2eGlobals).__FINTECH_EMBEDDED_PG__;
  if (embedded) {
    await embedded.stop(); // the template goes with its temp directory
    return;
  }
  const url = serverUrl();
  if (!url) return;
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${templateDb()} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
