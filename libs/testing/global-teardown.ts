import { Client } from 'pg';
import { serverUrl, TEMPLATE_DB } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const url = serverUrl();
  if (!url) return;
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
