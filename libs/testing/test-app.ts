import 'reflect-metadata';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock } from '@kernel';
import { FakeClock } from './fake-clock';
import { loadConfig } from '../nest/config/load-config';
import { AppConfig } from '../nest/config/app-config';
import { AppModule } from '../../src/app.module';
import { closeApp, createApp } from '../../src/bootstrap';
import { createTestDatabase, TestDatabase } from './test-database';
import { OutboxRelay } from '../nest/documents/outbox-relay.service';
import { SeedRegistry } from '../nest/seed/seed.registry';

export const TEST_KEYS = {
  SECRET_KEY: 'test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz',
  ENCRYPTION_KEY: Buffer.from('0123456789abcdef0123456789ABCDEF').toString('base64'),
};

export interface TestAppOptions {
  env?: Record<string, string | undefined>;
  /** Use a FakeClock (returned as `clock`). */
  fakeClock?: boolean | string;
  /** Reuse a database (restart scenarios); otherwise a fresh one is made. */
  db?: TestDatabase;
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  db: TestDatabase;
  clock?: FakeClock;
  dataSource: DataSource;
  /** Close the app; drops the database unless `keepDb`. */
  close(keepDb?: boolean): Promise<void>;
  /** Register + login; returns the bearer token and user id. */
  register(email?: string, password?: string, extra?: Record<string, unknown>): Promise<{ token: string; id: string; email: string }>;
  login(login: string, password: string): Promise<string>;
  /** Creates the dev users (admin/admin1234, client1/client1234) and logs admin in. */
  adminToken(): Promise<string>;
}

/**
 * `npm run test:mongo` (FINTECH_TEST_DOCUMENTS=mongodb + MONGO_URL): every app a spec boots keeps
 * its documents (audit, fund transactions) in MongoDB, in a database named like its PostgreSQL one.
 */
function mongoDocuments(db: TestDatabase): Record<string, string> {
  const url = process.env.MONGO_URL;
  if (process.env.FINTECH_TEST_DOCUMENTS !== 'mongodb' || !url) return {};
  return { MONGO_URL: url, MONGO_DB: new URL(db.url).pathname.slice(1) };
}

async function dropMongoDatabase(url: string, name: string): Promise<void> {
  const { MongoClient } = await import('mongodb'); // only under npm run test:mongo
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

let counter = 0;
export const uniqueEmail = (prefix = 'user') => `${prefix}.${process.pid}.${Date.now()}.${++counter}@example.com`;

/** Boots the real app (same bootstrap as main.ts) on a fresh database. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const { config } = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_ON_BOOT: 'false',
    SCHEDULER_ENABLED: 'false',
    RATE_LIMIT_REGISTER_PER_MIN: '1000',
    RATE_LIMIT_LOGIN_PER_MIN: '1000',
    RATE_LIMIT_DEFAULT_PER_MIN: '100000',
    ALLOWED_HOSTS: '127.0.0.1,localhost',
    // Nothing reaches the internet: a spec without the Binance fake gets "connection refused" at once (port 9, discard).
    BINANCE_TESTNET_BASE_URL: 'http://127.0.0.1:9',
    BINANCE_BASE_URL: 'http://127.0.0.1:9',
    // Hundreds of register/login calls per run: cost 4 under NODE_ENV=test only (the schema keeps >= 12 elsewhere).
    ...(options.env?.NODE_ENV && options.env.NODE_ENV !== 'test' ? {} : { BCRYPT_COST: '4' }),
    DATABASE_URL: db.url,
    ...TEST_KEYS,
    ...mongoDocuments(db),
    ...options.env,
  });
  const clock = options.fakeClock ? new FakeClock(typeof options.fakeClock === 'string' ? options.fakeClock : undefined) : undefined;
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (clock) builder = builder.overrideProvider(Clock).useValue(clock);
  if (options.override) builder = options.override(builder);
  const moduleRef = await builder.compile();
  const app = await createApp(config, {
    factory: (adapter, opts) => moduleRef.createNestApplication<NestFastifyApplication>(adapter, opts),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const http = request(app.getHttpServer());
  const dataSource = app.get(DataSource);

  const t: TestApp = {
    app,
    http,
    config,
    db,
    clock,
    dataSource,
    async close(keepDb = false) {
      await app
        .get(OutboxRelay)
        .flush()
        .catch(() => undefined);
      await closeApp(app);
      if (!keepDb) await db.drop();
      if (!keepDb && config.mongoUrl) await dropMongoDatabase(config.mongoUrl, config.mongoDb);
    },
    async register(email = uniqueEmail(), password = 'Trader123!', extra = {}) {
      const res = await http.post('/auth/register').send({ email, password, ...extra });
      if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: await t.login(email, password), id: res.body.id, email };
    },
    async login(login: string, password: string) {
      const res = await http.post('/auth/login').type('form').send({ username: login, password });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.access_token as string;
    },
    async adminToken() {
      await app.get(SeedRegistry).runAll(false);
      return t.login('admin', 'admin1234');
    },
  };
  return t;
}
