import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import { loadConfigOrExit } from '../libs/nest/config/load-config';
import { AppConfig } from '../libs/nest/config/app-config';
import { RunningDatabase, startDatabase } from '../libs/nest/persistence/database-server';
import { AppModule } from '../src/app.module';

/** Boots the app without HTTP (for npm scripts), with scheduled jobs off. */
export async function withAppContext(
  work: (ctx: INestApplicationContext, config: AppConfig) => Promise<void>,
  overrides: Partial<AppConfig> = {},
): Promise<void> {
  const loaded = loadConfigOrExit();
  let ctx: INestApplicationContext | undefined;
  let db: RunningDatabase | undefined;
  try {
    // Many sessions: while `npm start` runs, scripts use its embedded server instead of refusing.
    db = await startDatabase(loaded.config, 'attach');
    const config: AppConfig = { ...db.config, schedulerEnabled: false, seedOnBoot: false, ...overrides };
    // Boot errors are thrown (not logged with a stack): the catch below prints one clear line.
    ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false, abortOnError: false });
    await work(ctx, config);
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  } finally {
    await ctx?.close();
    await db?.stop();
  }
}
