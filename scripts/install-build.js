#!/usr/bin/env node
/**
 * What `npm install` / `npm ci` build for the server to serve (the root `prepare` script),
 * and what `npm start` builds lazily when it is missing (`--if-missing`).
 *
 * Today: the operator console (console/, React + Vite) -> console/dist, served at /console.
 * Note for `embedded` (issue 10, "start from a build made at install"): add the server
 * build as another step in STEPS below rather than a second `prepare`, so one script owns it.
 *
 * Plain Node (no ts-node): it runs before anything else is installed or compiled.
 */
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const ifMissing = process.argv.includes('--if-missing');

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

const STEPS = [buildConsole];
for (const step of STEPS) step();
