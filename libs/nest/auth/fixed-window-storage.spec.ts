import { FixedWindowThrottlerStorage } from './fixed-window-storage';

describe('FixedWindowThrottlerStorage', () => {
  afterEach(() => jest.useRealTimers());

  it('counts hits per key and window, blocks past the limit, and resets with the window', async () => {
    jest.useFakeTimers().setSystemTime(1_000_000);
    const s = new FixedWindowThrottlerStorage();
    for (let i = 1; i <= 3; i++) expect(await s.increment('ip', 60_000, 3, 0, 'default')).toMatchObject({ totalHits: i, isBlocked: false });
    const blocked = await s.increment('ip', 60_000, 3, 0, 'default');
    expect(blocked).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    expect(await s.increment('other-ip', 60_000, 3, 0, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
    jest.setSystemTime(1_000_000 + 30_000);
    expect((await s.increment('ip', 60_000, 3, 0, 'default')).timeToBlockExpire).toBe(30);
    jest.setSystemTime(1_000_000 + 60_001);
    expect(await s.increment('ip', 60_000, 3, 0, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
    s.onApplicationShutdown();
  });
});
