import { Decimal, DomainError } from '@kernel';

/** Limits of what a loan application may ask for (the DTO and the domain share them). */
export const LOAN_LIMITS = {
  minPrincipal: '0.01',
  maxPrincipal: '100000000.00',
  maxAnnualRatePercent: '100',
  rateScale: 4,
  minTermMonths: 1,
  maxTermMonths: 600,
} as const;

export const MONEY_SCALE = 2;
const DECIMAL_TEXT = /^\d{1,15}(\.\d+)?$/;

/** Cents, half-up: the one rounding rule of this context. */
export const toCents = (d: Decimal): Decimal => d.toDecimalPlaces(MONEY_SCALE, Decimal.ROUND_HALF_UP);

/** Money as it leaves the context: a decimal string with exactly 2 decimals ("500.00"). */
export const formatMoney = (d: Decimal): string => d.toFixed(MONEY_SCALE);

/**
 * A plain decimal ("1000", "12.5", 1000.5) or null when it is not one: no
 * exponent, no sign, no thousands separator, no more than `scale` decimals.
 */
export function parseDecimal(value: unknown, scale: number): Decimal | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : typeof value === 'string' ? value.trim() : '';
  if (!DECIMAL_TEXT.test(text)) return null;
  const [, fraction = ''] = text.split('.');
  if (fraction.length > scale) return null;
  return new Decimal(text);
}

/** A positive money amount with at most 2 decimals, or a 400 naming `field`. */
export function requireAmount(field: string, value: unknown, max?: Decimal): Decimal {
  const d = parseDecimal(value, MONEY_SCALE);
  if (!d || d.lte(0)) {
    throw DomainError.invalidField(field, `${field} must be a positive decimal amount with at most 2 decimals`);
  }
  if (max && d.gt(max)) throw DomainError.invalidField(field, `${field} must not exceed ${formatMoney(max)}`);
  return d;
}
