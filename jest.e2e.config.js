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
  maxWorkers: 2,
  testSequencer: '<rootDir>/libs/testing/slow-first-sequencer.js',
};
