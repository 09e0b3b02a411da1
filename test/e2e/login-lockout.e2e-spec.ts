import { startTestApp, TestApp, uniqueEmail } from '@testing/test-app';

/**
 * Issue 12 item 11: the lock is progressive (exponential backoff per account+IP and per account, short caps), so
 * brute force stays slow while a stranger cannot lock a user, or the admin, out for long; the per-IP guard
 * never locks out an account that logged in from that IP before.
 */
describe('progressive lockout', () => {
  let t: TestApp;
  const login = (ip: string, username: string, password: string) =>
    t.http.post('/auth/login').set('X-Forwarded-For', ip).send({ username, password });
  const retryAfter = (res: { headers: Record<string, string> }) => Number(res.headers['retry-after']);

  beforeAll(async () => {
    // Defaults for the account and account+IP rules (20 / 300 s, 5 / 900 s); a small per-IP budget keeps the spray short.
    t = await startTestApp({ fakeClock: true, env: { TRUST_PROXY: 'true', LOGIN_MAX_FAILURES_PER_IP_PER_HOUR: '10' } });
    await t.adminToken(); // the dev users exist
  });
  afterAll(() => t.close());

  it("a stranger's wrong passwords never lock the admin out where the admin logs in, and elsewhere for minutes at most", async () => {
    const HOME = '192.0.2.10';
    expect((await login(HOME, 'admin', 'admin1234')).status).toBe(200);
    // 20 failures from five addresses, four each: under every per-address budget, at the account's.
    for (let i = 0; i < 20; i++) expect((await login(`198.51.100.${(i % 5) + 1}`, 'admin', `wrong-password-${i}`)).status).toBe(401);
    const elsewhere = await login('198.51.100.77', 'admin', 'admin1234');
    expect(elsewhere.status).toBe(429);
    expect(elsewhere.body.message).toBe('Too many failed login attempts. Try again later.');
    expect((await login(HOME, 'admin', 'admin1234')).status).toBe(200);

    // The stranger keeps at it, always from a fresh address, each time the wait is over: the wait doubles up to 5 minutes.
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const locked = await login(`203.0.113.${i + 1}`, 'admin', 'wrong-password-x');
      expect(locked.status).toBe(429);
      waits.push(retryAfter(locked));
      t.clock!.advance(retryAfter(locked) * 1000);
      expect((await login(`203.0.113.${i + 101}`, 'admin', `wrong-password-${i}`)).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
    expect((await login(HOME, 'admin', 'admin1234')).status).toBe(200);
    const away = await login('198.51.100.200', 'admin', 'admin1234');
    expect(away.status).toBe(429);
    t.clock!.advance(retryAfter(away) * 1000);
    expect((await login('198.51.100.200', 'admin', 'admin1234')).status).toBe(200);
  });

  it('brute force from one address backs off exponentially to a 15-minute cap; the owner elsewhere is not affected', async () => {
    const { email } = await t.register(); // logs in from 127.0.0.1
    const ATTACKER = '203.0.113.250';
    for (let i = 0; i < 5; i++) expect((await login(ATTACKER, email, `guess-${i}`)).status).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const locked = await login(ATTACKER, email, 'Trader123!'); // even the right password waits
      expect(locked.status).toBe(429);
      waits.push(retryAfter(locked));
      expect((await t.http.post('/auth/login').send({ username: email, password: 'Trader123!' })).status).toBe(200);
      t.clock!.advance(retryAfter(locked) * 1000);
      expect((await login(ATTACKER, email, `guess-again-${i}`)).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    t.clock!.advance(900_000);
    expect((await login(ATTACKER, email, 'Trader123!')).status).toBe(200);
  });

  it('a sprayer behind a shared address does not lock out an account known there; unknown accounts stay guarded', async () => {
    const NAT = '192.0.2.99';
    const known = await t.register();
    const stranger = await t.register();
    expect((await login(NAT, known.email, 'Trader123!')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await login(NAT, uniqueEmail('spray'), 'wrong-password-1')).status).toBe(401);
    expect((await login(NAT, uniqueEmail('spray'), 'wrong-password-1')).status).toBe(429);
    expect((await login(NAT, stranger.email, 'Trader123!')).status).toBe(429);
    expect((await login(NAT, known.email, 'Trader123!')).status).toBe(200);
    expect((await login(NAT, known.email, 'wrong-password-1')).status).toBe(401); // its own budget, not the sprayer's
  });

  it('documents the policy on the login routes', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    for (const path of ['/auth/login', '/api/v1/auth/login', '/api/auth/token']) {
      const text = JSON.stringify(doc.paths[path].post.responses['429']);
      expect(text).toContain('doubles');
      expect(text).toContain('LOGIN_BACKOFF_CAP_SECONDS');
    }
  });
});
