import { QueryFailedError } from 'typeorm';
import { toErrorBody } from './error.filter';
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
