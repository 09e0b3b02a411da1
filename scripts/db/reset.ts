import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { ident } from './catalog';
import { applyMigrations } from './restore';

/**
 * Seed 004's daily cleanup: every table, sequence, function and type our schemas hold is
 * dropped and the migrations run again, in ONE transaction (a failure leaves the
 * database as it was). The caller backs up first and seeds after.
 */
export async function wipeAndMigrate(databaseUrl: string): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const { rows: schemas } = await client.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public')
       AND nspname NOT LIKE 'pg\\_%'`,
    );
    for (const s of schemas) await client.query(`DROP SCHEMA ${ident(s.name)} CASCADE`);
    const { rows: tables } = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
    if (tables.length) await client.query(`DROP TABLE ${tables.map((t) => `public.${ident(t.name)}`).join(', ')} CASCADE`);
    const { rows: fns } = await client.query<{ sig: string }>(
      `SELECT p.oid::regprocedure::text AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
    );
    for (const f of fns) await client.query(`DROP FUNCTION ${f.sig} CASCADE`);
    const { rows: types } = await client.query<{ name: string }>(
      `SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'`,
    );
    for (const t of types) await client.query(`DROP TYPE public.${ident(t.name)} CASCADE`);
    // Sequences no column owns (a table's own went with it), e.g. a counter shared by inserts.
    const { rows: seqs } = await client.query<{ name: string }>(
      `SELECT sequencename AS name FROM pg_sequences WHERE schemaname = 'public'`,
    );
    if (seqs.length) await client.query(`DROP SEQUENCE ${seqs.map((q) => `public.${ident(q.name)}`).join(', ')} CASCADE`);
    const names = MIGRATIONS.map((M) => new M().name ?? M.name);
    await applyMigrations(client, names, true);
    await client.query('COMMIT');
    return names;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
}
