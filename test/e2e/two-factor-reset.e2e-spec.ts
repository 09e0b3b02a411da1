import * as speakeasy from 'speakeasy';
import { startTestApp, TestApp } from '@testing/test-app';

/** Issue 12 item 8: an admin 2FA reset keeps 2FA mandatory. */
describe('2FA reset keeps 2FA mandatory', () => {
  let t: TestApp;
  const PASSWORD = 'Trader123!';
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const code = (secret: string) => speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(t.clock!.now().getTime() / 1000) });

  beforeAll(async () => {
    t = await startTestApp({ fakeClock: true });
  });
  afterAll(() => t.close());

  it('after a reset the password alone gets a setup challenge, no token, until a code from the new secret is confirmed', async () => {
    const admin = await t.adminToken();
    const u = await t.register(undefined, PASSWORD);
    const old = (await t.http.post('/auth/2fa/setup').set(as(u.token))).body.secret as string;
    await t.http
      .post('/auth/2fa/enable')
      .set(as(u.token))
      .send({ otp: code(old) })
      .expect(200);
    await t.http.post(`/ops/admin/users/${u.id}/2fa/reset`).set(as(admin)).expect(200);
    t.clock!.advance(60_000);

    for (const [route, send] of [
      ['/auth/login', { username: u.email, password: PASSWORD }],
      ['/api/auth/token/', { username: u.email, password: PASSWORD }],
      ['/auth/login', { username: u.email, password: PASSWORD, otp: code(old) }], // the old device does not help
    ] as const) {
      const res = await t.http.post(route).type('form').send(send);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ two_factor_setup_required: true, enrolment_token: expect.any(String), expires_in: 600 });
      expect(res.body.otpauth_url).toMatch(/^otpauth:\/\/totp\//);
      expect(res.body.access_token).toBeUndefined();
      expect(res.body.access).toBeUndefined();
      expect(res.body.refresh_token).toBeUndefined();
    }
    const challenge = (await t.http.post('/auth/login').send({ username: u.email, password: PASSWORD })).body;
    const secret = new URL(challenge.otpauth_url).searchParams.get('secret')!;
    expect(secret).toBe(challenge.secret);
    expect((await t.http.get('/auth/me').set(as(challenge.enrolment_token))).status).toBe(401); // not an access token

    const wrong = await t.http.post('/auth/2fa/enrol').send({ enrolment_token: challenge.enrolment_token, otp: code(old) });
    expect({ status: wrong.status, code: wrong.body.code }).toEqual({ status: 401, code: 'invalid_otp' });
    const forged = await t.http.post('/auth/2fa/enrol').send({ enrolment_token: u.token, otp: code(secret) });
    expect({ status: forged.status, code: forged.body.code }).toEqual({ status: 401, code: 'invalid_enrolment_token' });

    const done = await t.http.post('/auth/2fa/enrol').send({ enrolment_token: challenge.enrolment_token, otp: code(secret) });
    expect(done.status).toBe(200);
    expect(done.headers['cache-control']).toBe('no-store');
    expect((await t.http.get('/auth/me').set(as(done.body.access_token))).status).toBe(200);

    t.clock!.advance(60_000);
    const noOtp = await t.http.post('/auth/login').send({ username: u.email, password: PASSWORD });
    expect({ status: noOtp.status, code: noOtp.body.code }).toEqual({ status: 401, code: 'otp_required' });
    const withOtp = await t.http.post('/auth/login').send({ username: u.email, password: PASSWORD, otp: code(secret) });
    expect(withOtp.status).toBe(200);
    expect(withOtp.body.access_token).toEqual(expect.any(String));
  });

  it('the enrolment token is short-lived (600 s) and of its own audience', async () => {
    const admin = await t.login('admin', 'admin1234');
    const u = await t.register(undefined, PASSWORD);
    await t.http.post(`/ops/admin/users/${u.id}/2fa/reset`).set(as(admin)).expect(200);
    const challenge = (await t.http.post('/auth/login').send({ username: u.email, password: PASSWORD })).body;
    expect(challenge.two_factor_setup_required).toBe(true);
    const jwt = JSON.parse(Buffer.from(challenge.enrolment_token.split('.')[1], 'base64url').toString()) as {
      exp: number;
      iat: number;
      aud: string;
    };
    expect(jwt.exp - jwt.iat).toBe(600);
    expect(jwt.aud).toBe(`${t.config.jwtAudience}:totp-enrolment`);
  });
});
