import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@platform/net/free-port';

/**
 * The `npm start` default, as a user runs it: a real process with no
 * DATABASE_URL => embedded PGlite under DATA_DIR, dev users seeded, data kept
 * across a SIGTERM + restart.
 */
const root = join(__dirname, '..', '..');

async function startServer(dataDir: string, port: number): Promise<{ proc: ChildProcess; output: () => string }> {
  let out = '';
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    SCHEDULER_ENABLED: 'false',
  };
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/main.ts'], {
    cwd: root,
    env,
  });
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${out}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return { proc, output: () => out };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not start: ${out}`);
}

async function stop(proc: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  proc.kill('SIGTERM');
  return exited;
}

const post = (port: number, path: string, body: unknown, form = false) =>
  fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
  });

describe('embedded default (npm start with no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fintech-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves on a fresh directory, seeds dev users, and keeps data across a restart', async () => {
    const port = await freePort();
    const first = await startServer(dataDir, port);
    expect(first.output()).toContain('dev-keys.json'); // keys generated once, with a warning
    expect((await post(port, '/api/auth/token/', { username: 'admin', password: 'admin1234' })).status).toBe(200);
    const reg = await post(port, '/auth/register', { email: 'persisted@example.com', password: 'Trader123!' });
    expect(reg.status).toBe(201);
    const { id } = (await reg.json()) as { id: string };
    expect(await stop(first.proc)).toBe(0); // graceful SIGTERM

    const second = await startServer(dataDir, port);
    const login = await post(port, '/auth/login', { username: 'persisted@example.com', password: 'Trader123!' }, true);
    expect(login.status).toBe(200);
    const { access_token } = (await login.json()) as { access_token: string };
    const me = await fetch(`http://127.0.0.1:${port}/auth/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(((await me.json()) as { id: string }).id).toBe(id);
    expect(second.output()).not.toContain('Trader123!');
    expect(second.output()).not.toContain(access_token);
    expect(await stop(second.proc)).toBe(0);
  });
});
