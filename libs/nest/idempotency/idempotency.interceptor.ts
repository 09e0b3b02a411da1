import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, applyDecorators, UseInterceptors } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { Observable, from, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { canonicalJson, DomainError } from '@kernel';
import { AppConfig } from '../config/app-config';
import { ReplayedResponse, toErrorBody } from '../http/error.filter';
import { AuthUser } from '../auth/auth.decorators';

export const IDEMPOTENT = 'idempotency:enabled';
const WAIT_FOR_PEER_MS = 10_000;

/**
 * `Idempotency-Key` (or `X-Idempotency-Key`) on a money-moving or order-placing
 * POST. Same user + key + body => the first answer is replayed; same key with a
 * different body => 409. The key is claimed in its own committed row BEFORE the
 * work runs, so a crash after the work leaves the key "in progress" (a retry gets
 * 409, never a second charge). 4xx answers are stored and replayed; 5xx and
 * upstream failures release the key so the client may retry.
 */
export function Idempotent() {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, true),
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
    return from(this.run(owner, key, requestHash, successStatus, req.id, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }

  private async run(
    owner: string,
    key: string,
    requestHash: string,
    successStatus: number,
    requestId: string,
    work: () => Promise<unknown>,
  ): Promise<unknown> {
    const claimed = await this.claim(owner, key, requestHash);
    if (!claimed) return this.replay(owner, key, requestHash);
    try {
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

  private async claim(owner: string, key: string, requestHash: string): Promise<boolean> {
    await this.ds.query(`DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3)`, [
      owner,
      key,
      this.config.idempotencyTtlHours,
    ]);
    const rows = await this.ds.query(
      `INSERT INTO idempotency_keys (owner, key, request_hash, state) VALUES ($1, $2, $3, 'in_progress')
       ON CONFLICT (owner, key) DO NOTHING RETURNING key`,
      [owner, key, requestHash],
    );
    return rows.length === 1;
  }

  private async complete(owner: string, key: string, status: number, body: unknown): Promise<void> {
    await this.ds.query(
      `UPDATE idempotency_keys SET state = 'completed', status_code = $3, response = $4::jsonb, completed_at = now()
       WHERE owner = $1 AND key = $2`,
      [owner, key, status, JSON.stringify(body)],
    );
  }

  /** Another request holds or held the key: wait for its answer, then replay it. */
  private async replay(owner: string, key: string, requestHash: string): Promise<never> {
    const deadline = Date.now() + WAIT_FOR_PEER_MS;
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
