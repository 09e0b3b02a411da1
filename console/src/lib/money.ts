/**
 * Money as the API sends it: loans and the dashboard send decimal strings ("444.24"),
 * funds send whole COP as JSON numbers (125000). Nothing here parses to a float and
 * formats back: the text shown is the text received.
 */
export type MoneyValue = string | number | null | undefined;

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The API's amount, unchanged; a dash when absent. */
export function moneyText(value: MoneyValue): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') {
    // JSON numbers from the funds API are whole COP, far below 2^53: String() is exact.
    return Number.isFinite(value) ? String(value) : '—';
  }
  return value;
}

/** "125000 COP", "16000.00 USD". */
export function moneyWithCurrency(value: MoneyValue, currency?: string | null): string {
  const text = moneyText(value);
  return text === '—' || !currency ? text : `${text} ${currency}`;
}

/** True for a plain decimal such as "1000" or "1000.50" (no exponent, no separators). */
export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text.trim());
}

/**
 * A JSON body where `field` is the typed amount as a JSON number literal, digit for
 * digit (never through a float), when it is a plain decimal; otherwise the typed text
 * as a string, so the API answers with its own validation message.
 */
export function jsonWithAmount(body: Record<string, unknown>, field: string, typed: string): string {
  const text = typed.trim();
  const rest = JSON.stringify({ ...body, [field]: 0 });
  if (!isDecimalText(text)) return JSON.stringify({ ...body, [field]: typed });
  const literal = text.replace(/^(-?)0+(?=\d)/, '$1');
  return rest.replace(`"${field}":0`, `"${field}":${literal}`);
}

/**
 * Chart geometry only (slice sizes): a decimal string as a JS number. Never shown:
 * labels and tooltips use moneyText on the original string.
 */
export function chartWeight(value: MoneyValue): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) && n > 0 ? n : 0;
}
