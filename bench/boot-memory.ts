/**
 * `npm start` as a user runs it, on the embedded PostgreSQL: time to the first
 * healthy /healthz on a fresh DATA_DIR (initdb, migrations, seed) and on reopening
 * it, then the idle memory of the whole process tree a user sees (npm, sh, node and
 * every postgres process), summed from /proc after BOOT_IDLE_SECONDS (10).
 * The compiled build is made first (what `npm install` does), so it is not timed.
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/boot-memory.ts
 * Env: BOOT_RUNS (3): fresh + reopen pairs; the table shows the median.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../libs/nest/net/free-port';

const ROOT = join(__dirname, '..');
const IDLE_S = Number(process.env.BOOT_IDLE_SECONDS ?? 10);
const RUNS = Number(process.env.BOOT_RUNS ?? 3);

interface Proc {
  pid: number;
  ppid: number;
  name: string;
  rssKb: number;
}

function procs(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${d}/status`, 'utf8'));
      out.push({ pid: Number(d), ppid, name, rssKb: rss ? Number(rss[1]) : 0 });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** The process tree under `root` (postgres runs in its own session, but its parent is still node). */
function tree(root: number): Proc[] {
  const all = procs();
  const found = all.filter((p) => p.pid === root);
  for (let i = 0; i < found.length; i++) found.push(...all.filter((p) => p.ppid === found[i].pid));
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function boot(dataDir: string): Promise<{ ms: number; rssMb: Record<string, number>; npm: ChildProcess }> {
  const port = await freePort();
  const started = performance.now();
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (npm.exitCode !== null) throw new Error(`npm start exited with ${npm.exitCode}`);
    if (Date.now() > deadline) throw new Error('not healthy within 120 s');
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await sleep(10);
  }
  const ms = performance.now() - started;
  await sleep(IDLE_S * 1000);
  const rssMb: Record<string, number> = {};
  for (const p of tree(npm.pid!)) {
    const key = p.name.startsWith('postgres') ? 'postgres' : p.name;
    rssMb[key] = (rssMb[key] ?? 0) + p.rssKb / 1024;
  }
  return { ms, rssMb, npm };
}

/** SIGTERM to node (npm's `sh -c` does not pass signals on), then wait for npm and postgres to be gone. */
async function stop(npm: ChildProcess): Promise<void> {
  const node = tree(npm.pid!).find((p) => p.name === 'node' && p.pid !== npm.pid);
  const exited = new Promise((r) => npm.once('exit', r));
  if (node) process.kill(node.pid, 'SIGTERM');
  await exited;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const fmt = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(' + ');

async function main(): Promise<void> {
  execFileSync(process.execPath, ['scripts/install-build.js', '--if-missing'], { cwd: ROOT, stdio: 'inherit' });
  const fresh: number[] = [];
  const reopen: number[] = [];
  const memory: number[] = [];
  let lastBreakdown = '';
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-boot-'));
    try {
      const first = await boot(dir);
      fresh.push(first.ms);
      await stop(first.npm);
      const again = await boot(dir);
      reopen.push(again.ms);
      memory.push(total(again.rssMb));
      lastBreakdown = fmt(again.rssMb);
      await stop(again.npm);
      console.error(
        `· run ${i + 1}: fresh ${first.ms.toFixed(0)} ms (idle ${total(first.rssMb).toFixed(0)} MB), ` +
          `reopen ${again.ms.toFixed(0)} ms, idle ${total(again.rssMb).toFixed(0)} MB (${lastBreakdown})`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(
    `npm start, embedded PostgreSQL, median of ${RUNS}: first boot ${(median(fresh) / 1000).toFixed(2)} s, ` +
      `reopen ${(median(reopen) / 1000).toFixed(2)} s to the first healthy /healthz; ` +
      `idle RSS of the whole tree after ${IDLE_S} s ${median(memory).toFixed(0)} MB (last: ${lastBreakdown}); load average ${load}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
