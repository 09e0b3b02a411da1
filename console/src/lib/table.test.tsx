import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { cellText, DataTable, moneyColumn, timeText, type Column } from './table';

afterEach(cleanup);

interface Row {
  id: string;
  name: string;
  amount: string | number | null;
  active: boolean;
}
const columns: Column<Row>[] = [
  { key: 'name', header: 'Name' },
  moneyColumn('amount', 'Amount', (r) => r.amount),
  { key: 'active', header: 'Active' },
];

describe('DataTable', () => {
  it('renders a caption, column headers and one row per item with exact money', () => {
    const rows: Row[] = [
      { id: '1', name: 'FPV_BTG_PACTUAL_RECAUDADORA', amount: 75000, active: true },
      { id: '2', name: 'Loan', amount: '444.24', active: false },
      { id: '3', name: 'Unknown', amount: null, active: false },
    ];
    render(<DataTable caption="Funds" columns={columns} rows={rows} rowKey={(r) => r.id} />);
    const table = screen.getByRole('table', { name: 'Funds' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Name', 'Amount', 'Active']);
    const body = within(table).getAllByRole('row').slice(1);
    expect(
      body.map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ['FPV_BTG_PACTUAL_RECAUDADORA', '75000', 'yes'],
      ['Loan', '444.24', 'no'],
      ['Unknown', '—', 'no'],
    ]);
    expect(within(body[1]).getAllByRole('cell')[1].className).toBe('num');
  });

  it('says so when there are no rows', () => {
    render(<DataTable caption="Loans" columns={columns} rows={[]} rowKey={(r) => r.id} empty="No loans yet." />);
    const cells = within(screen.getByRole('table', { name: 'Loans' })).getAllByRole('cell');
    expect(cells).toHaveLength(1);
    expect(cells[0].textContent).toBe('No loans yet.');
    expect(cells[0].getAttribute('colspan')).toBe('3');
  });

  it('uses a custom renderer when given one', () => {
    const withButton: Column<Row>[] = [
      ...columns,
      { key: 'x', header: 'Action', render: (r) => <button type="button">Cancel {r.name}</button> },
    ];
    render(<DataTable caption="T" columns={withButton} rows={[{ id: '1', name: 'A', amount: '1', active: true }]} rowKey={(r) => r.id} />);
    expect(screen.getByRole('button', { name: 'Cancel A' })).toBeTruthy();
  });
});

describe('cell helpers', () => {
  it('cellText: dash for empty, yes/no for booleans, no object dumps', () => {
    expect(cellText(null)).toBe('—');
    expect(cellText(12)).toBe('12');
    expect(cellText(true)).toBe('yes');
    expect(cellText({ secret: 'x' })).toBe('…');
  });
  it('timeText: ISO timestamps as UTC text', () => {
    expect(timeText('2026-01-05T10:11:12.345Z')).toBe('2026-01-05 10:11:12 UTC');
    expect(timeText(null)).toBe('—');
    expect(timeText('2026-01-05')).toBe('2026-01-05');
  });
});
