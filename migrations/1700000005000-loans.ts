import { MigrationInterface, QueryRunner } from 'typeorm';

/** The loans context's tables: loans, their schedules, and append-only payments. */
export class Loans1700000005000 implements MigrationInterface {
  name = 'Loans1700000005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE loans (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        principal numeric(14, 2) NOT NULL CHECK (principal > 0),
        annual_rate numeric(7, 4) NOT NULL CHECK (annual_rate >= 0 AND annual_rate <= 100),
        term_months int NOT NULL CHECK (term_months BETWEEN 1 AND 600),
        purpose varchar(200),
        status varchar(16) NOT NULL CHECK (status IN ('SUBMITTED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'ACTIVE', 'CLOSED')),
        installment_amount numeric(14, 2),
        rejection_reason varchar(500),
        decided_by uuid,
        days_in_arrears int NOT NULL DEFAULT 0 CHECK (days_in_arrears >= 0),
        created_at timestamptz NOT NULL,
        approved_at timestamptz,
        rejected_at timestamptz,
        withdrawn_at timestamptz,
        disbursed_at timestamptz,
        closed_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX loans_user_created ON loans (user_id, created_at DESC)`);
    await q.query(`CREATE INDEX loans_status_created ON loans (status, created_at DESC)`);
    // One open application per user, race-proof (a second one is a 409).
    await q.query(`CREATE UNIQUE INDEX loans_one_open_application ON loans (user_id) WHERE status IN ('SUBMITTED', 'APPROVED')`);

    await q.query(`
      CREATE TABLE loan_installments (
        loan_id uuid NOT NULL REFERENCES loans (id) ON DELETE RESTRICT,
        number int NOT NULL CHECK (number >= 1),
        due_date date NOT NULL,
        principal_due numeric(14, 2) NOT NULL CHECK (principal_due >= 0),
        interest_due numeric(14, 2) NOT NULL CHECK (interest_due >= 0),
        principal_paid numeric(14, 2) NOT NULL DEFAULT 0 CHECK (principal_paid >= 0 AND principal_paid <= principal_due),
        interest_paid numeric(14, 2) NOT NULL DEFAULT 0 CHECK (interest_paid >= 0 AND interest_paid <= interest_due),
        status varchar(16) NOT NULL CHECK (status IN ('PENDING', 'OVERDUE', 'PAID')),
        paid_at timestamptz,
        PRIMARY KEY (loan_id, number)
      )`);
    // The daily job scans only open instalments.
    await q.query(`CREATE INDEX loan_installments_open_due ON loan_installments (due_date) WHERE status <> 'PAID'`);

    await q.query(`
      CREATE TABLE loan_payments (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        loan_id uuid NOT NULL REFERENCES loans (id) ON DELETE RESTRICT,
        user_id uuid NOT NULL,
        amount numeric(14, 2) NOT NULL CHECK (amount > 0),
        reference varchar(64) NOT NULL,
        allocations jsonb NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX loan_payments_reference_uq ON loan_payments (loan_id, reference)`);
    await q.query(`CREATE INDEX loan_payments_loan_seq ON loan_payments (loan_id, seq)`);
    // Payments are a ledger: no update, no delete.
    await q.query(
      `CREATE TRIGGER loan_payments_append_only BEFORE UPDATE OR DELETE ON loan_payments FOR EACH ROW EXECUTE FUNCTION forbid_delete()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS loan_payments`);
    await q.query(`DROP TABLE IF EXISTS loan_installments`);
    await q.query(`DROP TABLE IF EXISTS loans`);
  }
}
