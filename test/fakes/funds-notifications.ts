import { TestApp } from '@testing/test-app';

/** Polls the funds notification status row (sends run in the background after commit). */
export async function waitForNotification(t: TestApp, txId: string, status: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const [n] = await t.dataSource.query('SELECT * FROM fund_notifications WHERE transaction_id = $1', [txId]);
    if (n?.status === status) return n;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`notification of ${txId} never reached ${status}`);
}
