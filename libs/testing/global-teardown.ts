import { Client } from 'pg';
import { serverUrl, templateDb } from './test-database';

export default async function globalTeardown(): Promise<void> {
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
