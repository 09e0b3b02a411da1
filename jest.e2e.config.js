// e2e tier: the real app over HTTP (supertest) against a real PostgreSQL
// (TEST_DATABASE_URL, one fresh database per spec cloned from a migrated template)
// or, when no server is configured, an embedded PGlite per spec.
const unit = require('./jest.unit.config');
module.exports = {
  ...unit,
  roots: ['<rootDir>/test'],
  testRegex: '.*\\.e2e-spec\\.ts$',
  globalSetup: '<rootDir>/libs/testing/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
