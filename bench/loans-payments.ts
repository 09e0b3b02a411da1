/**
 * (c) Loan payments: each connection is one user paying 1.00 (unique reference) on
 * their own disbursed 600-month loan. After every run, per loan: sum(payments) = paid
 * on the schedule, outstanding = total due - paid, and every 201 left one payment row.
 * Run by bench/run.ts, alternating with pgbench (A B A B).
 */
import { Decimal } from '@kernel';
import { api } from './lib';
import { WriteRun } from './funds-subscribe';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon: (opts: Record<string, unknown>) => Promise<any> = require('autocannon');

export interface Borrower {
  token: string;
  loanId: string;
}

/** Applies for, approves and disburses one 600-month loan per user. */
export async function openLoans(base: string, adminToken: string, tokens: string[]): Promise<Borrower[]> {
  const out: Borrower[] = [];
  for (const token of tokens) {
    const loan = await api(base, '/api/loans', {
      method: 'POST',
      token,
      body: { principal: '1000000.00', annual_rate: '9.5', term_months: 600 },
    });
    if (loan.status !== 201) throw new Error(`apply: ${loan.status} ${JSON.stringify(loan.body)}`);
    await api(base, `/api/loans/${loan.body.id}/approve`, { method: 'POST', token: adminToken });
    const d = await api(base, `/api/loans/${loan.body.id}/disburse`, { method: 'POST', token: adminToken });
    if (d.status !== 200) throw new Error(`disburse: ${d.status} ${JSON.stringify(d.body)}`);
    out.push({ token, loanId: loan.body.id });
  }
  return out;
}

let refs = 0;
let answered = 0;

async function brokenInvariants(base: string, users: Borrower[]): Promise<number> {
  let broken = 0;
  let rows = 0;
  for (const u of users) {
    const payments = (await api(base, `/api/loans/${u.loanId}/payments`, { token: u.token })).body as { amount: string }[];
    const inst = (await api(base, `/api/loans/${u.loanId}/installments`, { token: u.token })).body as {
      amount: string;
      interest_paid: string;
      principal_paid: string;
    }[];
    const loan = (await api(base, `/api/loans/${u.loanId}`, { token: u.token })).body;
    rows += payments.length;
    const byPayments = payments.reduce((s, p) => s.plus(p.amount), new Decimal(0));
    const onSchedule = inst.reduce((s, i) => s.plus(i.interest_paid).plus(i.principal_paid), new Decimal(0));
    const totalDue = inst.reduce((s, i) => s.plus(i.amount), new Decimal(0));
    if (!byPayments.equals(onSchedule)) (broken++, console.error(`${u.loanId}: payments ${byPayments} != schedule ${onSchedule}`));
    if (!totalDue.minus(onSchedule).equals(loan.outstanding_balance))
      (broken++, console.error(`${u.loanId}: outstanding ${loan.outstanding_balance}`));
  }
  // A request still in flight when autocannon stops commits without being counted: at most one per connection.
  if (rows < answered) (broken++, console.error(`payment rows ${rows} < 201 answers ${answered}`));
  return broken;
}

export async function loansRun(base: string, users: Borrower[], seconds: number): Promise<WriteRun> {
  let ok = 0;
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: users.length,
    duration: seconds,
    setupClient: (client: any) => {
      const u = users[next++ % users.length];
      client.setRequests([
        {
          method: 'POST',
          path: `/api/loans/${u.loanId}/payments`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${u.token}` },
          setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ amount: '1.00', reference: `B-${++refs}` }) }),
          onResponse: (status: number) => status === 201 && ok++,
        },
      ]);
    },
  });
  answered += ok;
  // The slowest answer of the run bounds how long a request cut off at the end can still take to commit.
  await new Promise((r) => setTimeout(r, Math.min(30_000, 500 + result.latency.max)));
  return {
    tps: ok / seconds,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    s5xx: result['5xx'],
    errors: result.errors,
    broken: await brokenInvariants(base, users),
  };
}
