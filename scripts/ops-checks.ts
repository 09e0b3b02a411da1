import { checkReadme } from './docs-check';
import { runCollection } from './test-postman';
import { startTestServer } from './test-server';

/**
 * `npm run test:ops` (what .ci/run calls): `npm run test:postman` then `npm run docs:check` against ONE server
 * start (fresh database, exchange fakes) instead of two. The collection leaves the server as it found it (the
 * key rotated back, the kill switch released) and uses its own users, so the README's flows run after it as on
 * a fresh server.
 */
async function main(): Promise<void> {
  const server = await startTestServer('ops');
  let ok = false;
  try {
    const postman = await runCollection(server);
    const readme = await checkReadme(server);
    ok = postman && readme;
  } finally {
    await server.stop();
  }
  process.exit(ok ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error((e as Error).stack ?? String(e));
  process.exit(1);
});
