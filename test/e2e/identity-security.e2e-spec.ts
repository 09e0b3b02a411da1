import * as speakeasy from 'speakeasy';
import { startTestApp, TestApp, uniqueEmail } from '@testing/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const codeAt = (secret: string, at: Date) => speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(at.getTime() / 1000) });

describe('identity: 2FA, sessions, brute force (seed 000 section 1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      fakeClock: true,
      env: { LOGIN_MAX_FAILURES_PER_HOUR: '3', LOGIN_BACKOFF_AFTER_FAILURES: '3', LOGIN_MAX_FAILURES_PER_IP_PER_HOUR: '1000' },
    });
  });
  afterAll(() => t.close());

  const login = (username: string, password = 'Trader123!', otp?: string) =>
    t.http
      .post('/auth/login')
      .type('form')
      .send({ username, password, ...(otp !== undefined ? { otp } : {}) });

  it('runs the runbook with 2FA: setup, enable, login needs the OTP, a code works once, spaces and dashes ignored', async () => {
    const { token, email } = await t.register();
    const setup = await t.http.post('/auth/2fa/setup').set(auth(token));
    expect(setup.status).toBe(200);
    expect(setup.body).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]+$/), otpauth_url: expect.stringMatching(/^otpauth:\/\/totp\//) });
    const secret = setup.body.secret;
    // Sealed by the vault, not stored in clear.
    const rows = await t.dataSource.query("SELECT key_id, ciphertext FROM vault_secrets WHERE purpose = 'totp_pending'");
    expect(JSON.stringify(rows)).not.toContain(secret);

    expect((await t.http.post('/auth/2fa/enable').set(auth(token)).send({ otp: '000000' })).status).toBe(401);
    const code = codeAt(secret, t.clock!.now());
    const enable = await t.http
      .post('/auth/2fa/verify-enable')
      .set(auth(token))
      .send({ otp: `${code.slice(0, 3)} ${code.slice(3)}` });
    expect(enable.status).toBe(200);
    expect(enable.body).toEqual({ message: '2FA enabled' });

    const noOtp = await login(email);
    expect(noOtp.status).toBe(401);
    expect(noOtp.body.message).toBe('OTP required');
    const wrong = await login(email, 'Trader123!', '123456' === code ? '654321' : '123456');
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('Invalid OTP');

    t.clock!.advance(30_000); // the enable code's step is used up: next step
    const next = codeAt(secret, t.clock!.now());
    const ok = await login(email, 'Trader123!', `${next.slice(0, 3)}-${next.slice(3)}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'bearer', expires_in: 900, refresh_token: expect.any(String), user: { email } });
    const replay = await login(email, 'Trader123!', next);
    expect(replay.status).toBe(401);
    expect(replay.body.message).toBe('Invalid OTP');

    for (const bad of ['12345', '1234567', 'abcdef']) {
      const r = await login(email, 'Trader123!', bad);
      expect(r.status).toBe(400);
      expect(r.body.errors[0].field).toBe('otp');
      expect((await t.http.post('/auth/2fa/enable').set(auth(token)).send({ otp: bad })).status).toBe(400);
    }
    expect((await t.http.post('/auth/2fa/setup').set(auth(ok.body.access_token))).status).toBe(409);

    // disable needs the password and a fresh code
    t.clock!.advance(30_000);
    const c3 = codeAt(secret, t.clock!.now());
    expect(
      (await t.http.post('/auth/2fa/disable').set(auth(ok.body.access_token)).send({ otp: c3, password: 'wrong-pass-1' })).status,
    ).toBe(401);
    const off = await t.http.post('/auth/2fa/disable').set(auth(ok.body.access_token)).send({ otp: c3, password: 'Trader123!' });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ message: '2FA disabled' });
    expect((await login(email)).status).toBe(200);
  });

  it('lets an admin reset 2FA (audited); users cannot', async () => {
    const u = await t.register();
    const secret = (await t.http.post('/auth/2fa/setup').set(auth(u.token))).body.secret;
    t.clock!.advance(30_000);
    await t.http
      .post('/auth/2fa/enable')
      .set(auth(u.token))
      .send({ otp: codeAt(secret, t.clock!.now()) });
    expect((await login(u.email)).body.message).toBe('OTP required');
    expect((await t.http.post(`/ops/admin/users/${u.id}/2fa/reset`).set(auth(u.token))).status).toBe(403);
    const admin = await t.adminToken();
    expect((await t.http.post(`/ops/admin/users/not-a-uuid/2fa/reset`).set(auth(admin))).status).toBe(400);
    expect((await t.http.post(`/ops/admin/users/00000000-0000-4000-8000-000000000000/2fa/reset`).set(auth(admin))).status).toBe(404);
    const reset = await t.http.post(`/ops/admin/users/${u.id}/2fa/reset`).set(auth(admin));
    expect(reset.status).toBe(200);
    expect((await login(u.email)).status).toBe(200);
    const audit = await t.http.get(`/ops/audit/all?event_type=auth.2fa.reset&user_id=${u.id}`).set(auth(admin));
    expect(audit.body).toHaveLength(1);
  });

  it('rotates refresh tokens; reuse of an old one revokes the family; forged and access tokens are refused', async () => {
    const { email } = await t.register();
    const first = (await login(email)).body;
    const r1 = await t.http.post('/auth/refresh').send({ refresh_token: first.refresh_token });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(first.refresh_token);
    expect((await t.http.get('/auth/me').set(auth(r1.body.access_token))).status).toBe(200);
    const r2 = await t.http.post('/auth/refresh').send({ refresh_token: r1.body.refresh_token });
    expect(r2.status).toBe(200);

    // The first token again: the thief's or the user's, the family ends for both.
    const reuse = await t.http.post('/auth/refresh').send({ refresh_token: first.refresh_token });
    expect(reuse.status).toBe(401);
    expect((await t.http.post('/auth/refresh').send({ refresh_token: r2.body.refresh_token })).status).toBe(401);
    expect((await t.http.get('/auth/me').set(auth(r2.body.access_token))).status).toBe(401);

    const other = (await login(email)).body;
    const [id] = other.refresh_token.split('.');
    for (const bad of [other.access_token, `${id}.${'A'.repeat(43)}`, 'garbage', '']) {
      const r = await t.http.post('/auth/refresh').send({ refresh_token: bad });
      expect([400, 401]).toContain(r.status);
    }
    expect((await t.http.post('/auth/refresh').send({ refresh_token: other.refresh_token })).status).toBe(200);
  });

  it('logout revokes the access token and its refresh token; revoke-all ends every session', async () => {
    const { email } = await t.register();
    const a = (await login(email)).body;
    const b = (await login(email)).body;
    const out = await t.http.post('/auth/logout').set(auth(a.access_token));
    expect(out.status).toBe(200);
    expect((await t.http.get('/auth/me').set(auth(a.access_token))).status).toBe(401);
    expect((await t.http.get('/users/exchange-secrets').set(auth(a.access_token))).status).toBe(401);
    expect((await t.http.post('/auth/refresh').send({ refresh_token: a.refresh_token })).status).toBe(401);
    expect((await t.http.get('/auth/me').set(auth(b.access_token))).status).toBe(200);

    const c = (await t.http.post('/api/v1/auth/login').send({ email, password: 'Trader123!' })).body;
    const all = await t.http.post('/auth/revoke-all').set(auth(c.access_token));
    expect(all.status).toBe(200);
    expect(all.body.revoked_sessions).toBe(3); // register()'s own login, b and c
    for (const tok of [b.access_token, c.access_token]) expect((await t.http.get('/auth/me').set(auth(tok))).status).toBe(401);
    expect((await t.http.post('/auth/refresh').send({ refresh_token: b.refresh_token })).status).toBe(401);
    expect((await login(email)).status).toBe(200);
  });

  it('throttles failures per account with one generic answer, whether the account exists or not', async () => {
    const { email } = await t.register();
    const ghost = uniqueEmail('ghost');
    for (const who of [email, ghost]) {
      for (let i = 0; i < 3; i++) expect((await login(who, 'wrong-password-1')).status).toBe(401);
      const locked = await login(who, 'wrong-password-1');
      expect(locked.status).toBe(429);
      expect(locked.body.message).toBe('Too many failed login attempts. Try again later.');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Even the right password waits until the window passes.
    expect((await login(email)).status).toBe(429);
    t.clock!.advance(60 * 60 * 1000 + 1000);
    expect((await login(email)).status).toBe(200);

    const admin = await t.adminToken();
    const failed = await t.http.get('/ops/audit/all?event_type=auth.login.failed&limit=1000').set(auth(admin));
    const reasons = failed.body.map((e: { payload: { reason: string } }) => e.payload.reason);
    expect(reasons).toEqual(expect.arrayContaining(['bad_credentials', 'throttled', 'otp_required', 'invalid_otp']));
  });

  it('throttles failures per IP across accounts', async () => {
    const local = await startTestApp({
      fakeClock: true,
      env: { LOGIN_MAX_FAILURES_PER_HOUR: '100', LOGIN_MAX_FAILURES_PER_IP_PER_HOUR: '4' },
    });
    try {
      const { email } = await local.register(); // logged in from this address: known here
      const never = uniqueEmail('never');
      await local.http.post('/auth/register').send({ email: never, password: 'Trader123!' }).expect(201);
      for (let i = 0; i < 4; i++) {
        const r = await local.http.post('/auth/login').send({ username: uniqueEmail('spray'), password: 'wrong-password-1' });
        expect(r.status).toBe(401);
      }
      const blocked = await local.http.post('/auth/login').send({ username: never, password: 'Trader123!' });
      expect(blocked.status).toBe(429);
      // The per-IP guard never locks out an account that logged in from this address (progressive lockout, item 11).
      expect((await local.http.post('/auth/login').send({ username: email, password: 'Trader123!' })).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});
