import { spawn } from 'node:child_process';
import { fail, openDatabase } from './db/database';

/**
 * `npm run migration:show|revert|generate`: TypeORM's CLI on scripts/data-source.ts,
 * against DATABASE_URL or the embedded default (started for the command, stopped after).
 */
async function main(): Promise<void> {
  const db = await openDatabase();
  try {
    const code = await new Promise<number>((resolve) => {
      const cli = spawn(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          '-r',
          'tsconfig-paths/register',
          require.resolve('typeorm/cli.js'),
          ...process.argv.slice(2),
          '-d',
          'scripts/data-source.ts',
        ],
        { stdio: 'inherit', env: { ...process.env, DATABASE_URL: db.url } },
      );
      cli.on('exit', (c) => resolve(c ?? 1));
    });
    process.exitCode = code;
  } finally {
    await db.close();
  }
}

main().catch((e) => fail(e, []));
