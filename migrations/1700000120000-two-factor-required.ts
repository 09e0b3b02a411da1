import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 12: an admin 2FA reset keeps 2FA mandatory; the next password login must enrol a new secret. */
export class TwoFactorRequired1700000120000 implements MigrationInterface {
  name = 'TwoFactorRequired1700000120000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN totp_required boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS totp_required`);
  }
}
