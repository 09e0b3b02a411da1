import { Decimal } from '@kernel';
import { AccountBalance } from '../domain/execution.ports';
import { USD_QUOTES } from '../domain/symbol-rules';
import { Position } from './broker.results';

/** A balance with something in it, free or locked. */
export const nonZero = (b: AccountBalance): boolean => !new Decimal(b.free).plus(b.locked).isZero();

/** Seed 002's positions: every non-zero balance but the USD quote assets, with its total. */
export const positionsOf = (balances: AccountBalance[]): Position[] =>
  balances
    .filter((b) => nonZero(b) && !USD_QUOTES.has(b.asset))
    .map((b) => ({ asset: b.asset, free: b.free, locked: b.locked, total: new Decimal(b.free).plus(b.locked).toFixed() }));
