import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: the outstanding balance (principal + interest still due) kept on the loan row. A payment read it
 * as a SUM over every unpaid instalment (600 on a 50-year loan), which made that read cost more than the rest
 * of the payment; now it reads the loan and only the instalments the amount reaches. The loan's writes set it
 * (disbursement: the schedule's total; each payment: less its amount), with the version, in the statement
 * that writes the instalments. Null until disbursed; 0 once closed.
 */
export class LoanOutstanding1700000200000 implements MigrationInterface {
  name = 'LoanOutstanding1700000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE loans ADD COLUMN outstanding numeric(14,2)`);
    await q.query(
      `UPDATE loans l SET outstanding = coalesce((
         SELECT sum((i.principal_due - i.principal_paid) + (i.interest_due - i.interest_paid))
           FROM loan_installments i WHERE i.loan_id = l.id AND i.status <> 'PAID'), 0)
        WHERE l.status IN ('ACTIVE', 'CLOSED')`,
    );
    await q.query(
      `ALTER TABLE loans
         ADD CONSTRAINT loans_outstanding_check CHECK (outstanding >= 0),
         ADD CONSTRAINT loans_outstanding_set CHECK ((status IN ('ACTIVE', 'CLOSED')) = (outstanding IS NOT NULL)),
         ADD CONSTRAINT loans_closed_paid CHECK (status <> 'CLOSED' OR outstanding = 0)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE loans DROP COLUMN IF EXISTS outstanding`);
  }
}
