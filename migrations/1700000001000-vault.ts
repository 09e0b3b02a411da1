import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The vault context's tables (sealed exchange credentials and other sealed
 * secrets) and identity's session-security tables (2FA state, sessions,
 * rotating refresh tokens, revoked access tokens, login failures).
 */
export class Vault1700000001000 implements MigrationInterface {
  name = 'Vault1700000001000';

  async up(q: QueryRunner): Promise<void> {
    // ciphertext = base64(iv | tag | AES-256-GCM body); key_id names the key that sealed it.
    await q.query(`
      CREATE TABLE exchange_secrets (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        exchange varchar(16) NOT NULL CHECK (exchange IN ('BINANCE', 'IBKR', 'CRYPTO_COM')),
        api_key_masked varchar(16) NOT NULL,
        key_id varchar(16) NOT NULL,
        ciphertext text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT exchange_secrets_user_exchange_uq UNIQUE (user_id, exchange)
      )`);
    await q.query(`CREATE INDEX exchange_secrets_exchange ON exchange_secrets (exchange, user_id)`);
    await q.query(`
      CREATE TABLE vault_secrets (
        owner_id uuid NOT NULL,
        purpose varchar(32) NOT NULL,
        key_id varchar(16) NOT NULL,
        ciphertext text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (owner_id, purpose)
      )`);

    // identity: 2FA state (the TOTP secret itself is in vault_secrets).
    await q.query(`
      ALTER TABLE users
        ADD COLUMN totp_enabled boolean NOT NULL DEFAULT false,
        ADD COLUMN totp_enabled_at timestamptz,
        ADD COLUMN totp_last_step bigint`);
    // A session = one refresh-token family; access tokens carry its id (sid).
    await q.query(`
      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        last_used_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoke_reason varchar(32),
        ip varchar(64),
        user_agent varchar(256)
      )`);
    await q.query(`CREATE INDEX auth_sessions_user_active ON auth_sessions (user_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES auth_sessions(id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id)`);
    await q.query(`
      CREATE TABLE revoked_access_tokens (
        jti varchar(64) PRIMARY KEY,
        user_id uuid NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX revoked_access_tokens_expiry ON revoked_access_tokens (expires_at)`);
    // Failed logins, per account (the login as typed, so unknown emails behave the same) and per IP.
    await q.query(`
      CREATE TABLE login_failures (
        id bigserial PRIMARY KEY,
        scope varchar(8) NOT NULL CHECK (scope IN ('account', 'ip')),
        key varchar(254) NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX login_failures_key ON login_failures (scope, key, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['login_failures', 'revoked_access_tokens', 'refresh_tokens', 'auth_sessions', 'vault_secrets', 'exchange_secrets']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(
      `ALTER TABLE users DROP COLUMN IF EXISTS totp_enabled, DROP COLUMN IF EXISTS totp_enabled_at, DROP COLUMN IF EXISTS totp_last_step`,
    );
  }
}
