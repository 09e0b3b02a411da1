import { Decimal, DomainError } from '@kernel';
import {
  Account,
  checkCancellable,
  checkSubscription,
  insufficientBalanceMessage,
  maskDestination,
  SEED_FUNDS,
  Subscription,
} from './fund';

const ecopetrol = SEED_FUNDS[1];
const account = (balance: number | string): Account => ({ userId: 'u1', balance: new Decimal(balance), currency: 'COP', txSeq: 0 });
const refused = (fn: () => void): DomainError => {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('subscription rules', () => {
  it('accepts the minimum and exactly the whole balance', () => {
    expect(() => checkSubscription(ecopetrol, new Decimal(125000), account(125000), false)).not.toThrow();
  });

  it('names the fund minimum when the amount is below it', () => {
    const e = refused(() => checkSubscription(ecopetrol, new Decimal(124999), account(500000), false));
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('below_fund_minimum');
    expect(e.message).toContain('125000');
    expect(e.details?.errors).toEqual([{ field: 'amount', messages: [expect.stringContaining('125000')] }]);
  });

  it('refuses fractions and non-positive amounts', () => {
    for (const a of ['125000.5', '0', '-1']) {
      expect(refused(() => checkSubscription(ecopetrol, new Decimal(a), account(500000), false)).kind).toBe('invalid');
    }
  });

  it('refuses a second active subscription to the same fund (conflict)', () => {
    expect(refused(() => checkSubscription(ecopetrol, new Decimal(125000), account(500000), true)).kind).toBe('conflict');
  });

  it('uses the exact seed message when the balance is short by even one peso', () => {
    const e = refused(() => checkSubscription(ecopetrol, new Decimal(125000), account('124999.99'), false));
    expect(e.code).toBe('insufficient_balance');
    expect(e.message).toBe('No tiene saldo disponible para vincularse al fondo FPV_BTG_PACTUAL_ECOPETROL');
    expect(insufficientBalanceMessage('DEUDAPRIVADA')).toBe('No tiene saldo disponible para vincularse al fondo DEUDAPRIVADA');
  });
});

describe('cancellation rules', () => {
  const sub: Subscription = { id: 's1', userId: 'u1', fundId: 2, amount: new Decimal(1), status: 'ACTIVE', createdAt: new Date() };
  it("treats unknown and someone else's subscription alike (404)", () => {
    expect(refused(() => checkCancellable(null, 'u1')).kind).toBe('not_found');
    expect(refused(() => checkCancellable(sub, 'u2')).kind).toBe('not_found');
  });
  it('refuses a second cancel (409)', () => {
    expect(refused(() => checkCancellable({ ...sub, status: 'CANCELLED' }, 'u1')).kind).toBe('conflict');
    expect(checkCancellable(sub, 'u1')).toBe(sub);
  });
});

it('masks destinations', () => {
  expect(maskDestination('+573001234567')).toBe('+5***67');
  expect(maskDestination('u@test.com')).toBe('u@***om');
  expect(maskDestination('abc')).toBe('***');
});
