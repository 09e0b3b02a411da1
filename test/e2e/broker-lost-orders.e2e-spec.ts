import { createServer } from 'node:net';
import { Client } from 'pg';
import { JobQueue } from '@kernel';
import { startTestApp, TEST_KEYS, TestApp } from '@testing/test-app';
import { cleanUp, pollUntil, startServer } from '@testing/server-process';
import { serverUrl } from '@testing/test-database';
import { OrderReconciliationService, RECONCILE_SWEEP_JOB } from '../../src/contexts/execution/application/order-reconciliation.service';
import { BinanceFake } from '../fakes/binance-fake';

const API_KEY = 'lostOrdersKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN';
const API_SECRET = 'lostOrdersSecret0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ';
// Timeout 5 s (room for the database drill on a busy machine), recvWindow 1 s: an order not found 7 s after its
// intent can no longer reach the exchange.
const ENV = {
  EXCHANGE_HTTP_TIMEOUT_MS: '5000',
  BINANCE_RECV_WINDOW: '1000',
  BROKER_RECONCILE_DELAY_SECONDS: '1',
  BROKER_ORDER_GRACE_SECONDS: '7',
  JOBS_POLLING_INTERVAL_SECONDS: '0.5',
  EXCHANGE_MAX_RETRIES: '0',
};
const ORDER = { symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 59000 };

interface Row {
  status: string;
  exchange_order_id: string | null;
  filled_qty: string;
  status_reason: string | null;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** Issue 12 item 4 (seed 002): an order is recorded PENDING before it is sent, and a job settles what the request could not. */
describe('broker orders recorded before they are sent, reconciled by client order id', () => {
  let t: TestApp;
  let binance: BinanceFake;
  let user: { token: string; id: string };
  const auth = () => ({ Authorization: `Bearer ${user.token}` });

  const rows = (clientOrderId: string): Promise<Row[]> =>
    t.dataSource.query(
      `SELECT status, exchange_order_id, filled_qty::text, status_reason FROM execution_orders WHERE client_order_id = $1`,
      [clientOrderId],
    );
  const settled = async (clientOrderId: string): Promise<Row> => {
    let found: Row[] = [];
    await pollUntil(
      `order ${clientOrderId} settled`,
      async () => {
        found = await rows(clientOrderId).catch(() => []);
        return found.length > 0 && found[0].status !== 'PENDING';
      },
      30_000,
    );
    return found[0];
  };
  const sentWith = (clientOrderId: string) =>
    binance.requests.filter(
      (r) => r.method === 'POST' && r.path === '/api/v3/order' && new URLSearchParams(r.body).get('newClientOrderId') === clientOrderId,
    ).length;
  const fakeOrderId = async (clientOrderId: string) => {
    const res = await t.http.get(`/api/broker/orders/${clientOrderId}`).set(auth());
    return res.body.order_id as string;
  };
  /** Audit events (as committed, from the outbox) about this client order id. */
  const events = async (type: string, clientOrderId: string): Promise<Record<string, unknown>[]> => {
    const found: { p: Record<string, unknown> & { orders?: { client_order_id: string }[] } }[] = await t.dataSource.query(
      `SELECT payload->'payload' AS p FROM outbox WHERE payload->>'event_type' = $1 ORDER BY seq`,
      [type],
    );
    return found
      .map((r) => r.p)
      .filter((p) => p.client_order_id === clientOrderId || p.orders?.some((o) => o.client_order_id === clientOrderId));
  };

  beforeAll(async () => {
    binance = new BinanceFake();
    await binance.start();
    binance.addAccount(API_KEY, API_SECRET);
    t = await startTestApp({ env: { ...ENV, BINANCE_TESTNET_BASE_URL: binance.url } });
    user = await t.register();
    await t.http
      .post('/users/exchange-secrets')
      .set(auth())
      .send({ exchange: 'BINANCE', api_key: API_KEY, api_secret: API_SECRET })
      .expect(201);
  });
  afterAll(async () => {
    await cleanUp([]);
    await t.close();
    await binance.close();
  });

  it('the exchange takes the order and the answer times out: 502 order_status_unknown, then the job records it once', async () => {
    binance.holdNext('/api/v3/order', 6500); // answered after the client gave up
    const res = await t.http.post('/api/broker/order/create').set(auth()).set('Idempotency-Key', 'lost-timeout').send(ORDER);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 502, code: 'order_status_unknown' });
    const id = res.body.client_order_id as string;
    expect(id).toMatch(/^fo-/);
    const row = await settled(id);
    expect(row).toMatchObject({ status: 'NEW', exchange_order_id: expect.stringMatching(/^\d+$/), filled_qty: '0.00000000' });
    expect(await rows(id)).toHaveLength(1);
    const recorded = await t.http.get(`/api/broker/orders/${id}`).set(auth());
    expect(recorded.body).toMatchObject({ client_order_id: id, status: 'NEW', order_id: row.exchange_order_id, role: 'ENTRY' });
    expect(sentWith(id)).toBe(1);
    expect(await events('broker.order.intent', id)).toEqual([
      expect.objectContaining({ orders: [{ role: 'ENTRY', client_order_id: id, status: 'PENDING' }] }),
    ]);
    expect(await events('broker.order.create', id)).toEqual([expect.objectContaining({ status: 'PENDING', reason: 'unreachable' })]);
    expect(await events('broker.order.reconciled', id)).toEqual([
      expect.objectContaining({ from: 'PENDING', to: 'NEW', order_id: row.exchange_order_id }),
    ]);

    // A retry with the same Idempotency-Key never sends it again.
    const retry = await t.http.post('/api/broker/order/create').set(auth()).set('Idempotency-Key', 'lost-timeout').send(ORDER);
    expect([409, 502]).toContain(retry.status);
    expect(sentWith(id)).toBe(1);
    expect(await rows(id)).toHaveLength(1);
  });

