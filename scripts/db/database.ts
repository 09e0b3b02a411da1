import { ConfigError, loadConfigFromProcess } from '../../libs/nest/config/load-config';
import { AppConfig } from '../../libs/nest/config/app-config';
import { startDatabase } from '../../libs/nest/persistence/database-server';

export interface OpenDatabase {
  config: AppConfig;
  url: string;
  close(): Promise<void>;
}

/**
 * The database the server uses, as a plain connection URL: DATABASE_URL, or the
 * embedded default under DATA_DIR (the running server's when `npm start` runs,
 * else started for the script and stopped after).
 */
export async function openDatabase(): Promise<OpenDatabase> {
  const { config } = loadConfigFromProcess();
  const db = await startDatabase(config, 'attach');
  return { config, url: db.config.databaseUrl!, close: () => db.stop() };
}

export const mongoOf = (config: AppConfig) => (config.mongoUrl ? { url: config.mongoUrl, database: config.mongoDb } : undefined);

/** One clear line and exit 1 for the failures a user can act on. */
export function fail(e: unknown, known: (new (...a: never[]) => Error)[]): never {
  const err = e as Error;
  console.error(err instanceof ConfigError || known.some((K) => err instanceof K) ? err.message : (err.stack ?? String(err)));
  process.exit(1);
}
