import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations';

/**
 * The TypeORM data source of the CLI (`npm run migration:generate|revert|show`, which
 * go through scripts/typeorm-cli.ts: it resolves the database, embedded or not, into
 * DATABASE_URL). The schema is written as SQL migrations; `generate` diffs the
 * records (EntitySchemas) against the database, for a first draft to review.
 */
export default new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  entities: [join(__dirname, '../src/contexts/*/infrastructure/postgres/*.record{,s}.ts')],
  migrations: MIGRATIONS,
  migrationsTransactionMode: 'each',
  logging: ['error'],
});
