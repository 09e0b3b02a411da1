import { JobQueue, UnitOfWork } from '@kernel';
import { startTestApp, TestApp } from '@testing/test-app';
import { keyedId } from '@platform/jobs/pg-boss-job-queue';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The job port on pg-boss: transactions, keys, retries with backoff, failures for good, admins' view. */
describe('jobs: durable background work', () => {
  let t: TestApp;
  let jobs: JobQueue;
  let admin: string;
  const worked: number[] = [];
  let poisonCalls = 0;

  beforeAll(async () => {
    t = await startTestApp({ env: { JOBS_POLLING_INTERVAL_SECONDS: '0.5', JOBS_MAINTENANCE_INTERVAL_SECONDS: '1' } });
    jobs = t.app.get(JobQueue);
    // One queue, one job at a time: a poison job must not hold the others up.
    jobs.define<{ i: number; poison?: boolean }>({ name: 'test.mixed', retryLimit: 2, retryDelaySeconds: 1, concurrency: 1 }, async (d) => {
      if (d.poison) {
        poisonCalls++;
        throw new Error('upstream said no (password=hunter2)');
      }
      worked.push(d.i);
      return { doubled: d.i * 2 };
    });
    admin = await t.adminToken();
  });
  afterAll(() => t.close());

  it('a job whose handler throws is retried with backoff, then failed with its error; the others go on', async () => {
    const poison = await jobs.enqueue('test.mixed', { i: -1, poison: true });
    for (let i = 0; i < 5; i++) await jobs.enqueue('test.mixed', { i });
    await until('the healthy jobs', async () => (worked.filter((i) => i >= 0 && i < 5).length === 5 ? true : undefined));
    expect(poisonCalls).toBeLessThan(3); // the healthy jobs did not wait for the poison job's retries

    const failed = await until('the failed job', async () => {
      const res = await t.http.get('/ops/jobs/failed').set(auth(admin));
      expect(res.status).toBe(200);
      return res.body.find((j: { id: string }) => j.id === poison);
    });
    expect(failed).toMatchObject({
      name: 'test.mixed',
      data: { i: -1, poison: true },
      attempts: 3,
      error: 'upstream said no (password=[REDACTED]',
    });
    expect(poisonCalls).toBe(3);
    expect(JSON.stringify(failed)).not.toContain('hunter2');
    const status = await jobs.status('test.mixed', poison!);
    expect(status).toMatchObject({ state: 'failed', output: { message: expect.stringContaining('upstream said no') } });

    const user = await t.register();
    expect((await t.http.get('/ops/jobs/failed').set(auth(user.token))).status).toBe(403);
    const bad = await t.http.get('/ops/jobs/failed?limit=0').set(auth(admin));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('limit');
  });

  it('an enqueue joins the unit of work: rolled back, no job; committed, worked once', async () => {
    const uow = t.app.get(UnitOfWork);
    let rolledBackId: string | null = null;
    await expect(
      uow.run(async () => {
        rolledBackId = await jobs.enqueue('test.mixed', { i: 100 });
        throw new Error('the business change failed');
      }),
    ).rejects.toThrow('the business change failed');
    expect(rolledBackId).toEqual(expect.any(String));
    expect(await jobs.status('test.mixed', rolledBackId!)).toBeNull();

    const id = await uow.run(() => jobs.enqueue('test.mixed', { i: 101 }));
    const done = await until('the committed job', async () => {
      const s = await jobs.status('test.mixed', id!);
      return s?.state === 'completed' ? s : undefined;
    });
    expect(done.output).toEqual({ doubled: 202 });
    expect(worked.filter((i) => i === 100)).toEqual([]);
    expect(worked.filter((i) => i === 101)).toEqual([101]);
  });

  it('a key makes one job however many times it is enqueued (N instances, one job per tick)', async () => {
    const first = await jobs.enqueue('test.mixed', { i: 200 }, { key: 'tick:2026-01-01T00:00:00.000Z' });
    const again = await jobs.enqueue('test.mixed', { i: 200 }, { key: 'tick:2026-01-01T00:00:00.000Z' });
    expect(first).toEqual(expect.any(String));
    expect(again).toBeNull();
    await until('the keyed job', async () => ((await jobs.status('test.mixed', first!))?.state === 'completed' ? true : undefined));
    expect(worked.filter((i) => i === 200)).toEqual([200]);
  });

  it('a batch queue: jobs committed together share one handler call; a failed one is retried alone, then failed for good', async () => {
    const calls: { i: number; attempt: number; final: boolean }[][] = [];
    jobs.defineBatch<{ i: number }>(
      { name: 'test.batch', retryLimit: 2, retryDelaySeconds: 1, concurrency: 1, batchSize: 10 },
      async (batch) => {
        calls.push(batch.map((j) => ({ i: j.data.i, attempt: j.attempt, final: j.final })).sort((a, b) => a.i - b.i));
        return batch.map((j) => (j.data.i === 3 ? { ok: false, error: new Error('destination refused (token=abc)') } : { ok: true }));
      },
    );
    const items = [0, 1, 2, 3, 4].map((i) => ({ data: { i }, key: `batch-${i}` }));
    await t.app.get(UnitOfWork).run(() => jobs.enqueueMany('test.batch', items));

    const failed = await until('the failed batch job', async () => {
      const res = await t.http.get('/ops/jobs/failed').set(auth(admin));
      return res.body.find((j: { name: string }) => j.name === 'test.batch');
    });
    expect(failed).toMatchObject({
      id: keyedId('test.batch', 'batch-3'),
      data: { i: 3 },
      attempts: 3,
      error: 'destination refused (token=[REDACTED]',
    });
    expect(calls).toEqual([
      [0, 1, 2, 3, 4].map((i) => ({ i, attempt: 1, final: false })),
      [{ i: 3, attempt: 2, final: false }],
      [{ i: 3, attempt: 3, final: true }],
    ]);
    for (const i of [0, 1, 2, 4])
      expect(await jobs.status('test.batch', keyedId('test.batch', `batch-${i}`))).toMatchObject({ state: 'completed', attempts: 1 });
  });
});
