import { Decimal } from '@kernel';

/** numeric columns come back as strings with trailing zeros: "0.500000000000000000" -> "0.5". */
export const dec = (v: unknown): string => new Decimal(String(v)).toFixed();
export const decOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : dec(v));
export const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
export const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));

/** TypeORM answers UPDATE/DELETE with [rows, rowCount]; this returns the RETURNING rows. */
export const returned = (result: unknown): Record<string, unknown>[] =>
  Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number'
    ? (result[0] as Record<string, unknown>[])
    : (result as Record<string, unknown>[]);
