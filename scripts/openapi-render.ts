import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { loadConfig } from '../libs/nest/config/load-config';
import { buildOpenApiDocument } from '../libs/nest/http/openapi';
import { AppModule } from '../src/app.module';

/** Fixed inputs so the file depends on the code only (no database is opened: Nest's preview mode). */
const EXPORT_ENV = {
  NODE_ENV: 'development',
  PORT: '8000',
  DATABASE_URL: 'postgres://export@127.0.0.1:1/export',
  SECRET_KEY: 'openapi-export-only-0123456789-abcdefghijklmnopqrstuvwxyz',
  ENCRYPTION_KEY: Buffer.from('openapi-export-only-key-32bytes!').toString('base64'),
};

/** The OpenAPI document exactly as /docs-json serves it, as the text of openapi.json. */
export async function renderOpenApi(): Promise<string> {
  const { config } = loadConfig(EXPORT_ENV);
  const app = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return JSON.stringify(buildOpenApiDocument(app, config.port), null, 2) + '\n';
  } finally {
    await app.close();
  }
}
