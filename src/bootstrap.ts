import { Logger, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { WinstonModule } from 'nest-winston';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '@platform/config/app-config';
import { SeedRegistry } from '@platform/seed/seed.registry';
import { buildLogger } from '@platform/http/logger';
import { errorBody } from '@platform/http/error-body';
import { validationPipe } from '@platform/http/validation';
import { buildOpenApiDocument } from '@platform/http/openapi';
import { AppMetrics } from '@platform/metrics/app-metrics';
import { CONSOLE_CSP_DIRECTIVES, isConsolePath, registerConsole } from '@platform/console/console-static';
import { AppModule } from './app.module';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type AppFactory = (adapter: FastifyAdapter, options: NestApplicationOptions) => NestFastifyApplication;

export interface CreateAppOptions {
  /** Tests pass a compiled TestingModule's factory so they can swap providers (a fake clock...). */
  factory?: AppFactory;
}

/** Builds the whole HTTP app; main.ts and the e2e tests share it. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const winston = buildLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logger: false,
    routerOptions: { ignoreTrailingSlash: true }, // the loans clients call /api/auth/token/
    // Errors Fastify's router raises before Nest sees the request (overlong path
    // parameters, malformed URLs) get the same JSON error body as everything else.
    frameworkErrors: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      const status = (err as { statusCode?: number }).statusCode ?? 400;
      const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long' : 'Malformed request URL';
      void reply.status(status).send(errorBody(status, message, req.id, { code: err.code }));
    },
  });
  const appOptions: NestApplicationOptions = { logger: WinstonModule.createLogger({ instance: winston }), abortOnError: false };
  const app = options.factory
    ? options.factory(adapter, appOptions)
    : await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, appOptions);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain'); // JSON or form only: anything else is 415

  fastify.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const host = (req.headers.host ?? '')
      .replace(/:\d+$/, '')
      .replace(/^\[|\]$/g, '')
      .toLowerCase();
    if (!config.allowedHosts.includes('*') && !config.allowedHosts.includes(host)) {
      return reply.status(400).send(errorBody(400, 'Invalid host header', req.id, { code: 'invalid_host' }));
    }
  });
  // Every answer may carry a token, a secret or personal data: no browser or proxy cache keeps any of them
  // (login, refresh, 2FA setup/enrolment included). A route that wants caching sets its own header.
  fastify.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('cache-control')) void reply.header('Cache-Control', 'no-store');
    return payload;
  });
  const metrics = app.get(AppMetrics);
  fastify.addHook('onResponse', async (req, reply) => {
    // The route template (/api/loans/:id), never the raw URL: one series per route, not per id.
    metrics.recordHttp(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    if (!winston.isInfoEnabled()) return;
    winston.info('request', {
      context: 'access',
      method: req.method,
      path: req.url.split('?')[0],
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      request_id: req.id,
      user_id: (req as unknown as { user?: { id: string } }).user?.id,
      ip: req.ip,
    });
  });

  // helmet built once (the @fastify/helmet plugin rebuilt it, CSP parsing included, on every request).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // Swagger UI
        imgSrc: ["'self'", 'data:'],
        upgradeInsecureRequests: null, // Swagger over plain http on a LAN host must keep working
      },
    },
  });
  const consoleHeaders = helmet({ contentSecurityPolicy: { directives: CONSOLE_CSP_DIRECTIVES } });
  fastify.addHook('onRequest', (req, reply, done) =>
    (isConsolePath(req.url) ? consoleHeaders : securityHeaders)(req.raw, reply.raw, (err) => done(err as Error | undefined)),
  );
  await app.register(cors, {
    origin: config.allowedOrigins.includes('*') ? true : config.allowedOrigins,
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], // the plugin's default is GET,HEAD,POST only
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
  await app.register(compress, { threshold: 1024 });
  await registerConsole(fastify); // the operator console at /console (console/dist)

  app.useGlobalPipes(validationPipe);

  if (config.docsEnabled) {
    // A factory: the document is built on the first request to /docs or /docs-json, not at every boot, where it was
    // about half of the boot's CPU (175 of ~330 ms measured with --cpu-prof; the e2e tier boots the app ~80 times).
    const document = () => buildOpenApiDocument(app, config.port);
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
  }

  try {
    await app.init();
  } catch (e) {
    await closeApp(app).catch(() => undefined); // a refused boot (a startup check) leaves no pool or server behind
    throw e;
  }
  if (config.seedOnBoot) await app.get(SeedRegistry).runAll(config.nodeEnv === 'production');
  return app;
}

/** Stops HTTP (in-flight requests finish), flushes the outbox, closes the pool (an embedded server is stopped after, by its owner). */
export async function closeApp(app: NestFastifyApplication): Promise<void> {
  await app.close();
}

export const bootLogger = new Logger('Bootstrap');
