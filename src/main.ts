import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfigOrExit } from '@platform/config/load-config';
import { buildLogger } from '@platform/http/logger';
import { startDatabase } from '@platform/persistence/database-server';
import { bootLogger, closeApp, createApp } from './bootstrap';

async function main(): Promise<void> {
  const started = Date.now();
  const loaded = loadConfigOrExit();
  // Before Nest: the migrations run at boot need the database up. (Warnings after it: a refusal stays one line.)
  const db = await startDatabase(loaded.config);
  const config = db.config;
  // The app's logger does not exist yet: the same JSON format, so the first-boot warning is a line like every other.
  const early = buildLogger(config.logLevel);
  loaded.warnings.forEach((w) => early.warn(w, { context: 'Bootstrap' }));
  let app: NestFastifyApplication;
  try {
    app = await createApp(config);
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await db.stop();
    throw e;
  }
  bootLogger.log(
    `listening on http://${config.host}:${config.port} (${config.docsEnabled ? 'docs at /docs' : 'docs off'}) in ${Date.now() - started} ms, ` +
      `database: ${db.describe}, documents: ${config.mongoUrl ? 'MongoDB' : 'Postgres JSONB'}`,
  );

  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      bootLogger.log(`${signal}: draining requests and the outbox`);
      closeApp(app)
        .then(() => db.stop()) // after the app: the relay's last flush needs the database
        .then(() => process.exit(0))
        .catch((e) => {
          bootLogger.error(`shutdown failed: ${(e as Error).message}`);
          process.exit(1);
        });
    });
  }
}

main().catch((e: unknown) => {
  bootLogger.error(`boot failed: ${(e as Error).message}`);
  process.exit(1);
});
