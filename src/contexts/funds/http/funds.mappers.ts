import { Decimal } from '@kernel';
import { Fund, FundTransaction } from '../domain/fund';
import { ReportClient, ReportMode } from '../domain/funds.ports';
import { AccountView } from '../application/subscriptions.service';
import { AccountResponse, FundResponse, ReportResponse, TransactionResponse } from './funds.dto';

/** JSON money as numbers (seed 004): exact for whole COP far beyond any balance. */
const num = (d: Decimal): number => Number(d.toFixed());

export const toFundResponse = (f: Fund): FundResponse => ({
  id: f.id,
  name: f.name,
  min_amount: num(f.minAmount),
  category: f.category,
  currency: f.currency,
});

export const toTransactionResponse = (t: FundTransaction): TransactionResponse => ({
  id: t.id,
  transaction_id: t.id,
  fund_id: t.fundId,
  fund_name: t.fundName,
  type: t.type,
  amount: num(t.amount),
  balance_after: num(t.balanceAfter),
  currency: t.currency,
  created_at: t.createdAt.toISOString(),
  correlation_id: t.correlationId,
});

export const toAccountResponse = (v: AccountView): AccountResponse => ({
  user_id: v.account.userId,
  balance: num(v.account.balance),
  currency: v.account.currency,
  invested: num(v.subscriptions.reduce((sum, s) => sum.plus(s.amount), new Decimal(0))),
  subscriptions: v.subscriptions.map((s) => ({
    subscription_id: s.id,
    fund_id: s.fund.id,
    fund_name: s.fund.name,
    category: s.fund.category,
    amount: num(s.amount),
    created_at: s.createdAt.toISOString(),
  })),
});

const DESCRIPTION: Record<ReportMode, string> = {
  exclusive: 'Clients holding a product offered only at branches they visit (every branch offering it is one they visit).',
  coverage: 'Clients holding a product offered at every branch they visit (it may also be offered elsewhere).',
};

export const toReportResponse = (mode: ReportMode, clients: ReportClient[]): ReportResponse => ({
  mode,
  description: DESCRIPTION[mode],
  names: clients.map((c) => `${c.nombre} ${c.apellidos}`),
  clients: clients.map((c) => ({ id: c.id, nombre: c.nombre, apellidos: c.apellidos })),
});

/** Opaque history cursor: the sequence number of the last item seen. */
export const encodeCursor = (seq: number): string => Buffer.from(`s${seq}`).toString('base64url');
export function decodeCursor(cursor: string): number | null {
  const m = /^s([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}
