import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../libs/nest/net/free-port';
import { startFakes } from './fakes';
import { buildCollection, COLLECTION, ENVIRONMENT } from './postman/build';

/** The part of newman's API we use (it ships no types). */
interface NewmanSummary {
  run: { failures: unknown[]; stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } } };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const newman = require('newman') as { run(options: object, done: (err: Error | null, summary: NewmanSummary) => void): void };

/**
 * `npm run test:postman`: the collection against a server started on a FRESH database
 * (a new one on TEST_DATABASE_URL's server, else the embedded default in a temp DATA_DIR)
 * and the exchange fakes, with newman. Exit 1 on any failed assertion.
 */
async function main(): Promise<void> {
  const counts = buildCollection();
  const fakes = await startFakes();
  const dataDir = mkdtempSync(join(tmpdir(), 'fintech-postman-'));
  const server = process.env.TEST_DATABASE_URL;
  const dbName = `fintech_test_postman_${process.pid}`;
  let databaseUrl: string | undefined;
  if (server) {
    const admin = new Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(server);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/main.ts'],
    {
      env: {
        ...process.env,
        ...fakes.env,
        NODE_ENV: 'development',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl ?? '',
        SEED_ON_BOOT: 'true',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_REGISTER_PER_MIN: '1000',
        RATE_LIMIT_LOGIN_PER_MIN: '1000',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  let status = 1;
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const up = await fetch(`${baseUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 250));
    }
    const summary = await new Promise<NewmanSummary>((resolve, reject) =>
      newman.run(
        {
          collection: COLLECTION,
          environment: ENVIRONMENT,
          envVar: [
            { key: 'baseUrl', value: baseUrl },
            { key: 'email', value: `postman.${Date.now()}@example.com` },
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
    status = failures === 0 && requests.failed === 0 ? 0 : 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    await fakes.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (server) {
      const admin = new Client({ connectionString: server });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  }
  process.exit(status);
}

main().catch((e: unknown) => {
  console.error((e as Error).stack ?? String(e));
  process.exit(1);
});