  it('the process dies (kill -9) after the exchange took the order: another instance records it once', async () => {
    const port = await freePort();
    const doomed = startServer({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      ALLOWED_HOSTS: '127.0.0.1,localhost',
      DATABASE_URL: t.db.url,
      MIGRATIONS_RUN: 'false',
      SEED_ON_BOOT: 'false',
      SCHEDULER_ENABLED: 'false',
      JOBS_WORKER_ENABLED: 'false', // it dies before it could reconcile anything itself
      LOG_LEVEL: 'silent',
      BINANCE_TESTNET_BASE_URL: binance.url,
      ...TEST_KEYS,
      ...ENV,
    });
    await doomed.healthy();
    const hold = binance.holdNext('/api/v3/order'); // never answered: the process is gone first
    const request = fetch(`http://127.0.0.1:${port}/api/broker/order/create`, {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json', 'Idempotency-Key': 'lost-crash' },
      body: JSON.stringify(ORDER),
    }).catch((e: Error) => e);
    await hold.accepted;
    doomed.proc.kill('SIGKILL');
    expect(await request).not.toHaveProperty('status'); // no answer: the connection died with the process
    await doomed.exited();
    const sent = binance.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order').pop()!;
    const id = new URLSearchParams(sent.body).get('newClientOrderId')!;

    const row = await settled(id); // this instance's worker runs the job the dead one committed with its intent
    expect(row).toMatchObject({ status: 'NEW', exchange_order_id: expect.stringMatching(/^\d+$/) });
    expect(await rows(id)).toHaveLength(1);
    expect(sentWith(id)).toBe(1);
    expect(await events('broker.order.reconciled', id)).toHaveLength(1);
  }, 240_000); // a server process boots (under ts-node when dist/ is stale)

  it('the database is away when the answer comes: 503 order_record_pending, then the job records it once', async () => {
    const name = new URL(t.db.url).pathname.slice(1);
    const admin = new Client({ connectionString: serverUrl() });
    await admin.connect();
    try {
      const hold = binance.holdNext('/api/v3/order');
      const pending = t.http
        .post('/api/broker/order/create')
        .set(auth())
        .send({ ...ORDER, price: 58000 })
        .then((r) => r);
      await hold.accepted;
      await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
      hold.release();
      const res = await pending;
      await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'order_record_pending' });
      const id = res.body.client_order_id as string;
      expect(res.body.exchange_order_id).toMatch(/^\d+$/);

      const row = await settled(id);
      expect(row).toMatchObject({ status: 'NEW', exchange_order_id: res.body.exchange_order_id });
      expect(await rows(id)).toHaveLength(1);
      expect(sentWith(id)).toBe(1);
      expect(await events('broker.order.reconciled', id)).toHaveLength(1);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
    }
  });

  it('an order that never reached the exchange is NOT_SENT after the grace period, with the reason', async () => {
    binance.failNext('/api/v3/order', { status: 0, destroy: true }); // the connection drops before Binance reads it
    const res = await t.http
      .post('/api/broker/order/create')
      .set(auth())
      .send({ ...ORDER, price: 57000 });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 502, code: 'order_status_unknown' });
    const id = res.body.client_order_id as string;
    const row = await settled(id);
    expect(row).toMatchObject({ status: 'NOT_SENT', exchange_order_id: null, status_reason: expect.stringContaining('never reached') });
    const recorded = await t.http.get(`/api/broker/orders/${id}`).set(auth());
    expect(recorded.body).toMatchObject({ status: 'NOT_SENT', status_reason: expect.stringContaining('not found on Binance') });
    expect(await events('broker.order.reconciled', id)).toEqual([expect.objectContaining({ from: 'PENDING', to: 'NOT_SENT' })]);
  });

  it('a refused order is REJECTED with the reason; open orders are refreshed in the background by the sweep job', async () => {
    const refused = await t.http
      .post('/api/broker/order/create')
      .set(auth())
      .send({ ...ORDER, symbol: 'FAILFILTERUSDT', quantity: 10, price: 1 });
    expect(refused.status).toBe(502);
    const [rejected] = await t.dataSource.query(
      `SELECT status, status_reason FROM execution_orders WHERE user_id = $1 AND symbol = 'FAILFILTERUSDT'`,
      [user.id],
    );
    expect(rejected).toEqual({ status: 'REJECTED', status_reason: '-1013: Filter failure: PERCENT_PRICE_BY_SIDE' });

    const placed = await t.http
      .post('/api/broker/order/create')
      .set(auth())
      .send({ ...ORDER, price: 56000 });
    expect(placed.status).toBe(201);
    const id = placed.body.order.client_order_id as string;
    binance.fill(await fakeOrderId(id));
    const jobs = t.app.get(JobQueue);
    const sweep = await jobs.tick(RECONCILE_SWEEP_JOB, `test:${Date.now()}`);
    expect(sweep).toEqual(expect.any(String));
    await pollUntil('the fill recorded by the sweep', async () => (await rows(id))[0].status === 'FILLED', 30_000);
    expect((await rows(id))[0]).toMatchObject({ status: 'FILLED', filled_qty: '0.00100000' });
    expect(await events('broker.order.status', id)).toEqual([expect.objectContaining({ from: 'NEW', to: 'FILLED' })]);
    // The job is idempotent: running it again changes nothing and audits nothing.
    const [{ id: rowId }] = await t.dataSource.query(`SELECT id FROM execution_orders WHERE client_order_id = $1`, [id]);
    expect(await t.app.get(OrderReconciliationService).reconcile(rowId)).toEqual({ status: 'FILLED' });
    expect(await events('broker.order.status', id)).toHaveLength(1);
  });
});
