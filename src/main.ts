import 'reflect-metadata';
import { loadConfigFromProcess, ConfigError } from '@platform/config/load-config';
import { buildLogger } from '@platform/http/logger';
import { bootLogger, closeApp, createApp } from './bootstrap';

async function main(): Promise<void> {
  const started = Date.now();
  let loaded;
  try {
    loaded = loadConfigFromProcess();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message); // a clear reason, no stack
      process.exit(1);
    }
    throw e;
  }
  const { config, warnings } = loaded;
  // The app's logger does not exist yet: the same JSON format, so the first-boot warning is a line like every other.
  const early = buildLogger(config.logLevel);
  warnings.forEach((w) => early.warn(w, { context: 'Bootstrap' }));
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  bootLogger.log(
    `listening on http://${config.host}:${config.port} (${config.docsEnabled ? 'docs at /docs' : 'docs off'}) in ${Date.now() - started} ms, ` +
      `database: ${config.databaseUrl ? 'DATABASE_URL' : 'embedded PGlite'}, documents: ${config.mongoUrl ? 'MongoDB' : 'Postgres JSONB'}`,
  );

  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      bootLogger.log(`${signal}: draining requests and the outbox`);
      closeApp(app)
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
