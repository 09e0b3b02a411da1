import { Decimal } from '@kernel';
import { toCents } from './amounts';

/** High precision for the annuity factor; results are rounded to cents right after. */
const Precise = Decimal.clone({ precision: 50 });

export interface ScheduledInstallment {
  number: number;
  dueDate: string; // YYYY-MM-DD
  principal: Decimal;
  interest: Decimal;
  amount: Decimal;
}

/** annual_rate is a percentage (12.5 = 12.5 % a year); the monthly rate is a twelfth of it. */
export const monthlyRate = (annualRatePercent: Decimal): Decimal => new Precise(annualRatePercent.toString()).div(100).div(12);

/**
 * The French annuity, rounded half-up to cents: A = P r / (1 - (1 + r)^-n), or
 * P / n when r = 0.
 */
export function frenchInstallment(principal: Decimal, annualRatePercent: Decimal, termMonths: number): Decimal {
  const p = new Precise(principal.toString());
  const r = monthlyRate(annualRatePercent);
  const exact = r.isZero() ? p.div(termMonths) : p.mul(r).div(new Precise(1).minus(r.plus(1).pow(-termMonths)));
  return toCents(new Decimal(exact.toString()));
}

/**
 * Monthly schedule on a declining balance: each month's interest is the balance
 * times the monthly rate (rounded to cents), the principal part is the annuity
 * minus that interest; the last instalment takes whatever balance is left, so the
 * principal parts sum to the loan exactly. A principal part is never negative and
 * never more than the balance (matters only for tiny loans over long terms).
 */
export function buildSchedule(
  principal: Decimal,
  annualRatePercent: Decimal,
  termMonths: number,
  disbursedOn: Date,
): ScheduledInstallment[] {
  const r = monthlyRate(annualRatePercent);
  const annuity = frenchInstallment(principal, annualRatePercent, termMonths);
  const out: ScheduledInstallment[] = [];
  let balance = principal;
  for (let k = 1; k <= termMonths; k++) {
    const interest = toCents(new Decimal(new Precise(balance.toString()).mul(r).toString()));
    let part: Decimal;
    if (k === termMonths) part = balance;
    else part = Decimal.max(0, Decimal.min(annuity.minus(interest), balance));
    balance = balance.minus(part);
    out.push({ number: k, dueDate: addMonths(disbursedOn, k), principal: part, interest, amount: part.plus(interest) });
  }
  return out;
}

/** Same day-of-month k months later (UTC), clamped to the month's last day (Jan 31 -> Feb 28). */
export function addMonths(from: Date, months: number): string {
  const y = from.getUTCFullYear();
  const m = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = new Date(Date.UTC(y, m, Math.min(from.getUTCDate(), lastDay)));
  return d.toISOString().slice(0, 10);
}

/** The UTC calendar day of an instant (YYYY-MM-DD). */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export interface Quote {
  principal: Decimal;
  annualRate: Decimal;
  termMonths: number;
  installment: Decimal;
  totalInterest: Decimal;
  totalPayable: Decimal;
  schedule: (ScheduledInstallment & { balanceAfter: Decimal })[];
}

/** What a loan on these terms would cost if disbursed on `on`: the same schedule a disbursement creates. */
export function quoteLoan(principal: Decimal, annualRatePercent: Decimal, termMonths: number, on: Date): Quote {
  const rows = buildSchedule(principal, annualRatePercent, termMonths, on);
  let balance = principal;
  const schedule = rows.map((r) => {
    balance = balance.minus(r.principal);
    return { ...r, balanceAfter: balance };
  });
  const totalInterest = rows.reduce((s, r) => s.plus(r.interest), new Decimal(0));
  return {
    principal,
    annualRate: annualRatePercent,
    termMonths,
    installment: frenchInstallment(principal, annualRatePercent, termMonths),
    totalInterest,
    totalPayable: principal.plus(totalInterest),
    schedule,
  };
}
