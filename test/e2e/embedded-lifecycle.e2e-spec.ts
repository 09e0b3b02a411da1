import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateEncryptionKey, generateSecretKey } from '@platform/config/load-config';
import { freePort } from '@platform/net/free-port';
import { isAlive } from '@platform/persistence/embedded-postgres-files';
import { cleanUp, pollUntil, serverEnv, startServer } from '@testing/server-process';

/**
 * The embedded PostgreSQL's bad inputs, with real processes: a wrong password
 * on its port, a second server on the same DATA_DIR, a kill -9 of node in the
 * middle of a request, and production without DATABASE_URL.
 */
const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'fintech-lifecycle-'));
  dirs.push(d);
  return d;
};

const register = (port: number, email: string) =>
  fetch(`http://127.0.0.1:${port}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'Trader123!' }),
  });
const login = (port: number, email: string) =>
  fetch(`http://127.0.0.1:${port}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: email, password: 'Trader123!' }).toString(),
  });

const credentials = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'embedded-postgres.json'), 'utf8')) as { user: string; password: string; port: number };
const postmasterPid = (dir: string) => Number(readFileSync(join(dir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);

async function connectAs(port: number, user: string, password: string): Promise<string> {
  const c = new Client({ host: '127.0.0.1', port, user, password, database: 'postgres', connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    await c.end();
    return 'connected';
  } catch (e) {
    return (e as { code?: string }).code ?? (e as Error).message;
  }
}

describe('embedded PostgreSQL lifecycle', () => {
  afterAll(async () => {
    await cleanUp(dirs);
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('refuses a wrong password or user on its port; a second server on the same DATA_DIR exits 1 with one line', async () => {
    const dir = freshDir();
    const port = await freePort();
    const first = startServer(serverEnv(dir, port));
    await first.healthy();
    expect((await register(port, 'first@example.com')).status).toBe(201);

    const creds = credentials(dir);
    expect(statSync(join(dir, 'embedded-postgres.json')).mode & 0o777).toBe(0o600);
    expect(await connectAs(creds.port, creds.user, creds.password)).toBe('connected');
    expect(await connectAs(creds.port, creds.user, 'wrong-password')).toBe('28P01'); // invalid_password
    expect(await connectAs(creds.port, 'intruder', creds.password)).toBe('28P01');
    expect(first.output()).not.toContain(creds.password);

    const second = startServer(serverEnv(dir, await freePort()));
    expect(await second.exited()).toBe(1);
    const lines = second.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`embedded database in ${dir} is in use by process ${first.proc.pid}`));

    // The first server and its data are untouched.
    expect((await login(port, 'first@example.com')).status).toBe(200);
    expect(await first.stop()).toBe(0);
  }, 900_000);

  it('after a kill -9 of node in the middle of a request, the next start recovers with the data', async () => {
    const dir = freshDir();
    const port = await freePort();
    const first = startServer(serverEnv(dir, port));
    await first.healthy();
    expect((await register(port, 'kept@example.com')).status).toBe(201);
    const orphan = postmasterPid(dir);

    // A registration (bcrypt, then a transaction) in flight when node dies.
    const inFlight = register(port, 'in-flight@example.com').then(
      (r) => r.status,
      () => 'aborted',
    );
    first.proc.kill('SIGKILL');
    await first.exited();
    await inFlight;
    expect(isAlive(orphan)).toBe(true); // postgres outlived node: the next start must deal with it

    const second = startServer(serverEnv(dir, port));
    await second.healthy();
    await pollUntil('the orphaned postgres to be gone', () => !isAlive(orphan), 20_000);
    expect(postmasterPid(dir)).not.toBe(orphan);
    expect((await login(port, 'kept@example.com')).status).toBe(200);
    expect((await register(port, 'after@example.com')).status).toBe(201);
    expect(await second.stop()).toBe(0);
  }, 900_000);

  it('production refuses the embedded database unless EMBEDDED_DATABASE_IN_PRODUCTION=true', async () => {
    const dir = freshDir();
    const port = await freePort();
    const keys = { NODE_ENV: 'production', SECRET_KEY: generateSecretKey(), ENCRYPTION_KEY: generateEncryptionKey() };
    const refused = startServer(serverEnv(dir, port, keys));
    expect(await refused.exited()).toBe(1);
    expect(refused.output().trim()).toMatch(
      /^Refusing to start in production on the embedded database.*EMBEDDED_DATABASE_IN_PRODUCTION=true/,
    );
    expect(() => statSync(join(dir, 'pgdata'))).toThrow(); // nothing was started

    const allowed = startServer(serverEnv(dir, port, { ...keys, EMBEDDED_DATABASE_IN_PRODUCTION: 'true' }));
    await allowed.healthy();
    expect(await allowed.stop()).toBe(0);
  }, 900_000);
});
