import type { ReactNode } from 'react';
import { moneyText, type MoneyValue } from './money';

export interface Column<Row> {
  key: string;
  header: string;
  /** Cell content; default: the row's field named `key`, as text. */
  render?: (row: Row) => ReactNode;
  /** Money and counts align right. */
  numeric?: boolean;
}

interface Props<Row> {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  empty?: string;
}

/** A plain accessible table: caption, column headers, one row per item, a message when empty. */
export function DataTable<Row>({ caption, columns, rows, rowKey, empty = 'Nothing yet.' }: Props<Row>) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="empty">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((c) => (
                  <td key={c.key} className={c.numeric ? 'num' : undefined} data-label={c.header}>
                    {c.render ? c.render(row) : cellText((row as Record<string, unknown>)[c.key])}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A field as text: null is a dash, booleans are yes/no, objects are not dumped. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return '…';
}

/** A money cell: the API's text, exact. */
export function moneyColumn<Row>(key: string, header: string, pick: (row: Row) => MoneyValue): Column<Row> {
  return { key, header, numeric: true, render: (row) => <span className="money">{moneyText(pick(row))}</span> };
}

/** "2026-01-05T10:00:00.000Z" -> "2026-01-05 10:00:00 UTC" (text only, no time-zone guessing). */
export function timeText(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** A timestamp cell that never wraps mid-date. */
export function timeColumn<Row>(key: string, header: string, pick: (row: Row) => string | null | undefined): Column<Row> {
  return { key, header, render: (row) => <span className="nowrap">{timeText(pick(row))}</span> };
}
