#!/usr/bin/env node
/**
 * `MONGO_URL=mongodb://... npm run test:mongo`: the specs that exercise the document store, run with
 * the MongoDB adapter (no mock of the driver): the document-store contract and the outbox relay
 * (document-store.e2e-spec.ts), then the audit and funds-history reads over HTTP with every app's
 * documents in MongoDB. The PostgreSQL side is the usual one (TEST_DATABASE_URL or the embedded server).
 */
const { spawnSync } = require('node:child_process');

if (!process.env.MONGO_URL) {
  console.error('npm run test:mongo needs MONGO_URL, e.g. MONGO_URL="mongodb://127.0.0.1:27017/?replicaSet=rs0" npm run test:mongo');
  process.exit(1);
}
const SPECS = [
  'test/e2e/document-store.e2e-spec.ts',
  'test/e2e/funds.e2e-spec.ts',
  'test/e2e/foundation.e2e-spec.ts',
  'test/e2e/audit-redaction.e2e-spec.ts',
];
const r = spawnSync('npm', ['run', 'test:e2e', '--', ...SPECS, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, FINTECH_TEST_DOCUMENTS: 'mongodb' },
});
process.exit(r.status ?? 1);
