import { createHmac } from 'node:crypto';
import { startTestApp, TestApp, uniqueEmail, TEST_KEYS } from '@testing/test-app';

/** base64url JWT signed with an arbitrary key/alg, to forge tokens. */
function forge(header: object, payload: object, key?: string): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc(header)}.${enc(payload)}`;
  const sig = key ? createHmac('sha256', key).update(body).digest('base64url') : '';
  return `${body}.${sig}`;
}

describe('foundation: identity, audit, platform (seed 000 section 1 and 4)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('runs the runbook: register (JSON), login (form), me, audit me', async () => {
    const email = uniqueEmail('operador');
    const reg = await t.http.post('/auth/register').set('User-Agent', 'runbook-curl').send({ email, password: 'Trader123!' });
    expect(reg.status).toBe(201);
    expect(reg.body).toEqual({ id: expect.any(String), email, username: null, full_name: null, role: 'user' });

    const login = await t.http
      .post('/auth/login')
      .type('form')
      .send(`username=${encodeURIComponent(email)}&password=Trader123!`);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ token_type: 'bearer', expires_in: 900, user: { email, role: 'user' } });
    const token = login.body.access_token;

    for (const path of ['/auth/me', '/users/me']) {
      const me = await t.http.get(path).set('Authorization', `Bearer ${token}`);
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(reg.body.id);
    }

    const audit = await t.http.get('/ops/audit/me?limit=100').set('Authorization', `Bearer ${token}`);
    expect(audit.status).toBe(200);
    expect(audit.body.map((e: { event_type: string }) => e.event_type)).toEqual(['auth.login.success', 'auth.register']);
    const registered = audit.body[1];
    expect(registered).toMatchObject({
      user_id: reg.body.id,
      outcome: 'success',
      ip: '127.0.0.1',
      user_agent: 'runbook-curl',
      path: '/auth/register',
    });
    expect(registered.request_id).toEqual(reg.headers['x-request-id']);
    expect(registered.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('logs in with JSON and email, and through every alias route', async () => {
    const { email } = await t.register();
    const json = await t.http.post('/api/v1/auth/login').send({ email, password: 'Trader123!' });
    expect(json.status).toBe(200);
    const admin = await t.adminToken();
    expect(admin).toEqual(expect.any(String));
    const loans = await t.http.post('/api/auth/token/').send({ username: 'client1', password: 'client1234' });
    expect(loans.status).toBe(200);
    expect(loans.body.access).toBe(loans.body.access_token);
    const funds = await t.http.post('/api/v1/auth/register').send({ email: uniqueEmail(), password: 'Secret123!', full_name: 'User Test' });
    expect(funds.status).toBe(201);
    expect(funds.body.full_name).toBe('User Test');
  });

  it('gives one generic 401 for unknown users and wrong passwords, audited as auth.login.failed', async () => {
    const { email, id } = await t.register();
    const wrong = await t.http.post('/auth/login').type('form').send({ username: email, password: 'nope-nope-1' });
    const unknown = await t.http
      .post('/auth/login')
      .type('form')
      .send({ username: uniqueEmail('ghost'), password: 'nope-nope-1' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect(wrong.body.detail).toBe(wrong.body.message);
    const admin = await t.adminToken();
    const failed = await t.http.get(`/ops/audit/all?event_type=auth.login.failed&user_id=${id}`).set('Authorization', `Bearer ${admin}`);
    expect(failed.status).toBe(200);
    expect(failed.body).toHaveLength(1);
    expect(JSON.stringify(failed.body)).not.toContain('nope-nope-1');
  });

  it('refuses a taken email (409), weak passwords and unknown fields (400 naming the field)', async () => {
    const { email } = await t.register();
    const taken = await t.http.post('/auth/register').send({ email: email.toUpperCase(), password: 'Trader123!' });
    expect(taken.status).toBe(409);
    const weak = await t.http.post('/auth/register').send({ email: uniqueEmail(), password: 'password123' });
    expect(weak.status).toBe(400);
    expect(weak.body.errors).toEqual([{ field: 'password', messages: ['password is too common'] }]);
    const unknown = await t.http.post('/auth/register').send({ email: uniqueEmail(), password: 'Trader123!', role: 'admin' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'role', messages: ['property role should not exist'] }]);
    const sms = await t.http
      .post('/api/v1/auth/register')
      .send({ email: uniqueEmail(), password: 'Secret123!', notify_channel: 'sms', notify_destination: '3001234567' });
    expect(sms.status).toBe(400);
    expect(sms.body.errors).toEqual([{ field: 'notify_destination', messages: [expect.stringContaining('E.164')] }]);
    const smsOk = await t.http
      .post('/api/v1/auth/register')
      .send({ email: uniqueEmail(), password: 'Secret123!', notify_channel: 'sms', notify_destination: '+573001234567' });
    expect(smsOk.status).toBe(201);
    const long = await t.http.post('/auth/register').send({ email: `${'a'.repeat(250)}@example.com`, password: 'Trader123!' });
    expect(long.status).toBe(400);
    expect(long.body.errors.map((e: { field: string }) => e.field)).toContain('email');
  });

  it('answers malformed JSON, wrong content type and 10 MB bodies with clear 4xx JSON', async () => {
    const bad = await t.http.post('/auth/login').set('Content-Type', 'application/json').send('{"username":');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request', request_id: expect.any(String) });
    const text = await t.http.post('/auth/login').set('Content-Type', 'text/plain').send('hello');
    expect(text.status).toBe(415);
    const huge = await t.http
      .post('/auth/register')
      .set('Content-Type', 'application/json')
      .send(`{"email":"${'a'.repeat(10 * 1024 * 1024)}"}`);
    expect(huge.status).toBe(413);
    expect(huge.body.message).toBe('Request body is too large');
  });

  it('refuses forged, alg:none, expired tokens and tokens of deleted users; audits them', async () => {
    const { token, id } = await t.register();
    const claims = {
      sub: id,
      email: 'x@example.com',
      role: 'admin',
      jti: 'j1',
      iss: t.config.jwtIssuer,
      aud: t.config.jwtAudience,
      exp: Math.floor(Date.now() / 1000) + 600,
    };
    const cases = {
      otherKey: forge({ alg: 'HS256', typ: 'JWT' }, claims, 'another-key-entirely-another-key-entirely'),
      none: forge({ alg: 'none', typ: 'JWT' }, claims),
      expired: forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, TEST_KEYS.SECRET_KEY),
      wrongAudience: forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, aud: 'someone-else' }, TEST_KEYS.SECRET_KEY),
    };
    for (const [name, forged] of Object.entries(cases)) {
      const res = await t.http.get('/auth/me').set('Authorization', `Bearer ${forged}`);
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
      expect(res.body.message).toBe('Invalid or expired token');
    }
    // Signed with our key and carrying exp and a live session id (issue 12: one without them is refused).
    const { sid } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid: string };
    const valid = forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, sid }, TEST_KEYS.SECRET_KEY);
    expect((await t.http.get('/auth/me').set('Authorization', `Bearer ${valid}`)).status).toBe(200);

    await t.dataSource.query('DELETE FROM users WHERE id = $1', [id]);
    const deleted = await t.http.get('/auth/me').set('Authorization', `Bearer ${token}`);
    expect(deleted.status).toBe(401);

    const admin = await t.adminToken();
    const rejected = await t.http.get('/ops/audit/all?event_type=auth.token.rejected&limit=50').set('Authorization', `Bearer ${admin}`);
    expect(rejected.body.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(rejected.body)).not.toContain(token);
  });

  it('keeps audit/all and verify for admins (403 for users) and the chain verifies', async () => {
    const { token } = await t.register();
    expect((await t.http.get('/ops/audit/all').set('Authorization', `Bearer ${token}`)).status).toBe(403);
    expect((await t.http.get('/ops/audit/verify').set('Authorization', `Bearer ${token}`)).status).toBe(403);
    const admin = await t.adminToken();
    const verify = await t.http.get('/ops/audit/verify').set('Authorization', `Bearer ${admin}`);
    expect(verify.status).toBe(200);
    expect(verify.body.valid).toBe(true);
    expect(verify.body.checked).toBeGreaterThan(3);
    const bad = await t.http.get('/ops/audit/me?limit=0').set('Authorization', `Bearer ${token}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('limit');
  });

  it('detects a tampered audit document', async () => {
    const admin = await t.adminToken();
    const [latest] = (await t.http.get('/ops/audit/all?limit=1').set('Authorization', `Bearer ${admin}`)).body;
    await t.dataSource.query(`UPDATE doc_audit_logs SET doc = jsonb_set(doc, '{outcome}', '"denied"') WHERE id = $1`, [latest.id]);
    const verify = await t.http.get('/ops/audit/verify').set('Authorization', `Bearer ${admin}`);
    expect(verify.body).toMatchObject({ valid: false, first_broken_id: latest.id, reason: 'hash does not match content' });
    await t.dataSource.query(`UPDATE doc_audit_logs SET doc = jsonb_set(doc, '{outcome}', to_jsonb($2::text)) WHERE id = $1`, [
      latest.id,
      latest.outcome,
    ]);
    expect((await t.http.get('/ops/audit/verify').set('Authorization', `Bearer ${admin}`)).body.valid).toBe(true);
  });

  it('serves health, readiness, Swagger, request ids, security headers and trusted hosts', async () => {
    expect((await t.http.get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await t.http.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({ database: { status: 'up' }, document_store: { status: 'up', kind: 'postgres' } });
    const spec = await t.http.get('/docs-json');
    expect(spec.status).toBe(200);
    expect(spec.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/auth/login', '/auth/register', '/ops/audit/me', '/readyz']));
    expect((await t.http.get('/docs')).status).toBe(200);
    const echoed = await t.http.get('/healthz').set('X-Request-Id', 'abc-123');
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const injected = await t.http.get('/healthz').set('X-Request-Id', 'bad id\twith junk');
    expect(injected.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(echoed.headers['x-content-type-options']).toBe('nosniff');
    const evil = await t.http.get('/healthz').set('Host', 'evil.example.com');
    expect(evil.status).toBe(400);
    expect(evil.body.message).toBe('Invalid host header');
    const missing = await t.http.get('/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, detail: expect.any(String) });
  });
});

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_REGISTER_PER_MIN: '5' } });
  });
  afterAll(() => t.close());

  it('allows 5 registrations a minute per IP, then 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await t.http.post('/auth/register').send({ email: uniqueEmail(), password: 'Trader123!' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body).toMatchObject({ statusCode: 429, request_id: expect.any(String) });
  });
});

describe('router-level errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers an overlong path parameter with the usual JSON error body', async () => {
    const token = (await t.register()).token;
    const res = await t.http.get(`/api/loans/${'x'.repeat(300)}`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(414);
    expect(res.body).toMatchObject({
      statusCode: 414,
      message: 'A path parameter is too long',
      detail: 'A path parameter is too long',
      request_id: expect.any(String),
    });
  });
});
