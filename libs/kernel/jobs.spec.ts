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
