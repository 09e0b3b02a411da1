import { TestApp } from '@testing/test-app';

/** Polls the funds notification status row (a job sends it; retries back off by seconds), with a deadline. */
export async function waitForNotification(t: TestApp, txId: string, status: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const [n] = await t.dataSource.query('SELECT * FROM fund_notifications WHERE transaction_id = $1', [txId]);
    if (n?.status === status) return n;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`notification of ${txId} never reached ${status}`);
}
