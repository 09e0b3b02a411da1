import { ConfigError, loadConfigFromProcess } from '../../libs/nest/config/load-config';
import { AppConfig } from '../../libs/nest/config/app-config';
import { EmbeddedPostgres } from '../../libs/nest/persistence/embedded-postgres';

export interface OpenDatabase {
  config: AppConfig;
  url: string;
  close(): Promise<void>;
}

/**
 * The database the server uses, as a plain connection URL: DATABASE_URL, or the
 * embedded default under DATA_DIR (started for the script, stopped after).
 */
export async function openDatabase(): Promise<OpenDatabase> {
  const { config } = loadConfigFromProcess();
  if (config.databaseUrl) return { config, url: config.databaseUrl, close: async () => undefined };
  const embedded = new EmbeddedPostgres(config.dataDir);
  const url = await embedded.start();
  return { config, url, close: () => embedded.stop() };
}

/** One clear line and exit 1 for the failures a user can act on. */
export function fail(e: unknown, known: (new (...a: never[]) => Error)[]): never {
  const err = e as Error;
  console.error(err instanceof ConfigError || known.some((K) => err instanceof K) ? err.message : (err.stack ?? String(err)));
  process.exit(1);
}
