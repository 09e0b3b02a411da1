import { Decimal, DomainError } from '@kernel';
import { allocatePayment, canTransition, daysInArrears, Installment, Loan, LOAN_STATUSES, LoanStatus, outstandingOf } from './loan';
import { requireAmount } from './amounts';

const now = new Date('2026-01-05T12:00:00Z');
const D = (v: string) => new Decimal(v);
const newLoan = () => Loan.apply({ id: 'l1', userId: 'u1', principal: D('1200'), annualRate: D('12'), termMonths: 3, now });

const inst = (number: number, interest: string, principal: string, dueDate: string, paid: [string, string] = ['0', '0']): Installment => ({
  loanId: 'l1',
  number,
  dueDate,
  interestDue: D(interest),
  principalDue: D(principal),
  interestPaid: D(paid[0]),
  principalPaid: D(paid[1]),
  status: 'PENDING',
  paidAt: null,
});
const schedule = () => [
  inst(1, '12.00', '396.03', '2026-02-05'),
  inst(2, '8.04', '399.99', '2026-03-05'),
  inst(3, '4.04', '403.98', '2026-04-05'),
];

function conflictOf(fn: () => void): DomainError {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected an error');
}

describe('loan lifecycle', () => {
  it('allows exactly the documented transitions', () => {
    const allowed = LOAN_STATUSES.flatMap((from) => LOAN_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed.sort()).toEqual([
      'ACTIVE->CLOSED',
      'APPROVED->ACTIVE',
      'SUBMITTED->APPROVED',
      'SUBMITTED->REJECTED',
      'SUBMITTED->WITHDRAWN',
    ]);
  });

  it('walks SUBMITTED -> APPROVED -> ACTIVE -> CLOSED', () => {
    const loan = newLoan();
    loan.approve('admin', now);
    loan.disburse(D('408.03'), D('816.06'), now);
    expect(loan.status).toBe('ACTIVE');
    expect(loan.outstanding).toEqual(D('816.06'));
    loan.recordPayment(D('16.06'), now);
    expect(loan.snapshot()).toMatchObject({ status: 'ACTIVE', outstanding: D('800.00'), closedAt: null });
    loan.recordPayment(D('800.00'), now);
    expect(loan.snapshot()).toMatchObject({
      status: 'CLOSED',
      decidedBy: 'admin',
      closedAt: now,
      installmentAmount: D('408.03'),
      outstanding: D('0'),
    });
  });

  it('refuses to record more than the outstanding balance, and changes nothing', () => {
    const loan = newLoan();
    loan.approve('admin', now);
    loan.disburse(D('408.03'), D('816.06'), now);
    expect(() => loan.recordPayment(D('816.07'), now)).toThrow('above the outstanding balance');
    expect(loan.snapshot()).toMatchObject({ status: 'ACTIVE', outstanding: D('816.06') });
  });

  it.each<[string, (l: Loan) => void, LoanStatus]>([
    ['approve twice', (l) => (l.approve('a', now), l.approve('a', now)), 'APPROVED'],
    ['disburse a submitted loan', (l) => l.disburse(D('1'), D('1'), now), 'SUBMITTED'],
    ['withdraw an approved loan', (l) => (l.approve('a', now), l.withdraw(now)), 'APPROVED'],
    ['reject a withdrawn loan', (l) => (l.withdraw(now), l.reject('a', 'x', now)), 'WITHDRAWN'],
    ['pay a submitted loan', (l) => l.assertPayable(), 'SUBMITTED'],
    ['record a payment on a submitted loan', (l) => l.recordPayment(D('1'), now), 'SUBMITTED'],
  ])('refuses to %s with a conflict naming the current state', (_, act, current) => {
    const err = conflictOf(() => act(newLoan()));
    expect(err).toBeInstanceOf(DomainError);
    expect(err.kind).toBe('conflict');
    expect(err.message).toContain(`in status ${current}`);
    expect(err.details).toEqual({ current_status: current });
  });
});

describe('payment allocation', () => {
  it('pays interest before principal on the oldest instalment first', () => {
    const { allocations, changed } = allocatePayment(schedule(), D('100.00'), now);
    expect(allocations.map((a) => [a.installmentNumber, a.interest.toFixed(2), a.principal.toFixed(2)])).toEqual([[1, '12.00', '88.00']]);
    expect(changed[0]).toMatchObject({ status: 'PENDING', paidAt: null });
  });

  it('spans instalments and marks the paid ones PAID', () => {
    const start = [inst(1, '12.00', '396.03', '2026-02-05', ['12.00', '88.00']), ...schedule().slice(1)];
    const { allocations, changed } = allocatePayment(start, D('408.03'), now);
    expect(allocations.map((a) => [a.installmentNumber, a.interest.toFixed(2), a.principal.toFixed(2)])).toEqual([
      [1, '0.00', '308.03'],
      [2, '8.04', '91.96'],
    ]);
    expect(changed.map((c) => c.status)).toEqual(['PAID', 'PENDING']);
    expect(changed[0].paidAt).toEqual(now);
  });

  it('pays everything with the exact outstanding balance', () => {
    const s = schedule();
    expect(outstandingOf(s).toFixed(2)).toBe('1224.08');
    const { changed } = allocatePayment(s, D('1224.08'), now);
    expect(changed.every((c) => c.status === 'PAID')).toBe(true);
    expect(outstandingOf(changed).toFixed(2)).toBe('0.00');
  });

  it('refuses more than the outstanding balance with a 400 naming amount', () => {
    const err = conflictOf(() => allocatePayment(schedule(), D('1224.09'), now));
    expect(err.kind).toBe('invalid');
    expect(err.details).toMatchObject({ errors: [{ field: 'amount' }], outstanding_balance: '1224.08' });
  });

  it('counts days in arrears from the oldest unpaid past-due instalment', () => {
    const s = schedule();
    expect(daysInArrears(s, '2026-02-05')).toBe(0);
    expect(daysInArrears(s, '2026-03-07')).toBe(30);
    s[0] = { ...s[0], status: 'PAID' };
    expect(daysInArrears(s, '2026-03-07')).toBe(2);
  });

  it('parses amounts strictly: positive, at most 2 decimals, no separators or exponents', () => {
    expect(requireAmount('amount', '500.00').toFixed(2)).toBe('500.00');
    expect(requireAmount('amount', 500.5).toFixed(2)).toBe('500.50');
    for (const bad of [0, '0.00', '10.001', '-1', '1,000', '1e3', 'NaN', null, Infinity, '']) {
      expect(() => requireAmount('amount', bad)).toThrow(/amount/);
    }
  });
});
