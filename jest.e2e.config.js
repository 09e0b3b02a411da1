// e2e tier: the real app over HTTP (supertest) against a real PostgreSQL
// server, one fresh database per spec cloned from a migrated template: TEST_DATABASE_URL,
// or, when it is unset, ONE embedded PostgreSQL that globalSetup starts for the run.
const unit = require('./jest.unit.config');
module.exports = {
  ...unit,
  roots: ['<rootDir>/test'],
  testRegex: '.*\\.e2e-spec\\.ts$',
  globalSetup: '<rootDir>/libs/testing/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/global-teardown.ts',
  testTimeout: 60000,
  // 3 workers on 2 cores: a spec spends part of its time waiting on its child processes, PostgreSQL and timers
  // (2 workers left the cores 29 % idle). Measured back to back on this machine, quiet: 203 s with 2, 152 s with 3,
  // 161 s with 4 (fuzz, CPU-bound, then takes 104 s and ends last).
  maxWorkers: 3,
  testSequencer: '<rootDir>/libs/testing/slow-first-sequencer.js',
  // Specs run in plain Node worker threads that keep their loaded modules from one spec file to the next: the app's
  // ~2,200 modules load once per worker, not once per spec file as in Jest's default sandbox (10 short specs:
  // 51.6 CPU s there, 29.6 here). Each spec boots its own app on its own database as before; what a spec must not
  // assume is a fresh module state (prom-client's default registry is shared by the apps of one worker, so the
  // metrics spec counts what its own requests add). TypeScript compiles through @swc-node/register (NODE_OPTIONS in
  // package.json's test:e2e, with libs/testing/ts-commonjs-register.mjs handing .ts files to CommonJS).
  runner: 'jest-light-runner',
};
