import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@platform/net/free-port';
import { cleanUp, serverEnv, spawnEntry, startServer } from '@testing/server-process';

/**
 * The `npm start` default, as a user runs it: a real process with no
 * DATABASE_URL => an embedded PostgreSQL server under DATA_DIR, dev users
 * seeded, `npm run seed` working while it runs, data kept across SIGTERM + restart.
 */
const post = (port: number, path: string, body: unknown, form = false) =>
  fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
  });

function runScript(entry: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    let out = '';
    const p = spawnEntry(entry, env);
    p.stdout!.on('data', (d) => (out += d));
    p.stderr!.on('data', (d) => (out += d));
    p.once('exit', (code) => resolve({ code, out }));
  });
}

describe('embedded default (npm start with no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fintech-embedded-'));
  afterAll(async () => {
    await cleanUp([dataDir]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves on a fresh directory, seeds dev users, runs `npm run seed` alongside, and keeps data across a restart', async () => {
    const port = await freePort();
    const env = serverEnv(dataDir, port);
    const first = startServer(env);
    await first.healthy();
    expect(first.output()).toContain('dev-keys.json'); // keys generated once, with a warning
    expect((await post(port, '/api/auth/token/', { username: 'admin', password: 'admin1234' })).status).toBe(200);
    const reg = await post(port, '/auth/register', { email: 'persisted@example.com', password: 'Trader123!' });
    expect(reg.status).toBe(201);
    const { id } = (await reg.json()) as { id: string };

    // Many sessions: the seed and the migrations run against the server's own embedded PostgreSQL while it serves.
    const seed = await runScript('scripts/seed.ts', env);
    expect(seed).toMatchObject({ code: 0 });
    expect(seed.out).toContain('seed complete');
    const migrate = await runScript('scripts/migrate.ts', env);
    expect(migrate).toMatchObject({ code: 0 });
    expect(migrate.out).toContain('no pending migrations');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await first.stop()).toBe(0); // graceful SIGTERM

    const second = startServer(env);
    await second.healthy();
    const login = await post(port, '/auth/login', { username: 'persisted@example.com', password: 'Trader123!' }, true);
    expect(login.status).toBe(200);
    const { access_token } = (await login.json()) as { access_token: string };
    const me = await fetch(`http://127.0.0.1:${port}/auth/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(((await me.json()) as { id: string }).id).toBe(id);
    expect(second.output()).not.toContain('Trader123!');
    expect(second.output()).not.toContain(access_token);
    expect(await second.stop()).toBe(0);
  }, 900_000);
});
