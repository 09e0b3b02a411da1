import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WinstonModule } from 'nest-winston';
import { loadConfigOrExit } from '@platform/config/load-config';
import { buildLogger } from '@platform/http/logger';
import { AppModule } from './app.module';
import { bootLogger } from './bootstrap';

/**
 * `npm run worker`: the same modules as the API without HTTP. It works every job
 * (exchange-sync users, notifications, scheduled jobs) next to the API instances,
 * on the database they use, and runs the clock too (its ticks are keyed, so
 * instances never double a tick).
 */
/** Touched every 10 s while the event loop runs: docker-compose's healthcheck reads its age (no HTTP here). */
export const WORKER_HEARTBEAT_FILE = join(tmpdir(), 'fintech-worker.alive');

async function main(): Promise<void> {
  const started = Date.now();
  const loaded = loadConfigOrExit();
  if (!loaded.config.databaseUrl) {
    console.error('npm run worker needs DATABASE_URL: the PostgreSQL server the API instances use');
    process.exit(1);
  }
  loaded.warnings.forEach((w) => bootLogger.warn(w));
  const config = { ...loaded.config, jobsWorkerEnabled: true };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: WinstonModule.createLogger({ instance: buildLogger(config.logLevel) }),
    abortOnError: false,
  });
  await app.init();
  bootLogger.log(`worker ${config.instanceId} working jobs (no HTTP) in ${Date.now() - started} ms`);
  const beat = () => writeFileSync(WORKER_HEARTBEAT_FILE, new Date().toISOString());
  beat();
  setInterval(beat, 10_000).unref();

  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      bootLogger.log(`${signal}: finishing the jobs in flight`);
      app
        .close()
        .then(() => process.exit(0))
        .catch((e: unknown) => {
          bootLogger.error(`shutdown failed: ${(e as Error).message}`);
          process.exit(1);
        });
    });
  }
}

main().catch((e: unknown) => {
  bootLogger.error(`worker boot failed: ${(e as Error).message}`);
  process.exit(1);
});
