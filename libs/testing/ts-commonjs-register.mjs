// `node --import ./libs/testing/ts-commonjs-register.mjs -r @swc-node/register`: see ts-commonjs-hooks.mjs.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

register('./ts-commonjs-hooks.mjs', import.meta.url);

// The runner's worker threads read these options from the main thread's environment when they start; the processes
// a spec spawns from a worker (servers, npm scripts under ts-node) must not get them: they would load both
// TypeScript hooks and compile every file twice. A worker's process.env is its own copy.
if (!isMainThread && process.env.NODE_OPTIONS) {
  const rest = process.env.NODE_OPTIONS.replace(/--import \S*ts-commonjs-register\.mjs|-r @swc-node\/register/g, '').trim();
  if (rest) process.env.NODE_OPTIONS = rest;
  else delete process.env.NODE_OPTIONS;
}
