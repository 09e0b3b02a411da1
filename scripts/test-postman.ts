import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCollection, COLLECTION, ENVIRONMENT } from './postman/build';
import { runOnTestServer, TestServer } from './test-server';

/** The part of newman's API we use (it ships no types). */
interface NewmanSummary {
  run: { failures: unknown[]; stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } } };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const newman = require('newman') as { run(options: object, done: (err: Error | null, summary: NewmanSummary) => void): void };

/** The collection (rebuilt from scripts/postman/) against a running server with newman; true with 0 failures. */
export async function runCollection(server: TestServer): Promise<boolean> {
  const counts = buildCollection();
  // The key rotation requests start from the server's current key: the development key it generated.
  const keys = JSON.parse(readFileSync(join(server.dataDir, 'dev-keys.json'), 'utf8')) as { ENCRYPTION_KEY: string };
  const summary = await new Promise<NewmanSummary>((resolve, reject) =>
    newman.run(
      {
        collection: COLLECTION,
        environment: ENVIRONMENT,
        envVar: [
          { key: 'baseUrl', value: server.baseUrl },
          { key: 'email', value: `postman.${Date.now()}@example.com` },
          { key: 'encryptionKey', value: keys.ENCRYPTION_KEY },
        ],
        reporters: ['cli'],
      },
      (err, s) => (err ? reject(err) : resolve(s)),
    ),
  );
  const failures = summary.run.failures.length;
  const { requests, assertions } = summary.run.stats;
  console.log(
    `postman: ${requests.total} requests, ${assertions.total} assertions, ${failures} failures (collection: ${counts.requests} requests)`,
  );
  return failures === 0 && requests.failed === 0;
}

/**
 * `npm run test:postman`: the collection against a server started on a FRESH database
 * (a new one on TEST_DATABASE_URL's server, else the embedded default in a temp DATA_DIR)
 * and the exchange fakes, with newman. Exit 1 on any failed assertion.
 */
if (require.main === module) runOnTestServer('postman', runCollection);
