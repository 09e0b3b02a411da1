import { InMemoryJobQueue } from '../../test/fakes/in-memory-job-queue';

describe('JobQueue.schedule', () => {
  it('defines the job and sets its clock: every N seconds, with the data each tick carries', async () => {
    const jobs = new InMemoryJobQueue();
    const seen: { trigger: string }[] = [];
    jobs.schedule<{ trigger: string }>({ name: 'ctx.sweep', retryLimit: 1 }, { every: 300, data: { trigger: 'schedule' } }, async (d) => {
      seen.push(d);
      return { ok: true };
    });
    expect(jobs.schedules.get('ctx.sweep')).toEqual({ every: 300, data: { trigger: 'schedule' } });
    const id = await jobs.tick('ctx.sweep');
    await jobs.drain();
    expect(seen).toEqual([{ trigger: 'schedule' }]);
    expect(await jobs.status('ctx.sweep', id!)).toMatchObject({ state: 'completed', output: { ok: true } });
  });

  it('or on a cron expression in a time zone', async () => {
    const jobs = new InMemoryJobQueue();
    let runs = 0;
    jobs.schedule({ name: 'ctx.daily' }, { cron: '0 1 * * *', timeZone: 'Europe/Paris' }, async () => {
      runs++;
    });
    expect(jobs.schedules.get('ctx.daily')).toEqual({ cron: '0 1 * * *', timeZone: 'Europe/Paris', data: {} });
    await jobs.tick('ctx.daily');
    await jobs.drain();
    expect(runs).toBe(1);
  });
});

describe('JobQueue.defineBatch', () => {
  it('hands the waiting jobs to one call, up to batchSize; a failed job goes again with the next call, then fails for good', async () => {
    const jobs = new InMemoryJobQueue();
    const seen: { i: number; attempt: number; final: boolean }[][] = [];
    jobs.defineBatch<{ i: number }>({ name: 'ctx.batch', retryLimit: 1, batchSize: 3 }, async (batch) => {
      seen.push(batch.map((j) => ({ i: j.data.i, attempt: j.attempt, final: j.final })));
      return batch.map((j) => (j.data.i === 1 ? { ok: false, error: new Error('refused') } : { ok: true }));
    });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await jobs.enqueue('ctx.batch', { i }));
    await jobs.drain();
    expect(seen).toEqual([
      [0, 1, 2].map((i) => ({ i, attempt: 1, final: false })),
      [
        { i: 1, attempt: 2, final: true },
        { i: 3, attempt: 1, final: false },
      ],
    ]);
    expect(await jobs.status('ctx.batch', ids[1]!)).toMatchObject({ state: 'failed', attempts: 2 });
    expect(await jobs.failed()).toMatchObject([{ error: 'refused', attempts: 2, data: { i: 1 } }]);
    for (const i of [0, 2, 3]) expect(await jobs.status('ctx.batch', ids[i]!)).toMatchObject({ state: 'completed', attempts: 1 });
  });

  it('a throwing batch handler fails every job of its call', async () => {
    const jobs = new InMemoryJobQueue();
    jobs.defineBatch({ name: 'ctx.broken', retryLimit: 0 }, async () => {
      throw new Error('down');
    });
    await jobs.enqueue('ctx.broken', {});
    await jobs.enqueue('ctx.broken', {});
    await jobs.drain();
    expect(jobs.batches.get('ctx.broken')).toEqual([2]);
    expect((await jobs.failed()).map((f) => f.error)).toEqual(['down', 'down']);
  });
});
