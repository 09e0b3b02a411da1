import jwt from 'jsonwebtoken';
import { startTestApp, TestApp, TEST_KEYS } from '@testing/test-app';

/** Issue 12 item 6: tokens without exp or a session are refused; token answers are never cached; CORS allows our methods. */
describe('tokens: claims, caching, CORS', () => {
  let t: TestApp;
  let user: { token: string; id: string; email: string };

  beforeAll(async () => {
    t = await startTestApp({ env: { ALLOWED_ORIGINS: 'http://localhost:5173' } });
    user = await t.register();
  });
  afterAll(() => t.close());

  const sign = (claims: Record<string, unknown>, options: jwt.SignOptions = {}) =>
    jwt.sign(claims, TEST_KEYS.SECRET_KEY, { algorithm: 'HS256', issuer: t.config.jwtIssuer, audience: t.config.jwtAudience, ...options });
  const me = (token: string) => t.http.get('/auth/me').set('Authorization', `Bearer ${token}`);

  it('refuses a token signed with the real key but without exp, or without the session id', async () => {
    const real = jwt.decode(user.token) as Record<string, unknown>;
    expect(real).toMatchObject({ exp: expect.any(Number), sid: expect.any(String), jti: expect.any(String) });
    const { exp: _exp, iat: _iat, iss: _iss, aud: _aud, ...claims } = real;
    expect((await me(sign(claims, { expiresIn: 600 }))).status).toBe(200); // same claims, re-signed: accepted
    const noExp = await me(sign(claims));
    expect({ status: noExp.status, code: noExp.body.code }).toEqual({ status: 401, code: 'invalid_token' });
    const { sid: _sid, ...noSession } = claims;
    expect((await me(sign(noSession, { expiresIn: 600 }))).status).toBe(401);
    expect((await me(sign({ ...claims, sid: '' }, { expiresIn: 600 }))).status).toBe(401);
  });

  it('answers every response carrying a token (or anything else) with Cache-Control: no-store', async () => {
    const password = 'Trader123!';
    const login = await t.http.post('/auth/login').type('form').send({ username: user.email, password });
    expect(login.status).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const token = await t.http.post('/api/auth/token/').send({ username: user.email, password });
    expect(token.headers['cache-control']).toBe('no-store');
    const refresh = await t.http.post('/auth/refresh').send({ refresh_token: login.body.refresh_token });
    expect(refresh.status).toBe(200);
    expect(refresh.headers['cache-control']).toBe('no-store');
    const setup = await t.http.post('/auth/2fa/setup').set('Authorization', `Bearer ${login.body.access_token}`);
    expect(setup.body.secret).toEqual(expect.any(String));
    expect(setup.headers['cache-control']).toBe('no-store');
    const failed = await t.http.post('/auth/login').send({ username: user.email, password: 'wrong-password' });
    expect(failed.headers['cache-control']).toBe('no-store');
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('lets an allowed browser origin send %s (preflight), and not another origin', async (method) => {
    const ok = await t.http
      .options('/api/watchlist')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', method)
      .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key');
    expect(ok.status).toBeLessThan(300);
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(ok.headers['access-control-allow-methods']).toContain(method);
    const other = await t.http.options('/api/watchlist').set('Origin', 'http://evil.example').set('Access-Control-Request-Method', method);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
