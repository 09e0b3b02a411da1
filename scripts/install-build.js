#!/usr/bin/env node
/**
 * What `npm install` / `npm ci` build (the root `prepare` script), and what
 * `npm start` (scripts/start.js) rebuilds before it runs the server.
 *
 * Steps (add one to STEPS to build something more):
 * - the server: TypeScript -> dist/ (tsc -p tsconfig.build.json --noCheck: emit only, the same output in about half
 *   the CPU; `npm run typecheck`, part of `npm test`, is the type check), rebuilt when missing or older
 *   than its sources; `npm start` runs that build, not ts-node (seconds and ~100 MB less).
 * - the operator console (console/, React + Vite) -> console/dist, served at /console.
 *
 * Plain Node (no ts-node): it runs before anything else is installed or compiled.
 * Usable as a module too: scripts/start.js calls `ensureBuilt({ ifMissing: true })`.
 */
const { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
let ifMissing = process.argv.includes('--if-missing');
// --no-server: `npm run start:dev` runs the sources under ts-node and needs only the console built.
const noServer = process.argv.includes('--no-server');

function run(cmd, args, cwd) {
  // --include=dev: building needs the console's devDependencies even under `npm ci --omit=dev` / NODE_ENV=production.
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^npm_config_(omit|only|production|ignore_scripts)$/i.test(k)) delete env[k];
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`install-build: \`${cmd} ${args.join(' ')}\` failed in ${cwd} (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

const newer = (a, b) => !existsSync(b) || statSync(a).mtimeMs > statSync(b).mtimeMs;

function buildConsole() {
  const dir = join(root, 'console');
  if (!existsSync(join(dir, 'package.json'))) return;
  const built = existsSync(join(dir, 'dist', 'index.html'));
  if (ifMissing && built) return;
  // The console has its own package.json: install it when missing or when its lock changed.
  if (newer(join(dir, 'package-lock.json'), join(dir, 'node_modules', '.package-lock.json'))) {
    run('npm', ['ci', '--include=dev', '--no-audit', '--no-fund', '--prefer-offline'], dir);
  }
  console.log(`install-build: building the console (console/dist)${ifMissing ? ': it was missing' : ''}`);
  run('npm', ['run', 'build'], dir);
}

/** Where the server's compiled output and its freshness stamp live. */
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');
const SERVER_SOURCES = ['src', 'libs', 'migrations', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** Newest mtime under the server's sources (a few hundred stats: milliseconds). */
function newestSource() {
  let newest = 0;
  const walk = (path) => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules') walk(join(path, name));
    } else if (st.mtimeMs > newest) newest = st.mtimeMs;
  };
  SERVER_SOURCES.forEach((p) => walk(join(root, p)));
  return newest;
}

function serverIsFresh() {
  const st = statSync(stamp, { throwIfNoEntry: false });
  return Boolean(st) && st.mtimeMs >= newestSource();
}

function buildServer() {
  if (noServer || serverIsFresh()) return;
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    // `npm ci --omit=dev` (a production image copies dist/ from its build stage): nothing to build with.
    if (existsSync(join(dist, 'src', 'main.js'))) return;
    console.error('install-build: dist/ is missing and TypeScript is not installed: run `npm install` (with dev dependencies)');
    process.exit(1);
  }
  const started = Date.now();
  console.log(`install-build: compiling the server (dist/)${existsSync(stamp) ? ': sources changed' : ''}`);
  // Into a scratch directory swapped in at the end: a server starting meanwhile never sees half a build.
  const scratch = join(root, 'dist.building');
  rmSync(scratch, { recursive: true, force: true });
  run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck', '--outDir', scratch, '--sourceMap', 'false'], root);
  writeFileSync(join(scratch, '.build-stamp'), new Date().toISOString() + '\n');
  const old = join(root, `dist.old-${process.pid}`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(scratch, dist);
  rmSync(old, { recursive: true, force: true });
  console.log(`install-build: server compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const STEPS = [buildServer, buildConsole];

function ensureBuilt(options = {}) {
  if (options.ifMissing !== undefined) ifMissing = options.ifMissing;
  for (const step of STEPS) step();
}

module.exports = { ensureBuilt, serverIsFresh };
if (require.main === module) ensureBuilt();
