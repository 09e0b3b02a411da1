import { ChildProcess, spawn, StdioOptions } from 'node:child_process';
import { join } from 'node:path';
import { isAlive, postmasterOf } from '../nest/persistence/embedded-postgres-files';

/**
 * The server as a user runs it (src/main.ts in its own process, no DATABASE_URL
 * unless given), for the specs about the embedded database's lifecycle.
 */
const root = join(__dirname, '..', '..');
const live = new Set<ServerProcess>();

export interface ServerProcess {
  proc: ChildProcess;
  port: number;
  output(): string;
  /** Resolves on the first 200 from /healthz; rejects if the process exits first or the deadline passes. */
  healthy(deadlineMs?: number): Promise<void>;
  exited(deadlineMs?: number): Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export const pollUntil = async (what: string, done: () => boolean | Promise<boolean>, deadlineMs: number): Promise<void> => {
  const deadline = Date.now() + deadlineMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

export function serverEnv(dataDir: string, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    SCHEDULER_ENABLED: 'false',
    ...extra,
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the install-time build script is plain JS
const { serverIsFresh } = require('../../scripts/install-build.js') as { serverIsFresh(): boolean };

/**
 * How node runs a TypeScript entry point (src/worker.ts, scripts/db-backup.ts...) relative to the project root: its
 * compiled build under dist/ when that is up to date with the sources (after `npm install`, in CI; what
 * docker-compose's worker runs, `node dist/src/worker.js`), with the path aliases resolved under dist/ as
 * `npm run start:prod` does; else the sources under ts-node, as its npm script runs them (a developer's edited
 * tree). The build saves a process about 4 CPU seconds: ts-node compiles the app's ~2,200 modules at every start.
 */
export function entryCommand(entry: string): { args: string[]; env: NodeJS.ProcessEnv; cwd: string } {
  if (!serverIsFresh()) {
    return { args: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', entry], env: {}, cwd: root };
  }
  const compiled = join('dist', entry.replace(/\.ts$/, '.js'));
  return { args: ['-r', 'tsconfig-paths/register', compiled], env: { TS_NODE_BASEURL: join(root, 'dist') }, cwd: root };
}

/** Runs a TypeScript entry point (src/main.ts, scripts/seed.ts...) as a process: see entryCommand. */
export function spawnEntry(entry: string, env: NodeJS.ProcessEnv, options: { stdio?: StdioOptions } = {}): ChildProcess {
  const command = entryCommand(entry);
  return spawn(process.execPath, command.args, { cwd: command.cwd, env: { ...env, ...command.env }, stdio: options.stdio });
}

/**
 * What `npm start` runs: the compiled build (scripts/start.js) when dist/ is up to date with the
 * sources (after `npm install`, in CI), else the sources under ts-node (a developer's edited tree).
 */
export function spawnMain(env: NodeJS.ProcessEnv, options: { stdio?: StdioOptions } = {}): ChildProcess {
  if (!serverIsFresh()) return spawnEntry('src/main.ts', env, options);
  return spawn(process.execPath, ['scripts/start.js'], { cwd: root, env, stdio: options.stdio });
}

export function startServer(env: NodeJS.ProcessEnv): ServerProcess {
  const port = Number(env.PORT);
  let out = '';
  const proc = spawnMain(env);
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const server: ServerProcess = {
    proc,
    port,
    output: () => out,
    async healthy(deadlineMs = 240_000) {
      await pollUntil(
        `/healthz on :${port}`,
        async () => {
          if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`server exited (${proc.exitCode}): ${out}`);
          return fetch(`http://127.0.0.1:${port}/healthz`).then(
            (r) => r.ok,
            () => false,
          );
        },
        deadlineMs,
      );
    },
    async exited(deadlineMs = 240_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`no exit within ${deadlineMs} ms: ${out}`)), deadlineMs)),
      );
      try {
        return await Promise.race([exit, timeout]);
      } finally {
        clearTimeout(timer);
        live.delete(server);
      }
    },
    async stop() {
      proc.kill('SIGTERM');
      return server.exited();
    },
  };
  live.add(server);
  return server;
}

/** afterAll: no server and no postgres outlives a spec, whatever it did. */
export async function cleanUp(dataDirs: string[]): Promise<void> {
  for (const s of [...live]) {
    if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
    live.delete(s);
  }
  for (const dir of dataDirs) {
    const found = postmasterOf(join(dir, 'pgdata'));
    if (found?.state !== 'orphan') continue;
    process.kill(found.pid, 'SIGINT');
    await pollUntil('the orphaned postgres to stop', () => !isAlive(found.pid), 20_000).catch(() => process.kill(found.pid, 'SIGKILL'));
  }
}
