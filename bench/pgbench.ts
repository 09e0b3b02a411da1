/**
 * The database floor for money writes: pgbench's built-in TPC-B-like script
 * (scale 4, 32 clients) on the same PostgreSQL server, in a database of its own
 * (created by the caller with freshBenchDatabase).
 */
import { execFileSync } from 'node:child_process';

function connArgs(url: string): string[] {
  const u = new URL(url);
  return ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), u.pathname.slice(1)];
}

const env = (url: string) => ({ ...process.env, PGPASSWORD: decodeURIComponent(new URL(url).password) });

export function pgbenchInit(url: string, scale = 4): void {
  execFileSync('pgbench', ['-i', '-q', '-s', String(scale), ...connArgs(url)], { stdio: 'ignore', env: env(url) });
}

/** Transactions per second of one TPC-B-like run (`-n`: no vacuum between runs, the tables stay as they are). */
export function pgbenchRun(url: string, clients: number, seconds: number): number {
  const out = execFileSync('pgbench', ['-n', '-c', String(clients), '-j', '2', '-T', String(seconds), ...connArgs(url)], {
    env: env(url),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  if (!m) throw new Error(`pgbench printed no tps:\n${out}`);
  const failed = /number of failed transactions: (\d+)/.exec(out);
  if (failed && Number(failed[1]) > 0) throw new Error(`pgbench: ${failed[1]} failed transactions`);
  return Number(m[1]);
}
