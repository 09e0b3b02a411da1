import type PgBoss from 'pg-boss';
import { BatchJob, BatchJobDefinition } from '@kernel';
import { QueueHandler, QueueWorker } from './queue-worker';

interface Row {
  id: string;
  data: { i: number };
  state: 'created' | 'active' | 'completed' | 'failed';
  retryCount: number;
  started: boolean;
  /** A failed job's backoff: not fetched before this many fetches have run. */
  after: number;
  output?: object | null;
}

/** pg-boss's fetch / complete / fail as the worker uses them: every call recorded; a failed job is retried at once. */
class FakeBoss {
  readonly rows: Row[] = [];
  readonly calls: string[] = [];
  private fetches = 0;

  constructor(private readonly retryLimit: number) {}

  add(n: number): void {
    for (let i = 0; i < n; i++)
      this.rows.push({
        id: `j${this.rows.length}`,
        data: { i: this.rows.length },
        state: 'created',
        retryCount: 0,
        started: false,
        after: 0,
      });
  }

  async fetch(_name: string, o: { batchSize: number }): Promise<object[]> {
    const jobs = this.rows.filter((r) => r.state === 'created' && r.after < this.fetches).slice(0, o.batchSize);
    this.fetches++;
    if (jobs.length) this.calls.push(`fetch ${jobs.length}`);
    return jobs.map((r) => {
      if (r.started) r.retryCount++;
      r.started = true;
      r.state = 'active';
      return { id: r.id, data: r.data, retryCount: r.retryCount, retryLimit: this.retryLimit };
    });
  }

  async complete(_name: string, id: string | string[], output?: object): Promise<void> {
    const ids = Array.isArray(id) ? id : [id];
    this.calls.push(`complete ${ids.join(',')}`);
    for (const r of this.rows.filter((x) => ids.includes(x.id))) Object.assign(r, { state: 'completed', output: output ?? null });
  }

  async fail(_name: string, id: string, output: { message: string }): Promise<void> {
    this.calls.push(`fail ${id}`);
    const r = this.rows.find((x) => x.id === id)!;
    Object.assign(r, { state: r.retryCount >= this.retryLimit ? 'failed' : 'created', output, after: this.fetches });
  }
}

