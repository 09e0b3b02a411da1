import { loadConfigFromProcess } from '../libs/nest/config/load-config';
import { readCredentials, urlOf } from '../libs/nest/persistence/embedded-postgres-files';

/**
 * `npm run db:url`: the connection URL of the database this configuration uses,
 * for psql and other tools: DATABASE_URL when set, else the embedded server's
 * (password included: it comes from DATA_DIR/embedded-postgres.json, mode 0600).
 */
const { config } = loadConfigFromProcess();
if (config.databaseUrl) {
  console.log(config.databaseUrl);
} else {
  const creds = readCredentials(config.dataDir);
  if (!creds) {
    console.error(`No embedded database in ${config.dataDir} yet: run \`npm start\` once first.`);
    process.exit(1);
  }
  console.log(urlOf(creds));
}
