import { AppConfig } from '../config/app-config';
import { EmbeddedPostgres } from './embedded-postgres';

/**
 * The database a process runs on, decided before Nest boots (so before the
 * migrations): DATABASE_URL as given, or the embedded PostgreSQL server under
 * DATA_DIR. `config` is the AppConfig to boot the app with (its databaseUrl
 * points at whichever it is); `stop()` runs after the app has closed.
 */
export interface RunningDatabase {
  config: AppConfig;
  embedded?: EmbeddedPostgres;
  /** For the boot line: never contains the password. */
  describe: string;
  stop(): Promise<void>;
}

/**
 * `own`: the server process (a second one on the same DATA_DIR is refused);
 * `attach`: npm scripts, which use the server a running `npm start` owns.
 */
export async function startDatabase(config: AppConfig, mode: 'own' | 'attach' = 'own'): Promise<RunningDatabase> {
  if (config.databaseUrl) return { config, describe: 'DATABASE_URL', stop: async () => undefined };
  const options = { dataDir: config.dataDir, port: config.embeddedDatabasePort };
  const started = Date.now();
  const embedded = mode === 'own' ? await EmbeddedPostgres.start(options) : await EmbeddedPostgres.attachOrStart(options);
  const how = embedded.owned ? `started in ${Date.now() - started} ms` : 'of the running server';
  return {
    config: { ...config, databaseUrl: embedded.url },
    embedded,
    describe: `embedded PostgreSQL on 127.0.0.1:${embedded.credentials.port} (${how}, data in ${embedded.pgdata})`,
    stop: () => embedded.stop(),
  };
}
