import { ArgumentsHost, BadRequestException, ForbiddenException, Logger, ServiceUnavailableException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { DomainError, validationMessage } from '@kernel';
import { GlobalErrorFilter, ReplayedResponse, toErrorBody } from './error.filter';
import { unsafeTextFields } from './validation';

const driverError = (code: string) => Object.assign(new Error('db said no'), { code });

describe('error filter backstop: PostgreSQL data exceptions are the client input', () => {
  it.each(['22021', '22P02', '22003', '22001'])('maps SQLSTATE %s to a 400 with a code', (code) => {
    const body = toErrorBody(new QueryFailedError('INSERT ...', [], driverError(code)), 'req-1');
    expect(body).toMatchObject({ statusCode: 400, code: 'invalid_input_value', sqlstate: code, request_id: 'req-1' });
    expect(body.message).not.toContain('INSERT');
  });

  it('keeps other database failures a 500 without detail', () => {
    expect(toErrorBody(new QueryFailedError('SELECT', [], driverError('40P01')), undefined)).toMatchObject({ statusCode: 500 });
    expect(toErrorBody(new Error('boom'), undefined)).toMatchObject({ statusCode: 500, message: 'Internal server error' });
  });
});

describe('unsafe text finder', () => {
  it('names every field holding a NUL or an unpaired surrogate, nested and in arrays, and leaves paired emoji alone', () => {
    const value = { a: 'ok 😀', b: 'x\u0000', c: { d: ['fine', '\ud800'] }, e: '\udc00x', f: 5 };
    expect(unsafeTextFields(value, '')).toEqual(['b', 'c.d.1', 'e']);
    expect(unsafeTextFields('\u0000', 'id')).toEqual(['id']);
  });
});

describe('toErrorBody: the one mapping from errors to HTTP', () => {
  it.each([
    ['invalid', 400],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['locked', 423],
    ['too_many', 429],
    ['dependency', 502],
    ['unavailable', 503],
  ] as const)('DomainError %s is %i, with its code, the message repeated as detail and its details', (kind, status) => {
    const body = toErrorBody(new DomainError(kind, 'some_code', 'Something happened', { extra: 1 }), 'req-9');
    expect(body).toEqual({
      statusCode: status,
      error: STATUS_CODES[status],
      message: 'Something happened',
      detail: 'Something happened',
      code: 'some_code',
      extra: 1,
      request_id: 'req-9',
    });
  });

  it('a validation 400 lists every bad field, from a service or from the DTO pipe alike', () => {
    const errors = [
      { field: 'amount', messages: ['amount must be positive'] },
      { field: 'fund_id', messages: ['fund_id must be an integer', 'fund_id is required'] },
    ];
    const fromService = toErrorBody(DomainError.validation(errors), undefined);
    const fromPipe = toErrorBody(
      new BadRequestException({ message: validationMessage(errors), errors, code: 'validation_failed' }),
      undefined,
    );
    for (const body of [fromService, fromPipe]) {
      expect(body).toMatchObject({
        statusCode: 400,
        code: 'validation_failed',
        message: 'Validation failed: amount: amount must be positive; fund_id: fund_id must be an integer, fund_id is required',
        errors,
      });
    }
  });

  it('keeps an HttpException status, reports Terminus readiness by check, and names Fastify limits', () => {
    expect(toErrorBody(new ForbiddenException('Forbidden resource'), undefined)).toMatchObject({
      statusCode: 403,
      message: 'Forbidden resource',
    });
    const notReady = new ServiceUnavailableException({
      status: 'error',
      error: { database: { message: 'timeout' }, redis: {} },
      details: {},
    });
    expect(toErrorBody(notReady, undefined)).toMatchObject({
      statusCode: 503,
      code: 'not_ready',
      message: 'Not ready: database (timeout); redis',
    });
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    expect(toErrorBody(tooLarge, undefined)).toMatchObject({
      statusCode: 413,
      message: 'Request body is too large',
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    const badJson = Object.assign(new SyntaxError('Unexpected token } in JSON'), {
      statusCode: 400,
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
    });
    expect(toErrorBody(badJson, undefined)).toMatchObject({ statusCode: 400, message: 'Malformed JSON body' });
  });
});

describe('GlobalErrorFilter.catch', () => {
  const host = () => {
    const sent: { status?: number; body?: unknown } = {};
    const reply = {
      status(code: number) {
        sent.status = code;
        return reply;
      },
      send(body: unknown) {
        sent.body = body;
        return reply;
      },
    };
    const request = { id: 'req-7' };
    const h = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }) } as unknown as ArgumentsHost;
    return { h, sent };
  };

  it('replays a stored answer as it was (idempotency)', () => {
    const { h, sent } = host();
    new GlobalErrorFilter().catch(new ReplayedResponse(201, { id: 'tx-1' }), h);
    expect(sent).toEqual({ status: 201, body: { id: 'tx-1' } });
  });

  it('answers an unexpected failure with a generic 500; the stack goes to the log only, under the request id', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { h, sent } = host();
    new GlobalErrorFilter().catch(new Error('secret connection string postgres://u:p@db'), h);
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('postgres://');
    expect(sent.body).toMatchObject({ message: 'Internal server error', request_id: 'req-7' });
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ request_id: 'req-7', error: expect.stringContaining('secret connection string') }),
    );
    logged.mockRestore();
  });

  it('does not log a DomainError as unhandled, even a 5xx one', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { h, sent } = host();
    new GlobalErrorFilter().catch(DomainError.dependency('binance_upstream_error', 'Binance error: down'), h);
    expect(sent.status).toBe(502);
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
  });
});
