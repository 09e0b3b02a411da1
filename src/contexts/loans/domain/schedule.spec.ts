import fc from 'fast-check';
import { Decimal } from '@kernel';
import { addMonths, buildSchedule, daysBetween, frenchInstallment, quoteLoan } from './schedule';

const D = (v: string | number) => new Decimal(v);
const rows = (s: ReturnType<typeof buildSchedule>) => s.map((i) => [i.amount.toFixed(2), i.interest.toFixed(2), i.principal.toFixed(2)]);
const JAN_5 = new Date('2026-01-05T12:00:00Z');

describe('French amortization schedule', () => {
  it('matches a schedule worked out by hand: 5000.00 at 12 %/year over 12 months', () => {
    // r = 0.12 / 12 = 0.01
    // A = P r / (1 - (1 + r)^-n) = 5000 * 0.01 / (1 - 1.01^-12) = 50 / (1 - 0.887449225) = 50 / 0.112550775 = 444.2439 -> 444.24
    expect(frenchInstallment(D('5000'), D('12'), 12).toFixed(2)).toBe('444.24');
    // Independent float check of the same formula (cents only).
    expect((Math.round(((5000 * 0.01) / (1 - Math.pow(1.01, -12))) * 100) / 100).toFixed(2)).toBe('444.24');

    const s = buildSchedule(D('5000.00'), D('12'), 12, JAN_5);
    // month 1: interest = 5000.00 * 0.01 = 50.00; principal = 444.24 - 50.00 = 394.24; balance 4605.76
    // month 2: interest = 4605.76 * 0.01 = 46.0576 -> 46.06; principal = 398.18; balance 4207.58
    // month 3: interest = 4207.58 * 0.01 = 42.0758 -> 42.08; principal = 402.16; balance 3805.42
    expect(rows(s).slice(0, 3)).toEqual([
      ['444.24', '50.00', '394.24'],
      ['444.24', '46.06', '398.18'],
      ['444.24', '42.08', '402.16'],
    ]);
    // month 12: the balance left is 439.89; interest 439.89 * 0.01 = 4.3989 -> 4.40; it absorbs the rounding: 444.29
    expect(rows(s)[11]).toEqual(['444.29', '4.40', '439.89']);
    expect(s.reduce((a, i) => a.plus(i.principal), D(0)).toFixed(2)).toBe('5000.00');
    // total interest = 11 * 444.24 + 444.29 - 5000 = 330.93
    expect(s.reduce((a, i) => a.plus(i.interest), D(0)).toFixed(2)).toBe('330.93');
  });

  it('matches the textbook mortgage payments (100k at 5.5 % and 200k at 6 % over 30 years)', () => {
    expect(frenchInstallment(D('100000'), D('5.5'), 360).toFixed(2)).toBe('567.79');
    expect(frenchInstallment(D('200000'), D('6'), 360).toFixed(2)).toBe('1199.10');
    const s = buildSchedule(D('100000'), D('5.5'), 360, JAN_5);
    expect(s).toHaveLength(360);
    expect(s.reduce((a, i) => a.plus(i.principal), D(0)).toFixed(2)).toBe('100000.00');
  });

  it('works at annual_rate 0: P / n per month, the last instalment takes the leftover cents', () => {
    // 1000.00 / 3 = 333.333... -> 333.33, 333.33, then 1000.00 - 666.66 = 333.34
    expect(rows(buildSchedule(D('1000.00'), D('0'), 3, JAN_5))).toEqual([
      ['333.33', '0.00', '333.33'],
      ['333.33', '0.00', '333.33'],
      ['333.34', '0.00', '333.34'],
    ]);
    expect(rows(buildSchedule(D('0.01'), D('0'), 1, JAN_5))).toEqual([['0.01', '0.00', '0.01']]);
  });

  it('never overshoots the balance on tiny loans over long terms', () => {
    // 3.00 / 600 = 0.005 -> 0.01 a month would repay 6.00: principal parts are capped at the balance.
    const s = buildSchedule(D('3.00'), D('0'), 600, JAN_5);
    expect(s.reduce((a, i) => a.plus(i.principal), D(0)).toFixed(2)).toBe('3.00');
    expect(s.every((i) => !i.principal.isNegative())).toBe(true);
  });

  it('falls due monthly on the disbursement day, clamped to short months', () => {
    expect(buildSchedule(D('300'), D('0'), 3, JAN_5).map((i) => i.dueDate)).toEqual(['2026-02-05', '2026-03-05', '2026-04-05']);
    const jan31 = new Date('2026-01-31T23:59:00Z');
    expect([1, 2, 3, 13].map((k) => addMonths(jan31, k))).toEqual(['2026-02-28', '2026-03-31', '2026-04-30', '2027-02-28']);
    expect(addMonths(new Date('2027-12-15T00:00:00Z'), 1)).toBe('2028-01-15');
    expect(daysBetween('2026-02-05', '2026-03-07')).toBe(30);
  });

  it('property: for any principal, rate and term the principal parts sum to the loan and nothing is negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000_000 }), // cents: 0.01 .. 100,000,000.00
        fc.integer({ min: 0, max: 1_000_000 }), // rate in 1/10000 of a percent: 0 .. 100 %
        fc.integer({ min: 1, max: 600 }),
        (cents, rate, term) => {
          const principal = D(cents).div(100);
          const s = buildSchedule(principal, D(rate).div(10_000), term, JAN_5);
          expect(s).toHaveLength(term);
          expect(s.reduce((a, i) => a.plus(i.principal), D(0)).equals(principal)).toBe(true);
          for (const i of s) {
            expect(i.principal.isNegative() || i.interest.isNegative()).toBe(false);
            expect(i.amount.equals(i.principal.plus(i.interest))).toBe(true);
            expect(i.amount.decimalPlaces()).toBeLessThanOrEqual(2);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('loan quote', () => {
  it('is the disbursement schedule with totals and the balance after each instalment', () => {
    const q = quoteLoan(D('5000.00'), D('12'), 12, JAN_5);
    expect(q.installment.toFixed(2)).toBe('444.24');
    expect(q.totalInterest.toFixed(2)).toBe('330.93');
    expect(q.totalPayable.toFixed(2)).toBe('5330.93');
    expect(rows(q.schedule)).toEqual(rows(buildSchedule(D('5000.00'), D('12'), 12, JAN_5)));
    expect(q.schedule[0].balanceAfter.toFixed(2)).toBe('4605.76');
    expect(q.schedule[11].balanceAfter.toFixed(2)).toBe('0.00');
  });
});
