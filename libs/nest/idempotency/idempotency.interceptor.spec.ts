import { CallHandler, ExecutionContext, HttpCode } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { defer, lastValueFrom } from 'rxjs';
import { DomainError } from '@kernel';
import { InMemoryIdempotencyKeys } from '../../../test/fakes/idempotency-in-memory';
import { ImmediateUnitOfWork, unitConfig } from '../../../test/fakes/kernel-in-memory';
import { ReplayedResponse } from '../http/error.filter';
import { TransactionHost } from '../persistence/transaction-host';
import { Idempotent, IdempotencyInterceptor } from './idempotency.interceptor';

class Handlers {
  @Idempotent()
  subscribe() {}

  @Idempotent({ databaseOnly: true })
  @HttpCode(200)
  cancel() {}

  plain() {}
}

function setup() {
  const table = new InMemoryIdempotencyKeys();
  const txHost = { tx: table } as unknown as TransactionHost;
  const interceptor = new IdempotencyInterceptor(table.asDataSource(), new Reflector(), unitConfig(), new ImmediateUnitOfWork(), txHost);
  let calls = 0;
  /** One request through the interceptor: `answer` is what the handler does. */
  const send = (opts: { key?: string; body?: unknown; user?: string; handler?: keyof Handlers; answer?: () => unknown }) => {
    const req = {
      id: 'req-1',
      method: 'POST',
      url: '/api/v1/subscriptions/1?x=1',
      ip: '10.0.0.1',
      headers: opts.key === undefined ? {} : { 'idempotency-key': opts.key },
      body: opts.body ?? { amount: 100000 },
      user: { id: opts.user ?? 'alice' },
    };
    const context = {
      switchToHttp: () => ({ getRequest: () => req }),
      getHandler: () => Handlers.prototype[opts.handler ?? 'subscribe'],
    } as unknown as ExecutionContext;
    const next: CallHandler = {
      handle: () =>
        defer(async () => {
          calls++;
          return (opts.answer ?? (() => ({ id: `tx-${calls}` })))();
        }),
    };
    return lastValueFrom(interceptor.intercept(context, next), { defaultValue: undefined });
  };
  return { table, send, calls: () => calls };
}

const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('IdempotencyInterceptor (in-memory key table)', () => {
  it('without a key, or on a route that is not @Idempotent, the handler just runs', async () => {
    const { table, send, calls } = setup();
    await send({});
    await send({});
    await send({ key: 'k1', handler: 'plain' });
    expect(calls()).toBe(3);
    expect(table.rows.size).toBe(0);
  });

  it('same user, key and body: the first answer is replayed with its status and the work runs once', async () => {
    const { table, send, calls } = setup();
    expect(await send({ key: 'k1' })).toEqual({ id: 'tx-1' });
    const replay = await caught(send({ key: 'k1' }));
    expect(replay).toBeInstanceOf(ReplayedResponse);
    expect(replay).toMatchObject({ statusCode: 201, body: { id: 'tx-1' } });
    expect(calls()).toBe(1);
    expect([...table.rows.values()][0]).toMatchObject({ owner: 'alice', key: 'k1', state: 'completed', statusCode: 201 });
  });

  it('the same key with another body is a 409; another user may use the same key', async () => {
    const { send, calls } = setup();
    await send({ key: 'k1', body: { amount: 100000 } });
    expect(await caught(send({ key: 'k1', body: { amount: 200000 } }))).toMatchObject({
      kind: 'conflict',
      code: 'idempotency_key_reused',
      message: 'Idempotency key reused with a different payload',
    });
    expect(await send({ key: 'k1', user: 'bob' })).toEqual({ id: 'tx-2' });
    expect(calls()).toBe(2);
  });

  it('a refusal (4xx) is kept and replayed; an upstream failure (5xx) releases the key for a retry', async () => {
    const { table, send, calls } = setup();
    const refuse = () => {
      throw DomainError.invalid('insufficient_balance', 'No tiene saldo disponible para vincularse al fondo X');
    };
    await expect(send({ key: 'k-refused', answer: refuse })).rejects.toMatchObject({ code: 'insufficient_balance' });
    const replay = (await caught(send({ key: 'k-refused' }))) as ReplayedResponse;
    expect(replay).toMatchObject({
      statusCode: 400,
      body: { code: 'insufficient_balance', detail: 'No tiene saldo disponible para vincularse al fondo X' },
    });
    expect(replay.body).not.toHaveProperty('request_id');

    const down = () => {
      throw DomainError.dependency('binance_upstream_error', 'Binance error: unreachable');
    };
    await expect(send({ key: 'k-down', answer: down })).rejects.toMatchObject({ kind: 'dependency' });
    expect(table.rows.has('alice\u0000k-down')).toBe(false);
    expect(await send({ key: 'k-down' })).toEqual({ id: `tx-${calls()}` });
  });

  it('database-only work commits with its result in one unit of work, under the route’s own status', async () => {
    const { table, send } = setup();
    expect(await send({ key: 'k2', handler: 'cancel' })).toEqual({ id: 'tx-1' });
    expect(table.rows.get('alice\u0000k2')).toMatchObject({ state: 'completed', statusCode: 200, response: { id: 'tx-1' } });
    await expect(caught(send({ key: 'k2', handler: 'cancel' }))).resolves.toMatchObject({ statusCode: 200 });
  });

  it('a claim whose lease ran out (its request died) is taken over by the retry', async () => {
    const { table, send, calls } = setup();
    let finish!: (v: unknown) => void;
    const dead = send({ key: 'k3', answer: () => new Promise((r) => (finish = r)) }); // holds the claim, never answers
    await new Promise((r) => setImmediate(r));
    expect(table.rows.get('alice\u0000k3')).toMatchObject({ state: 'in_progress' });
    table.rows.get('alice\u0000k3')!.leaseExpired = true;
    expect(await send({ key: 'k3' })).toEqual({ id: 'tx-2' });
    expect(calls()).toBe(2);
    finish({ id: 'late' });
    await dead;
  });

  it('refuses a key that is not 1-255 visible ASCII characters', async () => {
    const { send } = setup();
    expect(() => send({ key: 'has space' })).toThrow(expect.objectContaining({ code: 'invalid_idempotency_key' }));
    expect(() => send({ key: 'x'.repeat(256) })).toThrow(expect.objectContaining({ code: 'invalid_idempotency_key' }));
  });
});
