import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { RouteSchema } from '@nestjs/platform-fastify';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DocumentStore } from '@kernel';
import { Public } from '../auth/auth.decorators';
import { AppConfig } from '../config/app-config';
import { OutboxRelay } from '../documents/outbox-relay.service';
import { ReadinessChecks } from './readiness.registry';
import { lazyRequire } from '../lazy-require';

const ioredis = lazyRequire<typeof import('ioredis')>('ioredis'); // only when REDIS_URL is set

export class HealthzResponse {
  @ApiProperty({ enum: ['ok'], example: 'ok' }) status: 'ok';
}

/** Terminus' result: each check under info/error/details with its own status. */
const indicators: SchemaObject = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
};
const READINESS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status', 'details'],
  properties: {
    status: { type: 'string', example: 'ok' },
    info: { ...indicators, nullable: true },
    error: { ...indicators, nullable: true },
    details: {
      ...indicators,
      example: { database: { status: 'up' }, document_store: { status: 'up', kind: 'postgres', outbox_pending: 0 } },
    },
  },
};

@ApiTags('platform')
@Controller()
@Public()
@SkipThrottle()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    private readonly store: DocumentStore,
    private readonly relay: OutboxRelay,
    private readonly config: AppConfig,
    private readonly contributed: ReadinessChecks,
  ) {}

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process answers.' })
  @ApiOkResponse({ type: HealthzResponse, description: 'The process is alive.' })
  @RouteSchema({ response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } })
  healthz(): HealthzResponse {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOkResponse({ description: 'Ready: every check (database, document store, Redis when configured) is up.', schema: READINESS_SCHEMA })
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: database, document store (and Redis when configured), vault keys.',
    description: '503 when a check is down, e.g. vault_keys: stored values sealed with a key id the keyring does not have.',
  })
  readyz() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2000 }),
      async () => {
        const check = this.indicator.check('document_store');
        try {
          await this.store.ping();
          return check.up({ kind: this.store.kind, outbox_pending: await this.relay.pending() });
        } catch (e) {
          return check.down({ kind: this.store.kind, message: 'unreachable' });
        }
      },
      ...(this.config.redisUrl ? [() => this.redisCheck(this.config.redisUrl!)] : []),
      ...this.contributed.entries().map(([name, run]) => async () => {
        const check = this.indicator.check(name);
        const r = await run().catch((e: Error) => ({ up: false, details: { message: e.message } }));
        return r.up ? check.up(r.details) : check.down(r.details);
      }),
    ]);
  }

  private async redisCheck(url: string) {
    const check = this.indicator.check('redis');
    const client = new (ioredis().default)(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 });
    try {
      await client.connect();
      await client.ping();
      return check.up();
    } catch {
      return check.down({ message: 'unreachable' });
    } finally {
      client.disconnect();
    }
  }
}
