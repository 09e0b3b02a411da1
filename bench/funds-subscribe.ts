/**
 * (b) Money writes: 32 users, one per connection, each looping "subscribe to
 * DEUDAPRIVADA (50000) -> cancel it". Each answered subscribe or cancel is one
 * committed transaction. After every run, per user: balance = 500000 - sum(active
 * subscriptions), never negative, and the newest history entry carries that balance.
 * The server's funds_money_moves_total says how each move was written: from the instance's last known
 * account state in one statement (cached), after a read (read), or by the locking transaction (locked).
 * Run by bench/run.ts, alternating with pgbench (A B A B).
 */
import { api } from './lib';

// autocannon's types do not cover setupClient/setupRequest/onResponse: only this call is used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon: (opts: Record<string, unknown>) => Promise<any> = require('autocannon');

export interface WriteRun {
  tps: number;
  p99: number;
  non2xx: number;
  s5xx: number;
  errors: number;
  broken: number;
  /** (b) only: committed money moves of the run by path (funds_money_moves_total, subscribe + cancel). */
  paths?: Record<MovePath, number>;
}

export type MovePath = 'cached' | 'read' | 'locked';

async function moneyMoves(base: string): Promise<Record<MovePath, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sum = (path: MovePath) =>
    [...text.matchAll(new RegExp(`^funds_money_moves_total\\{move="\\w+",path="${path}"\\} (\\d+)`, 'gm'))].reduce(
      (s, m) => s + Number(m[1]),
      0,
    );
  return { cached: sum('cached'), read: sum('read'), locked: sum('locked') };
}

/** A run can stop between a subscribe and its cancel: start every run with no active subscription. */
async function cancelLeftovers(base: string, tokens: string[]): Promise<void> {
  for (const token of tokens) {
    const account = await api(base, '/api/v1/account', { token });
    for (const s of account.body.subscriptions) {
      const r = await api(base, `/api/v1/subscriptions/${s.subscription_id}/cancel`, { method: 'POST', token });
      if (r.status !== 200) throw new Error(`cancel leftover: ${r.status} ${JSON.stringify(r.body)}`);
    }
  }
}

async function brokenInvariants(base: string, tokens: string[]): Promise<number> {
  let broken = 0;
  for (const token of tokens) {
    const account = await api(base, '/api/v1/account', { token });
    const active = account.body.subscriptions.reduce((s: number, x: { amount: number }) => s + x.amount, 0);
    if (account.body.balance !== 500000 - active || account.body.balance < 0) broken++;
    const latest = await api(base, '/api/v1/transactions?limit=1', { token });
    if ((latest.body[0]?.balance_after ?? 500000) !== account.body.balance) broken++;
  }
  return broken;
}

export async function fundsRun(base: string, tokens: string[], seconds: number): Promise<WriteRun> {
  await cancelLeftovers(base, tokens);
  const before = await moneyMoves(base);
  let committed = 0;
  let nextClient = 0;
  const result = await autocannon({
    url: base,
    connections: tokens.length,
    duration: seconds,
    // One user per connection, so a connection's requests never race each other.
    setupClient: (client: any) => {
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens[nextClient++ % tokens.length]}` };
      client.setRequests([
        {
          method: 'POST',
          path: '/api/v1/subscriptions/3',
          headers,
          body: JSON.stringify({ amount: 50000 }),
          onResponse: (status: number, body: string, ctx: Record<string, unknown>) => {
            if (status === 201) {
              committed++;
              ctx.sub = JSON.parse(body).transaction_id;
            }
          },
        },
        {
          method: 'POST',
          headers: { authorization: headers.authorization },
          setupRequest: (req: any, ctx: Record<string, unknown>) => ({
            ...req,
            path: `/api/v1/subscriptions/${ctx.sub ?? '00000000-0000-4000-8000-000000000000'}/cancel`,
          }),
          onResponse: (status: number) => status === 200 && committed++,
        },
      ]);
    },
  });
  // autocannon stops without waiting for the requests it has in flight: let them commit before
  // reading, or the account and the history are read on either side of a commit.
  // The slowest answer of the run bounds how long a request cut off at the end can still take to commit.
  await new Promise((r) => setTimeout(r, Math.min(30_000, 500 + result.latency.max)));
  const after = await moneyMoves(base);
  return {
    paths: { cached: after.cached - before.cached, read: after.read - before.read, locked: after.locked - before.locked },
    tps: committed / seconds,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    s5xx: result['5xx'],
    errors: result.errors,
    broken: await brokenInvariants(base, tokens),
  };
}
