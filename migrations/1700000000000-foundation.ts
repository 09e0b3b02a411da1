import { MigrationInterface, QueryRunner } from 'typeorm';

/** Identity, the outbox + document tables (JSONB adapter), the audit chain head, idempotency keys. */
export class Foundation1700000000000 implements MigrationInterface {
  name = 'Foundation1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email varchar(254) NOT NULL,
        username varchar(64),
        password_hash varchar(100) NOT NULL,
        full_name varchar(200),
        role varchar(16) NOT NULL CHECK (role IN ('user', 'admin')),
        notify_channel varchar(8) CHECK (notify_channel IN ('email', 'sms')),
        notify_destination varchar(254),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_uq ON users (email)`);
    await q.query(`CREATE UNIQUE INDEX users_username_uq ON users (lower(username)) WHERE username IS NOT NULL`);

    // Transactional outbox: written in the business transaction, drained by the relay.
    await q.query(`
      CREATE TABLE outbox (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        collection varchar(64) NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE TABLE audit_chain_head (id int PRIMARY KEY CHECK (id = 1), last_seq bigint NOT NULL, last_hash char(64) NOT NULL)`,
    );
    await q.query(`INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, 0, repeat('0', 64))`);

    // Document store, Postgres JSONB adapter (MongoDB collections of the same names otherwise).
    await q.query(`CREATE TABLE doc_audit_logs (id text PRIMARY KEY, doc jsonb NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX doc_audit_logs_seq ON doc_audit_logs ((doc->'chain_seq'))`);
    await q.query(`CREATE INDEX doc_audit_logs_user ON doc_audit_logs ((doc->>'user_id'), (doc->'chain_seq'))`);
    await q.query(`CREATE INDEX doc_audit_logs_doc ON doc_audit_logs USING gin (doc jsonb_path_ops)`);
    await q.query(`CREATE TABLE doc_fund_transactions (id text PRIMARY KEY, doc jsonb NOT NULL)`);
    await q.query(`CREATE INDEX doc_fund_tx_user ON doc_fund_transactions ((doc->>'user_id'), (doc->'created_at'))`);
    await q.query(`CREATE INDEX doc_fund_tx_doc ON doc_fund_transactions USING gin (doc jsonb_path_ops)`);

    // Append-only: the audit documents can be inserted (and re-sent identically) but not deleted.
    await q.query(`
      CREATE FUNCTION forbid_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'append-only table %', TG_TABLE_NAME; END $$`);
    await q.query(
      `CREATE TRIGGER doc_audit_logs_append_only BEFORE DELETE ON doc_audit_logs FOR EACH ROW EXECUTE FUNCTION forbid_delete()`,
    );

    await q.query(`
      CREATE TABLE idempotency_keys (
        owner varchar(80) NOT NULL,
        key varchar(255) NOT NULL,
        request_hash char(64) NOT NULL,
        state varchar(16) NOT NULL,
        status_code int,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (owner, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_keys', 'doc_fund_transactions', 'doc_audit_logs', 'audit_chain_head', 'outbox', 'users']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS forbid_delete()`);
  }
}
