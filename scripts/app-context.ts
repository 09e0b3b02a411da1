import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import { ConfigError, loadConfigFromProcess } from '../libs/nest/config/load-config';
import { AppConfig } from '../libs/nest/config/app-config';
import { DatabaseServer } from '../libs/nest/persistence/persistence.module';
import { AppModule } from '../src/app.module';

/** Boots the app without HTTP (for npm scripts), with scheduled jobs off. */
export async function withAppContext(
  work: (ctx: INestApplicationContext, config: AppConfig) => Promise<void>,
  overrides: Partial<AppConfig> = {},
): Promise<void> {
  let loaded;
  try {
    loaded = loadConfigFromProcess();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const config: AppConfig = { ...loaded.config, schedulerEnabled: false, seedOnBoot: false, ...overrides };
  let ctx: INestApplicationContext | undefined;
  try {
    // Boot errors are thrown (not logged with a stack): the catch below prints one clear line.
    ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false, abortOnError: false });
    await work(ctx, config);
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  } finally {
    if (ctx) {
      const db = ctx.get(DatabaseServer);
      await ctx.close();
      await db.stop();
    }
  }
}
