import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorKind } from '@kernel';
import { errorBody, ErrorBody } from './error-body';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  too_many: 429,
  dependency: 502,
  unavailable: 503,
};

/** A stored answer replayed verbatim (idempotency). */
export class ReplayedResponse extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
  ) {
    super('replayed');
  }
}

/**
 * The ONE place errors become HTTP: DomainError kinds map to statuses; Nest's
 * HttpExceptions keep theirs; anything else is a 500 with a generic message and
 * the stack only in the log.
 */
@Catch()
export class GlobalErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (exception instanceof ReplayedResponse) {
      void reply.status(exception.statusCode).send(exception.body);
      return;
    }
    const body = toErrorBody(exception, request?.id);
    if (body.statusCode >= 500 && !(exception instanceof DomainError)) {
      this.logger.error({ message: 'unhandled error', request_id: request?.id, error: (exception as Error)?.stack });
    }
    void reply.status(body.statusCode).send(body);
  }
}

export function toErrorBody(exception: unknown, requestId: string | undefined): ErrorBody {
  if (exception instanceof DomainError) {
    return errorBody(STATUS[exception.kind], exception.message, requestId, {
      code: exception.code,
      ...(exception.details ?? {}),
    });
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const res = exception.getResponse();
    if (typeof res === 'object' && res !== null) {
      const r = res as Record<string, unknown>;
      const message = Array.isArray(r.message) ? r.message.join('; ') : String(r.message ?? exception.message);
      const extra: Partial<ErrorBody> = {};
      if (Array.isArray(r.errors)) extra.errors = r.errors as ErrorBody['errors'];
      if (typeof r.code === 'string') extra.code = r.code;
      // Terminus' readiness failure: keep which checks are down and why.
      if (r.status === 'error' && r.error && typeof r.error === 'object' && r.details) {
        const down = Object.entries(r.error as Record<string, { message?: string }>).map(([k, v]) =>
          v.message ? `${k} (${v.message})` : k,
        );
        return errorBody(status, `Not ready: ${down.join('; ')}`, requestId, { code: 'not_ready', details: r.details });
      }
      return errorBody(status, message, requestId, extra);
    }
    return errorBody(status, String(res), requestId);
  }
  // Fastify's own errors (body parsing, limits, content type) carry a statusCode.
  const e = exception as { statusCode?: number; message?: string; code?: string };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return errorBody(e.statusCode, fastifyMessage(e), requestId, { code: e.code });
  }
  // Backstop: PostgreSQL's data exceptions (SQLSTATE class 22: bad text encoding, out-of-range numbers, invalid
  // values) are the client's input reaching the database, not a fault of ours.
  const sqlState = sqlStateOf(exception);
  if (sqlState?.startsWith('22')) {
    return errorBody(400, 'A value in the request cannot be stored (invalid text or number)', requestId, {
      code: 'invalid_input_value',
      sqlstate: sqlState,
    });
  }
  return errorBody(500, 'Internal server error', requestId);
}

function sqlStateOf(exception: unknown): string | undefined {
  const e = exception as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function fastifyMessage(e: { code?: string; message?: string }): string {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is too large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported content type: send application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Body cannot be empty when content-type is set to application/json';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    default:
      if (e instanceof SyntaxError || /JSON/i.test(e.message ?? '')) return 'Malformed JSON body';
      return e.message ?? 'Bad request';
  }
}
