import Decimal from 'decimal.js';

/**
 * Exact money. Amounts live as decimal strings at the edges (JSON, `numeric`
 * columns) and as Decimal in between; a JS number never carries money.
 */
export class Money {
  private constructor(
    readonly amount: Decimal,
    readonly currency: string,
  ) {}

  static of(value: string | number | Decimal, currency: string): Money {
    const amount = new Decimal(value);
    if (!amount.isFinite()) throw new Error(`Money amount must be finite, got ${String(value)}`);
    return new Money(amount, currency);
  }

  static zero(currency: string): Money {
    return new Money(new Decimal(0), currency);
  }

  plus(other: Money): Money {
    this.sameCurrency(other);
    return new Money(this.amount.plus(other.amount), this.currency);
  }

  minus(other: Money): Money {
    this.sameCurrency(other);
    return new Money(this.amount.minus(other.amount), this.currency);
  }

  isNegative(): boolean {
    return this.amount.isNegative() && !this.amount.isZero();
  }

  lessThan(other: Money): boolean {
    this.sameCurrency(other);
    return this.amount.lessThan(other.amount);
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.amount.equals(other.amount);
  }

  /** Fixed-point string with `scale` decimals (the form stored in `numeric` columns). */
  toFixed(scale: number): string {
    return this.amount.toFixed(scale);
  }

  /** Plain decimal string without trailing zeros ("125000", "500.5"). */
  toString(): string {
    return this.amount.toString();
  }

  private sameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new Error(`Currency mismatch: ${this.currency} vs ${other.currency}`);
    }
  }
}

export { Decimal };
