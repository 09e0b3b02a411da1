import { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { THROTTLER_SKIP } from '@nestjs/throttler/dist/throttler.constants';
import { IS_PUBLIC, ROLES } from '../auth/auth.decorators';
import { IDEMPOTENT } from '../idempotency/idempotency.interceptor';
import { ErrorResponse } from './error-response.dto';

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponse' };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Where each status happens, in the platform's own terms (routes add their specific wording). */
const GENERIC: Record<number, string> = {
  400: 'Bad input: a field named in `errors`, an unknown field, a malformed body, URL or host header',
  401: 'Missing, expired or revoked bearer token',
  403: 'Authenticated, but this route needs another role (admin)',
  404: 'Not found (someone else\u2019s resource is also a 404)',
  409: 'Conflict: the Idempotency-Key was reused with a different payload, or is still in progress',
  413: 'Body over the 1 MB limit',
  415: 'Content type other than JSON (or form, for login)',
  423: 'The kill switch is engaged: no order is placed',
  429: 'Rate limit: retry after the Retry-After header\u2019s seconds',
  502: 'An upstream (exchange or document store) failed or is unreachable: a controlled answer, nothing half-done',
};

/** Paths whose handlers call an exchange or read the document store (502), or place orders (423). */
const UPSTREAM = /^\/(ops\/execution|api\/broker|ops\/exchange-sync\/run|ops\/audit|api\/v1\/transactions|api\/dashboard)/;
const PLACES_ORDERS = /^\/(api\/broker\/order\/create|ops\/execution\/binance\/test-order|ops\/execution\/ibkr)/;

type Handler = (...args: unknown[]) => unknown;

/** operationId (`Controller_method`) -> the controller class and its handler, from Nest's container. */
function handlers(app: INestApplication): Map<string, { cls: object; fn: Handler }> {
  const out = new Map<string, { cls: object; fn: Handler }>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as unknown as { name: string; prototype: Record<string, Handler> } | null;
      if (!cls) continue;
      let proto: Record<string, Handler> | null = cls.prototype;
      while (proto && proto !== Object.prototype) {
        for (const name of Object.getOwnPropertyNames(proto)) {
          const fn = proto[name];
          if (name !== 'constructor' && typeof fn === 'function' && !out.has(`${cls.name}_${name}`))
            out.set(`${cls.name}_${name}`, { cls, fn });
        }
        proto = Object.getPrototypeOf(proto) as Record<string, Handler> | null;
      }
    }
  }
  return out;
}

const meta = <T>(key: string, h: { cls: object; fn: Handler }): T | undefined =>
  (Reflect.getMetadata(key, h.fn) as T | undefined) ?? (Reflect.getMetadata(key, h.cls) as T | undefined);

function addError(op: OperationObject, status: number): void {
  const existing = op.responses[status] as ResponseObject | undefined;
  if (existing) {
    existing.content ??= { 'application/json': { schema: ERROR_REF } };
    return;
  }
  op.responses[status] = { description: GENERIC[status], content: { 'application/json': { schema: ERROR_REF } } };
}

/** What the route asks of the caller, said once in its description. */
function describe(op: OperationObject, facts: { isPublic: boolean; roles?: string[]; idempotent: boolean }): void {
  const notes = [
    facts.isPublic ? 'Public: no bearer token.' : 'Needs `Authorization: Bearer <access_token>` (POST /auth/login).',
    facts.roles?.length ? `Role: ${facts.roles.join(' or ')}.` : '',
    facts.idempotent ? 'Send an `Idempotency-Key` header: a retry with the same key and body replays the first answer.' : '',
  ].filter(Boolean);
  op.description = [op.description ?? op.summary, notes.join(' ')].filter(Boolean).join('\n\n');
}

/**
 * The OpenAPI contract served at /docs-json and exported to openapi.json: every
 * operation gets a description, `security: []` when public, and every error
 * status it can answer with the shared error schema.
 */
export function buildOpenApiDocument(app: INestApplication, port: number): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Fintech operations backend')
    .setDescription(
      'Identity, secrets vault, execution (Binance testnet, IBKR paper), exchange sync (crypto.com), BTG funds, loans and audit. ' +
        'Log in with POST /auth/login, then use "Authorize" with the access_token. Every error is `ErrorResponse`.',
    )
    .setVersion('0.1.0')
    .setLicense('UNLICENSED', 'https://choosealicense.com/no-permission/')
    .addServer(`http://127.0.0.1:${port}`, 'this server (npm start)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when the server sets one' }, 'metricsToken')
    .build();
  const doc = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponse] });
  const byId = handlers(app);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      // A handler on several paths (aliases) gets operationIds like AuthController_login[1].
      const h = op.operationId ? byId.get(op.operationId.replace(/\[\d+\]$/, '')) : undefined;
      const isPublic = h ? meta<boolean>(IS_PUBLIC, h) === true : false;
      const roles = h ? meta<string[]>(ROLES, h) : undefined;
      const idempotent = h ? Reflect.getMetadata(IDEMPOTENT, h.fn) === true : false;
      const unthrottled = h ? hasSkip(h) : false;
      // Public routes need no JWT (a class-level @ApiBearerAuth does not apply); /metrics keeps its own token scheme.
      if (isPublic) op.security = (op.security ?? []).filter((s) => !('bearer' in s));
      else op.security ??= [{ bearer: [] }];
      describe(op, { isPublic, roles, idempotent });
      addError(op, 400);
      if (!isPublic || op.responses[401]) addError(op, 401);
      if (roles?.length) addError(op, 403);
      if (path.includes('{') || op.responses[404]) addError(op, 404);
      if (idempotent || op.responses[409]) addError(op, 409);
      if (op.requestBody) [413, 415].forEach((s) => addError(op, s));
      if (PLACES_ORDERS.test(path) && method === 'post') addError(op, 423);
      if (!unthrottled) addError(op, 429);
      if (UPSTREAM.test(path) || op.responses[502]) addError(op, 502);
    }
  }
  return doc;
}

function hasSkip(h: { cls: object; fn: Handler }): boolean {
  const keys = [...Reflect.getMetadataKeys(h.fn), ...Reflect.getMetadataKeys(h.cls)] as string[];
  return keys.some((k) => typeof k === 'string' && k.startsWith(THROTTLER_SKIP));
}
