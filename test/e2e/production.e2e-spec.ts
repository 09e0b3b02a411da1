import { startTestApp } from '@testing/test-app';
import { createTestDatabase } from '@testing/test-database';
import { SeedRegistry } from '@platform/seed/seed.registry';
import { DevUsersSeeder } from '../../src/contexts/identity/application/dev-users.seeder';
import { PasswordHasher } from '../../src/contexts/identity/domain/identity.ports';

const PRODUCTION = { NODE_ENV: 'production' };

/** Issue 12 item 7: production hides the API docs, never creates dev users, and refuses to boot with their passwords. */
describe('production defaults', () => {
  it('serves /docs and /docs-json in production only with DOCS_ENABLED=true', async () => {
    const off = await startTestApp({ env: PRODUCTION });
    try {
      expect((await off.http.get('/docs')).status).toBe(404);
      expect((await off.http.get('/docs-json')).status).toBe(404);
      expect((await off.http.get('/healthz')).status).toBe(200);
    } finally {
      await off.close();
    }
    const on = await startTestApp({ env: { ...PRODUCTION, DOCS_ENABLED: 'true' } });
    try {
      expect((await on.http.get('/docs-json')).body.openapi).toEqual(expect.any(String));
    } finally {
      await on.close();
    }
  });

  it('never creates the dev users in production, whoever runs the seeders', async () => {
    const t = await startTestApp({ env: PRODUCTION });
    try {
      await t.app.get(SeedRegistry).runAll(false); // even asked as if not production
      await t.app.get(DevUsersSeeder).run();
      const rows = await t.dataSource.query(`SELECT username FROM users WHERE username IN ('admin', 'client1')`);
      expect(rows).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('refuses a production boot while a user has a default dev password, naming the user; boots once it is changed', async () => {
    const db = await createTestDatabase();
    const dev = await startTestApp({ db });
    await dev.adminToken(); // creates admin/admin1234 and client1/client1234
    await dev.close(true);
    await expect(startTestApp({ db, env: PRODUCTION })).rejects.toThrow(
      /user "admin", user "client1" still have the default development password/,
    );

    const prep = await startTestApp({ db });
    const changed = await prep.app.get(PasswordHasher).hash('a-New-strong-pass-77');
    const setHash = (username: string) =>
      prep.dataSource.query(`UPDATE users SET password_hash = $1 WHERE username = $2`, [changed, username]);
    await setHash('admin');
    await prep.close(true);
    await expect(startTestApp({ db, env: PRODUCTION })).rejects.toThrow(/^Refusing to start in production: user "client1" still has/);

    const again = await startTestApp({ db });
    await again.dataSource.query(`UPDATE users SET password_hash = $1 WHERE username = 'client1'`, [changed]);
    await again.close(true);
    const prod = await startTestApp({ db, env: PRODUCTION });
    expect((await prod.http.get('/healthz')).status).toBe(200);
    await prod.close();
  });
});