function worker(boss: FakeBoss, definition: Partial<BatchJobDefinition>, handler: QueueHandler, pollMs = 5): QueueWorker {
  const d: Required<BatchJobDefinition> = {
    name: 'test.batch',
    retryLimit: 2,
    retryDelaySeconds: 1,
    timeoutSeconds: 5,
    concurrency: 1,
    batchSize: 50,
    gatherMs: 0,
    ...definition,
  };
  return new QueueWorker(boss as unknown as PgBoss, d, handler, pollMs);
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('QueueWorker, batch queues', () => {
  it('one fetch and one completion per batch; a failed job is failed alone, retried alone, then failed for good', async () => {
    const boss = new FakeBoss(2);
    boss.add(5);
    const seen: BatchJob<{ i: number }>[][] = [];
    const w = worker(
      boss,
      { batchSize: 4 },
      {
        batch: async (jobs) => {
          seen.push(jobs as BatchJob<{ i: number }>[]);
          return jobs.map((j) =>
            (j.data as { i: number }).i === 1 ? { ok: false, error: new Error('gateway down (token=abc)') } : { ok: true },
          );
        },
      },
    );
    w.start();
    await until('every job settled', () => boss.rows.every((r) => r.state === 'completed' || r.state === 'failed'));
    await w.stop(1_000);

    expect(seen.map((b) => b.map((j) => j.id))).toEqual([['j0', 'j1', 'j2', 'j3'], ['j4'], ['j1'], ['j1']]);
    expect(seen[0][1]).toMatchObject({ id: 'j1', attempt: 1, final: false, data: { i: 1 } });
    expect(seen[2][0]).toMatchObject({ id: 'j1', attempt: 2, final: false });
    expect(seen[3][0]).toMatchObject({ id: 'j1', attempt: 3, final: true });
    const calls = (verb: string) => boss.calls.filter((c) => c.startsWith(verb));
    expect(calls('fetch')).toEqual(['fetch 4', 'fetch 1', 'fetch 1', 'fetch 1']);
    // One statement for a batch's done jobs (two batches finishing in the same turn may even share it).
    expect(calls('complete').length).toBeLessThanOrEqual(2);
    expect(calls('complete').flatMap((c) => c.slice('complete '.length).split(','))).toEqual(['j0', 'j2', 'j3', 'j4']);
    expect(calls('fail')).toEqual(['fail j1', 'fail j1', 'fail j1']);
    expect(boss.rows.find((r) => r.id === 'j1')).toMatchObject({ state: 'failed', output: { message: 'gateway down (token=[REDACTED]' } });
    expect(w.done).toBe(7); // attempts: 4 + 1 + 1 + 1
  });

  it('a throwing batch handler fails every job of the batch, each on its own', async () => {
    const boss = new FakeBoss(0);
    boss.add(3);
    const w = worker(
      boss,
      {},
      {
        batch: async () => {
          throw new Error('database away');
        },
      },
    );
    w.start();
    await until('every job failed', () => boss.rows.every((r) => r.state === 'failed'));
    await w.stop(1_000);
    expect(boss.calls).toEqual(['fetch 3', 'fail j0', 'fail j1', 'fail j2']);
    expect(boss.rows.map((r) => r.output)).toEqual(Array(3).fill({ message: 'database away' }));
  });

  it('gathers for gatherMs once woken, so jobs enqueued close together share one batch', async () => {
    const boss = new FakeBoss(0);
    const sizes: number[] = [];
    const w = worker(
      boss,
      { gatherMs: 50 },
      {
        batch: async (jobs) => {
          sizes.push(jobs.length);
          return jobs.map(() => ({ ok: true as const }));
        },
      },
    );
    w.start();
    await new Promise((r) => setTimeout(r, 20)); // idle now
    for (let i = 0; i < 3; i++) {
      boss.add(1);
      w.wake();
      await new Promise((r) => setTimeout(r, 5));
    }
    await until('three jobs completed', () => boss.rows.filter((r) => r.state === 'completed').length === 3);
    await w.stop(1_000);
    expect(sizes).toEqual([3]);
  });

  it('a single-job queue still works one job per handler call and keeps its output', async () => {
    const boss = new FakeBoss(0);
    boss.add(2);
    const w = worker(boss, { concurrency: 2 }, { one: async (d) => ({ doubled: (d as { i: number }).i * 2 }) });
    w.start();
    await until('both completed', () => boss.rows.every((r) => r.state === 'completed'));
    await w.stop(1_000);
    expect(boss.rows.map((r) => r.output)).toEqual([{ doubled: 0 }, { doubled: 2 }]);
    expect(boss.calls.filter((c) => c.startsWith('complete'))).toEqual(['complete j0', 'complete j1']);
  });

  it('a wake-up that comes while a fetch is out is not lost: the job committed meanwhile is fetched without waiting the poll interval', async () => {
    // The fetch sees the queue as it was when it began (empty); the job is added and the worker woken before it
    // answers. With a poll interval of a minute, only a kept wake-up gets the job worked within the test's wait.
    const boss = new FakeBoss(0);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let fetches = 0;
    const fetch = boss.fetch.bind(boss);
    boss.fetch = async (name, o) => {
      const seen = await fetch(name, o);
      if (++fetches === 2) await gate; // the second fetch answers only when released
      return seen;
    };
    const done: number[] = [];
    const w = worker(boss, { batchSize: 1 }, { one: async (data) => void done.push((data as { i: number }).i) }, 60_000);
    w.start();
    w.wake(); // while the first (empty) fetch is out: kept, it sends the second fetch at once
    await until('the second fetch', () => fetches === 2);
    boss.add(1);
    w.wake(); // the loop is fetching, not sleeping
    release();
    await until('the job worked', () => done.length === 1);
    await w.stop(1_000);
    expect(boss.rows.map((r) => r.state)).toEqual(['completed']);
  });
});
