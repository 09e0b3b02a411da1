import { Logger } from '@nestjs/common';
import { Actor } from '@kernel';
import { FakeClock } from '@testing/fake-clock';
import { ImmediateUnitOfWork, RecordingAuditTrail } from '../../../../test/fakes/kernel-in-memory';
import { InMemoryLoanRepository, InMemoryUserDirectory } from '../../../../test/fakes/loans-in-memory';
import { DEMO_LOAN_ID, DemoLoanSeeder } from './demo-loan.seeder';
import { LoansService } from './loans.service';
import { PaymentsService } from './payments.service';

const client: Actor = { id: 'u-client', email: 'client1@example.com', role: 'user' };
const other: Actor = { id: 'u-other', email: 'other@example.com', role: 'user' };
const admin: Actor = { id: 'u-admin', email: 'admin@example.com', role: 'admin' };
const meta = { requestId: 'req-1' };

function setup() {
  const repo = new InMemoryLoanRepository();
  const audit = new RecordingAuditTrail();
  const clock = new FakeClock('2026-01-05T12:00:00Z');
  const users = new InMemoryUserDirectory({ 'u-client': 'client1', 'u-admin': 'admin' });
  const uow = new ImmediateUnitOfWork();
  return {
    repo,
    uow,
    audit,
    clock,
    loans: new LoansService(repo, audit, uow, clock),
    payments: new PaymentsService(repo, users, audit, uow, clock),
    seeder: new DemoLoanSeeder(repo, users, audit, uow, clock),
  };
}

describe('LoansService + PaymentsService (in-memory ports)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('applies, approves, disburses and closes on the last payment, auditing each step', async () => {
    const s = setup();
    const loan = await s.loans.apply(client, { principal: '1200.00', annualRate: '12', termMonths: 3 }, meta);
    await expect(s.loans.apply(client, { principal: '10', annualRate: '1', termMonths: 1 }, meta)).rejects.toMatchObject({
      code: 'open_application_exists',
    });
    await s.loans.approve(admin, loan.id, meta);
    const view = await s.loans.disburse(admin, loan.id, meta);
    expect(view.installments.map((i) => i.dueDate)).toEqual(['2026-02-05', '2026-03-05', '2026-04-05']);
    const r1 = await s.payments.pay(client, loan.id, { amount: '816.06', reference: 'A' }, meta);
    expect(r1.outstanding).toBe('408.02');
    await expect(s.payments.pay(client, loan.id, { amount: '1.00', reference: 'A' }, meta)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'duplicate_payment_reference',
    });
    const r2 = await s.payments.pay(client, loan.id, { amount: '408.02', reference: 'B' }, meta);
    expect(r2.loan.status).toBe('CLOSED');
    expect(s.audit.events.map((e) => e.eventType)).toEqual([
      'loans.apply',
      'loans.approve',
      'loans.disburse',
      'loans.payment',
      'loans.payment',
      'loans.close',
    ]);
    expect(s.audit.events[3].payload).toMatchObject({ amount: '816.06', outstanding_balance: '408.02' });
    expect(s.audit.events[3].meta).toEqual(meta);
  });

  it('pays in one `once` while the loan is as read, and through the locking transaction when it changed after the read', async () => {
    const s = setup();
    const loan = await s.loans.apply(client, { principal: '1200.00', annualRate: '12', termMonths: 3 }, meta);
    await s.loans.approve(admin, loan.id, meta);
    await s.loans.disburse(admin, loan.id, meta);
    const runs = s.uow.runs;
    await s.payments.pay(client, loan.id, { amount: '10.00', reference: 'F' }, meta);
    expect(s.uow.runs).toBe(runs); // no transaction
    const read = s.repo.readForPayment.bind(s.repo);
    s.repo.readForPayment = async (...args) => {
      const r = await read(...args);
      await s.repo.update((await s.repo.findById(loan.id))!); // another writer, after the read
      return r;
    };
    const r = await s.payments.pay(client, loan.id, { amount: '10.00', reference: 'G' }, meta);
    expect(s.uow.runs).toBe(runs + 1);
    expect(r.payment.allocations.map((a) => [a.interest.toFixed(2), a.principal.toFixed(2)])).toEqual([['2.00', '8.00']]);
    expect(s.repo.paid.map((p) => p.reference)).toEqual(['F', 'G']);
    expect(s.audit.types().filter((t) => t === 'loans.payment:success')).toHaveLength(2); // the stale attempt wrote nothing
  });

  it("hides other users' loans (404) and lets admins see them", async () => {
    const s = setup();
    const loan = await s.loans.apply(client, { principal: '100', annualRate: '0', termMonths: 2 }, meta);
    await expect(s.loans.get(other, loan.id)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(s.payments.pay(other, loan.id, { amount: '1', reference: 'X' }, meta)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(s.loans.withdraw(other, loan.id, meta)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await s.loans.get(admin, loan.id)).loan.id).toBe(loan.id);
    await expect(s.loans.get(client, 'not-a-uuid')).rejects.toMatchObject({ kind: 'not_found' });
    expect((await s.loans.list(other, { page: 1, pageSize: 20 })).total).toBe(0);
    expect((await s.loans.list(admin, { page: 1, pageSize: 20 })).total).toBe(1);
  });

  it('refuses bad terms naming every bad field', async () => {
    const s = setup();
    await expect(s.loans.apply(client, { principal: '1,000', annualRate: 500, termMonths: 1.5 }, meta)).rejects.toMatchObject({
      kind: 'invalid',
      details: { errors: [{ field: 'principal' }, { field: 'annual_rate' }, { field: 'term_months' }] },
    });
  });

  it('seeds one disbursed demo loan for client1 with a pending instalment, once', async () => {
    const s = setup();
    await s.seeder.run();
    await s.seeder.run();
    expect([...s.repo.loans.keys()]).toEqual([DEMO_LOAN_ID]);
    const loan = s.repo.loans.get(DEMO_LOAN_ID)!.snapshot();
    expect(loan).toMatchObject({ userId: 'u-client', status: 'ACTIVE', decidedBy: 'u-admin' });
    expect((await s.repo.installments(DEMO_LOAN_ID))[0]).toMatchObject({ status: 'PENDING', dueDate: '2026-02-05' });
  });
});
