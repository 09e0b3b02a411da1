import { checkReadme } from './docs-check';
import { runCollection } from './test-postman';
import { runOnTestServer } from './test-server';

/**
 * `npm run test:ops` (what .ci/run calls): `npm run test:postman` then `npm run docs:check` against ONE server
 * start (fresh database, exchange fakes) instead of two. The collection leaves the server as it found it (the
 * key rotated back, the kill switch released) and uses its own users, so the README's flows run after it as on
 * a fresh server.
 */
runOnTestServer('ops', runCollection, checkReadme);
