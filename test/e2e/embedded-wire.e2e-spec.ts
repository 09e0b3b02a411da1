import { Pool } from 'pg';
import { EmbeddedPostgres } from '@platform/persistence/embedded-postgres';

/**
 * The embedded database's wire server under concurrency: many connections'
 * extended-protocol queries (different parameter counts) and transactions at
 * once. With @electric-sql/pglite-socket these interleaved ("bind message
 * supplies 4 parameters, but prepared statement requires 2").
 */
describe('embedded PostgreSQL wire server', () => {
  const db = new EmbeddedPostgres(undefined);
  let pool: Pool;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await db.start(), max: 8 });
    await pool.query('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)');
    await pool.query('INSERT INTO counters VALUES (1, 0)');
  });
  afterAll(async () => {
    await pool.end();
    await db.stop();
  });

  it('keeps each client parse..sync together and transactions isolated', async () => {
    const queries = Array.from({ length: 200 }, (_, i) =>
      i % 2
        ? pool.query('SELECT $1::int + $2::int AS v', [i, 1]).then((r) => expect(r.rows[0].v).toBe(i + 1))
        : pool.query('SELECT $1::int * $2::int + $3::int - $4::int AS v', [i, 2, 3, 3]).then((r) => expect(r.rows[0].v).toBe(i * 2)),
    );
    const increments = Array.from({ length: 40 }, async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query('SELECT n FROM counters WHERE id = $1 FOR UPDATE', [1]);
        await client.query('UPDATE counters SET n = $1 WHERE id = $2', [rows[0].n + 1, 1]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    });
    await Promise.all([...queries, ...increments]);
    expect((await pool.query('SELECT n FROM counters WHERE id = 1')).rows[0].n).toBe(40);
  });

  it('rolls back the open transaction of a client that disconnects', async () => {
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query('UPDATE counters SET n = -1 WHERE id = 1');
    client.release(true); // destroy the connection mid-transaction
    await new Promise((r) => setTimeout(r, 100));
    expect((await pool.query('SELECT n FROM counters WHERE id = 1')).rows[0].n).toBe(40);
  });
});
