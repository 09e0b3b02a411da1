import { ChildProcess } from 'node:child_process';
import { spawnEntry } from './server-process';
import { TEST_KEYS } from './test-app';

export interface WorkerProcess {
  proc: ChildProcess;
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** kill -9: no shutdown hook runs, its jobs in flight are left active. */
  kill(): Promise<void>;
}

/** `npm run worker` as a real process on `databaseUrl` (what docker-compose's worker runs). */
export async function startWorkerProcess(databaseUrl: string, env: Record<string, string>): Promise<WorkerProcess> {
  let out = '';
  const proc = spawnEntry('src/worker.ts', {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    SEED_ON_BOOT: 'false',
    SCHEDULER_ENABLED: 'false',
    MIGRATIONS_RUN: 'false',
    DATABASE_URL: databaseUrl,
    ...TEST_KEYS,
    ...env,
    LOG_LEVEL: 'info', // its ready line
  });
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const deadline = Date.now() + 90_000;
  while (!out.includes('working jobs (no HTTP)')) {
    if (proc.exitCode !== null) throw new Error(`worker exited: ${out.slice(-2000)}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`worker did not start: ${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}
