import { startTestApp, TestApp } from '@testing/test-app';

/** Issue 12 item 10: a claim has a lease; database-only work commits with its key's result. */
describe('idempotency after a crash', () => {
  let t: TestApp;
  let user: { token: string; id: string };
  const subscribe = (key: string) =>
    t.http
      .post('/api/v1/subscriptions/2')
      .set('Authorization', `Bearer ${user.token}`)
      .set('Idempotency-Key', key)
      .send({ amount: 125000 });
  const subscriptions = async () =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM fund_subscriptions WHERE user_id = $1`, [user.id]))[0].n as number;

  beforeAll(async () => {
    t = await startTestApp({ env: { IDEMPOTENCY_LEASE_SECONDS: '2' } });
    user = await t.register();
  });
  afterAll(() => t.close());
  afterEach(() => t.dataSource.query(`DELETE FROM fund_subscriptions WHERE user_id = $1`, [user.id]));

  it('a key whose request died (claim left in progress) is taken over after the lease and the work is done once', async () => {
    const first = await subscribe('lease-probe');
    expect(first.status).toBe(201);
    const [{ request_hash }] = await t.dataSource.query(`SELECT request_hash FROM idempotency_keys WHERE key = 'lease-probe'`);
    await t.dataSource.query(`DELETE FROM fund_subscriptions WHERE user_id = $1`, [user.id]);
    await t.dataSource.query(`UPDATE fund_accounts SET balance = balance + 125000 WHERE user_id = $1`, [user.id]);
    // What a request that died after claiming 'crashed-1' leaves behind: its claim, its lease long gone, no work.
    await t.dataSource.query(
      `INSERT INTO idempotency_keys (owner, key, request_hash, state, created_at, lease_until)
       VALUES ($1, 'crashed-1', $2, 'in_progress', now() - interval '5 minutes', now() - interval '4 minutes')`,
      [user.id, request_hash],
    );
    const retry = await subscribe('crashed-1');
    expect(retry.status).toBe(201);
    expect(await subscriptions()).toBe(1);
    const again = await subscribe('crashed-1');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(retry.body); // replayed, not redone
    expect(await subscriptions()).toBe(1);
  });

  it('a claim still within its lease is not taken over', async () => {
    const first = await subscribe('live-1');
    const [{ request_hash }] = await t.dataSource.query(`SELECT request_hash FROM idempotency_keys WHERE key = 'live-1'`);
    expect(first.status).toBe(201);
    await t.dataSource.query(
      `INSERT INTO idempotency_keys (owner, key, request_hash, state, lease_until) VALUES ($1, 'live-2', $2, 'in_progress', now() + interval '1 hour')`,
      [user.id, request_hash],
    );
    const res = await subscribe('live-2');
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'idempotency_in_progress' });
  });

  it('database-only work commits in the same transaction as the key: a failure recording the result leaves nothing done', async () => {
    await t.dataSource.query(`CREATE OR REPLACE FUNCTION die_on_complete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.state = 'completed' AND NEW.key = 'atomic-1' THEN RAISE EXCEPTION 'process died before recording the key'; END IF; RETURN NEW; END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER die_on_complete BEFORE UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION die_on_complete()`,
    );
    const [{ balance: before }] = await t.dataSource.query(`SELECT balance::text FROM fund_accounts WHERE user_id = $1`, [user.id]);
    try {
      const died = await subscribe('atomic-1');
      expect(died.status).toBe(500);
      expect(await subscriptions()).toBe(0); // the subscription rolled back with the key's result
    } finally {
      await t.dataSource.query(`DROP TRIGGER die_on_complete ON idempotency_keys`);
    }
    const retry = await subscribe('atomic-1');
    expect(retry.status).toBe(201);
    const replay = await subscribe('atomic-1');
    expect(replay.body).toEqual(retry.body);
    expect(await subscriptions()).toBe(1);
    const [{ balance }] = await t.dataSource.query(`SELECT balance::text FROM fund_accounts WHERE user_id = $1`, [user.id]);
    expect(Number(before) - Number(balance)).toBe(125000); // charged once
  });

  it('a key past IDEMPOTENCY_TTL_HOURS starts afresh: performed again, whatever it answered or was sent with before', async () => {
    await t.dataSource.query(
      `INSERT INTO idempotency_keys (owner, key, request_hash, state, status_code, response, created_at, completed_at)
       VALUES ($1, 'old-1', repeat('0', 64), 'completed', 400, '{"code":"stale"}', now() - interval '25 hours', now() - interval '25 hours')`,
      [user.id],
    );
    const res = await subscribe('old-1');
    expect(res.status).toBe(201);
    expect(await subscriptions()).toBe(1);
    const replay = await subscribe('old-1');
    expect(replay.body).toEqual(res.body);
    const [row] = await t.dataSource.query(
      `SELECT state, status_code, created_at > now() - interval '1 minute' AS fresh FROM idempotency_keys WHERE key = 'old-1'`,
    );
    expect(row).toEqual({ state: 'completed', status_code: 201, fresh: true });
  });
});
