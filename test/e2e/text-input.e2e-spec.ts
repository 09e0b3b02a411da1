import { startTestApp, TestApp, uniqueEmail } from '@testing/test-app';

const NUL = 'a\u0000b';
const LONE = '\ud800';

/** Issue 12 item 1: text PostgreSQL or the validators cannot take is a 400 naming the field, never a 500. */
describe('text input: NUL bytes and unpaired surrogates', () => {
  let t: TestApp;
  let admin: string;
  let client: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.adminToken();
    client = await t.login('client1', 'client1234');
  });
  afterAll(() => t.close());

  const expectNamed = (res: { status: number; body: Record<string, unknown> }, field: string) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'invalid_text' });
    expect(res.body.errors).toEqual([{ field, messages: [expect.stringContaining('NUL')] }]);
    expect(res.body.message).toContain(field);
  };

  it.each(['/auth/login', '/api/v1/auth/login', '/api/auth/token/'])(
    'refuses NUL in %s username, before any credential check',
    async (route) => {
      const json = await t.http.post(route).send({ username: NUL, password: 'whatever1' });
      expectNamed(json, 'username');
      const form = await t.http.post(route).type('form').send({ username: NUL, password: 'whatever1' });
      expectNamed(form, 'username');
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM login_failures`);
      expect(n).toBe(0);
    },
  );

  it('refuses NUL in register full_name and a lone surrogate in register email', async () => {
    expectNamed(await t.http.post('/auth/register').send({ email: uniqueEmail(), password: 'Trader123!', full_name: NUL }), 'full_name');
    expectNamed(await t.http.post('/auth/register').send({ email: `x${LONE}@example.com`, password: 'Trader123!' }), 'email');
  });

  it('refuses NUL in the kill-switch reason, loan purpose and loan reject reason', async () => {
    expectNamed(await t.http.post('/ops/execution/kill-switch').set(bearer(admin)).send({ engaged: true, reason: NUL }), 'reason');
    expectNamed(
      await t.http.post('/api/loans').set(bearer(client)).send({ principal: '100.00', annual_rate: '12', term_months: 3, purpose: NUL }),
      'purpose',
    );
    const [{ id }] = await t.dataSource.query(`SELECT id FROM loans LIMIT 1`);
    expectNamed(
      await t.http
        .post(`/api/loans/${id}/reject`)
        .set(bearer(admin))
        .send({ reason: `x${LONE}` }),
      'reason',
    );
  });

  it('names nested fields, query parameters, path parameters and keys', async () => {
    expectNamed(
      await t.http
        .put('/api/watchlist')
        .set(bearer(client))
        .send({ symbols: ['BTC_USDT', NUL] }),
      'symbols.1',
    );
    expectNamed(await t.http.get(`/api/loans?status=${encodeURIComponent(NUL)}`).set(bearer(client)), 'status');
    expectNamed(await t.http.delete(`/api/watchlist/${encodeURIComponent(NUL)}`).set(bearer(client)), 'symbol');
    const res = await t.http.post('/auth/register').send({ [NUL]: 1, email: uniqueEmail(), password: 'Trader123!' });
    expect(res.status).toBe(400);
  });
});
