import { Client } from 'pg';
import { startTestApp, TestApp } from '@testing/test-app';

/**
 * Issue 16: the token check is cached per instance, and a revocation on one instance is refused
 * by the other at once (NOTIFY auth_revocation in the revoking transaction; the revoking request
 * answers after the notification went round). Two API instances share one database here.
 */
describe('token revocation across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  const password = 'Trader123!';

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ db: a.db });
  });
  afterAll(async () => {
    await b.close(true);
    await a.close();
  });

  const me = (t: TestApp, token: string) => t.http.get('/auth/me').set('Authorization', `Bearer ${token}`);
  const login = async (email: string) => {
    const res = await a.http.post('/auth/login').send({ email, password });
    expect(res.status).toBe(200);
    return { access: res.body.access_token as string, refresh: res.body.refresh_token as string };
  };
  /** Both instances accept the token (and so have its check cached), several times over. */
  const warm = async (token: string) => {
    for (let i = 0; i < 3; i++) {
      expect((await me(a, token)).status).toBe(200);
      expect((await me(b, token)).status).toBe(200);
    }
  };

  it('a logout on A is refused by B on the very next request, and by A', async () => {
    const user = await a.register(undefined, password);
    await warm(user.token);
    expect((await a.http.post('/auth/logout').set('Authorization', `Bearer ${user.token}`)).status).toBe(200);
    expect((await me(b, user.token)).status).toBe(401);
    expect((await me(a, user.token)).status).toBe(401);
    expect((await me(b, user.token)).status).toBe(401);
  });

  it('revoke-all on B ends the other sessions on A at once', async () => {
    const user = await b.register(undefined, password);
    const other = await login(user.email);
    await warm(user.token);
    await warm(other.access);
    expect((await b.http.post('/auth/revoke-all').set('Authorization', `Bearer ${user.token}`)).status).toBe(200);
    expect((await me(a, other.access)).status).toBe(401);
    expect((await me(b, other.access)).status).toBe(401);
    expect((await me(a, user.token)).status).toBe(401);
  });

  it('reusing a rotated refresh token on B ends the session on A at once', async () => {
    const user = await a.register(undefined, password);
    const first = await login(user.email);
    const rotated = await a.http.post('/auth/refresh').send({ refresh_token: first.refresh });
    expect(rotated.status).toBe(200);
    await warm(rotated.body.access_token);
    expect((await b.http.post('/auth/refresh').send({ refresh_token: first.refresh })).status).toBe(401); // reuse
    expect((await me(a, rotated.body.access_token)).status).toBe(401);
    expect((await me(b, rotated.body.access_token)).status).toBe(401);
  });

  it('an instance whose LISTEN connection is cut serves no cached check: a revocation it missed is still refused', async () => {
    const user = await a.register(undefined, password);
    await warm(user.token);
    // Cut every LISTEN connection on this database (both instances reconnect by themselves).
    const admin = new Client({ connectionString: a.db.url });
    await admin.connect();
    const { rows } = await admin.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
    );
    // One listener per instance; the embedded PGlite (one shared session) has none, and no cache.
    const pglite = /PGlite/.test((await admin.query('SELECT version() AS v')).rows[0].v);
    expect(rows.length).toBe(pglite ? 0 : 2);
    const pids = rows.map((r) => r.pid);
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      const left = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids]);
      if (!left.rowCount) break;
    }
    await admin.end();
    expect((await a.http.post('/auth/logout').set('Authorization', `Bearer ${user.token}`)).status).toBe(200);
    expect((await me(b, user.token)).status).toBe(401);
    expect((await me(a, user.token)).status).toBe(401);
  });
});
