import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../libs/nest/net/free-port';
import { spawnMain } from '../libs/testing/server-process';
import { RunningFakes, startFakes } from './fakes';

export interface TestServer {
  baseUrl: string;
  /** The server's DATA_DIR (its dev-keys.json holds the development ENCRYPTION_KEY). */
  dataDir: string;
  fakes: RunningFakes;
  stop(): Promise<void>;
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * The server as `npm start` runs it (the compiled build when dist/ is fresh, else ts-node; development mode, dev users seeded) on a FRESH database
 * (a new one on TEST_DATABASE_URL's server, else the embedded default in a temp DATA_DIR),
 * pointed at the exchange fakes. Used by `npm run test:postman` and `npm run docs:check`.
 */
export async function startTestServer(name: string): Promise<TestServer> {
  const fakes = await startFakes();
  const dataDir = mkdtempSync(join(tmpdir(), `fintech-${name}-`));
  const server = process.env.TEST_DATABASE_URL;
  const dbName = `fintech_test_${name.replace(/\W/g, '_')}_${process.pid}`;
  let databaseUrl = '';
  if (server) {
    await adminQuery(server, `CREATE DATABASE ${dbName}`);
    const u = new URL(server);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawnMain(
    {
      ...process.env,
      ...fakes.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      SEED_ON_BOOT: 'true',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_REGISTER_PER_MIN: '1000',
      RATE_LIMIT_LOGIN_PER_MIN: '1000',
    },
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
    await fakes.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (server) await adminQuery(server, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  };
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
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl, dataDir, fakes, stop };
}

/**
 * A script's whole life on one test server: start it, run every check in order (each runs even when an
 * earlier one failed, so one run reports them all), stop it, exit 0 only if every check passed.
 */
export function runOnTestServer(name: string, ...checks: ((server: TestServer) => Promise<boolean>)[]): void {
  const main = async (): Promise<boolean> => {
    const server = await startTestServer(name);
    try {
      let ok = true;
      for (const check of checks) ok = (await check(server)) && ok;
      return ok;
    } finally {
      await server.stop();
    }
  };
  main().then(
    (ok) => process.exit(ok ? 0 : 1),
    (e: unknown) => {
      console.error((e as Error).stack ?? String(e));
      process.exit(1);
    },
  );
}
