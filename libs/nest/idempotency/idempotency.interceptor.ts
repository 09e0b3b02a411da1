import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, applyDecorators, UseInterceptors } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { Observable, from, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { canonicalJson, DomainError, UnitOfWork } from '@kernel';
import { TransactionHost } from '../persistence/transaction-host';
import { AppConfig } from '../config/app-config';
import { ReplayedResponse, toErrorBody } from '../http/error.filter';
import { AuthUser } from '../auth/auth.decorators';

export const IDEMPOTENT = 'idempotency:enabled';
const DATABASE_ONLY = 'idempotency:database-only';
const WAIT_FOR_PEER_MS = 10_000;

/**
 * `Idempotency-Key` (or `X-Idempotency-Key`) on a money-moving or order-placing
 * POST. Same user + key + body => the first answer is replayed; same key with a
 * different body => 409. The key is claimed in its own committed row with a lease
 * (IDEMPOTENCY_LEASE_SECONDS, at most 60 s) BEFORE the work runs; while it holds, a
 * retry waits and then gets 409 "in progress"; after it, a retry takes the key over.
 * `databaseOnly` work (only database writes) runs in ONE transaction with the key's
 * result, so after a crash the retry finds either the committed result (replayed)
 * or nothing done (performed once). Order-placing work relies on its client order
 * id derived from the key. 4xx answers are stored and replayed; 5xx and upstream
 * failures release the key so the client may retry.
 */
export function Idempotent(options: { databaseOnly?: boolean } = {}) {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    SetMetadata(DATABASE_ONLY, options.databaseOnly === true),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Replays the first answer for the same key and body (24 h, per user). Alias: X-Idempotency-Key.',
    }),
  );
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly ds: DataSource,
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly txHost: TransactionHost,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const raw = req.headers['idempotency-key'] ?? req.headers['x-idempotency-key'];
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!key || !this.reflector.get<boolean>(IDEMPOTENT, context.getHandler())) return next.handle();
    if (key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
      throw DomainError.invalid('invalid_idempotency_key', 'Idempotency-Key must be 1-255 visible ASCII characters');
    }
    const successStatus = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? 201 : 200);
    const owner = req.user?.id ?? `ip:${req.ip}`;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.url.split('?')[0]} ${canonicalJson(req.body ?? null)}`)
      .digest('hex');
    const databaseOnly = this.reflector.get<boolean>(DATABASE_ONLY, context.getHandler()) === true;
    const work = () => lastValueFrom(next.handle(), { defaultValue: undefined });
    return from(this.run(owner, key, requestHash, successStatus, req.id, work, databaseOnly));
  }

  private async run(
    owner: string,
    key: string,
    requestHash: string,
    successStatus: number,
    requestId: string,
    work: () => Promise<unknown>,
    databaseOnly: boolean,
  ): Promise<unknown> {
    const claimed = await this.claim(owner, key, requestHash);
    if (!claimed) return this.replay(owner, key, requestHash);
    try {
      if (databaseOnly) {
        const done = await this.atomically(owner, key, successStatus, work);
        if (done.ok) return done.result;
        if (done.completeFailed) throw done.error; // nothing committed: released below
      }
      // Not database-only, or the atomic attempt's work failed (rolled back): run it plainly so its failure
      // path (audit, 4xx) is recorded exactly as without the key.
      const result = await work();
      await this.complete(owner, key, successStatus, result ?? null);
      return result;
    } catch (e) {
      const body = toErrorBody(e, requestId);
      const deterministic = body.statusCode >= 400 && body.statusCode < 500 && body.statusCode !== 429 && body.statusCode !== 423;
      if (deterministic) await this.complete(owner, key, body.statusCode, { ...body, request_id: undefined });
      else await this.ds.query('DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2', [owner, key]);
      throw e;
    }
  }

  /** The work and the key's result in one transaction (the services' units of work join it). */
  private async atomically(
    owner: string,
    key: string,
    status: number,
    work: () => Promise<unknown>,
  ): Promise<{ ok: true; result: unknown } | { ok: false; completeFailed: boolean; error: unknown }> {
    let worked = false;
    try {
      const result = await this.uow.run(async () => {
        const r = await work();
        worked = true;
        await this.complete(owner, key, status, r ?? null, this.txHost.tx.query.bind(this.txHost.tx));
        return r;
      });
      return { ok: true, result };
    } catch (error) {
      return { ok: false, completeFailed: worked, error };
    }
  }

  private async claim(owner: string, key: string, requestHash: string): Promise<boolean> {
    // One statement: a new key; one past its TTL (it starts afresh, as if deleted); or one whose claim's lease
    // ran out while still in progress (its request died): take it.
    const rows = await this.ds.query(
      `INSERT INTO idempotency_keys (owner, key, request_hash, state, lease_until)
       VALUES ($1, $2, $3, 'in_progress', now() + make_interval(secs => $4))
       ON CONFLICT (owner, key) DO UPDATE SET lease_until = EXCLUDED.lease_until, request_hash = EXCLUDED.request_hash,
         state = 'in_progress', status_code = NULL, response = NULL, completed_at = NULL,
         created_at = CASE WHEN idempotency_keys.created_at < now() - make_interval(hours => $5) THEN now()
                           ELSE idempotency_keys.created_at END
       WHERE idempotency_keys.created_at < now() - make_interval(hours => $5)
          OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.request_hash = EXCLUDED.request_hash
              AND (idempotency_keys.lease_until IS NULL OR idempotency_keys.lease_until < now()))
       RETURNING key`,
      [owner, key, requestHash, this.config.idempotencyLeaseSeconds, this.config.idempotencyTtlHours],
    );
    return rows.length === 1;
  }

  private async complete(
    owner: string,
    key: string,
    status: number,
    body: unknown,
    query: (sql: string, params: unknown[]) => Promise<unknown> = (sql, params) => this.ds.query(sql, params),
  ): Promise<void> {
    await query(
      `UPDATE idempotency_keys SET state = 'completed', status_code = $3, response = $4::jsonb, completed_at = now()
       WHERE owner = $1 AND key = $2`,
      [owner, key, status, JSON.stringify(body)],
    );
  }

  /** Another request holds or held the key: wait for its answer, then replay it. */
  private async replay(owner: string, key: string, requestHash: string): Promise<never> {
    const deadline = Date.now() + Math.min(WAIT_FOR_PEER_MS, this.config.idempotencyLeaseSeconds * 1000);
    for (;;) {
      const [row] = await this.ds.query(
        'SELECT request_hash, state, status_code, response FROM idempotency_keys WHERE owner = $1 AND key = $2',
        [owner, key],
      );
      if (row && row.request_hash !== requestHash) {
        throw DomainError.conflict('idempotency_key_reused', 'Idempotency key reused with a different payload');
      }
      if (row?.state === 'completed') {
        throw new ReplayedResponse(Number(row.status_code), row.response);
      }
      if (!row || Date.now() > deadline) {
        throw DomainError.conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still in progress');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
