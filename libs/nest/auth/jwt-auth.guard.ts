import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { FastifyRequest } from 'fastify';
import { AuditTrail, DomainError } from '@kernel';
import { IS_PUBLIC } from './auth.decorators';
import { requestMetaOf } from '../http/request-meta.decorator';

/**
 * Global bearer-token guard (passport-jwt strategy "jwt", registered by the
 * identity context). A token that is presented but refused is a security event
 * and is audited as auth.token.rejected; a missing token is just a 401.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditTrail,
  ) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    return super.canActivate(context);
  }

  override handleRequest<T>(err: unknown, user: T, info: unknown, context: ExecutionContext): T {
    if (user && !err) return user;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const presented = /^Bearer\s+\S+/i.test(req.headers.authorization ?? '');
    const reason = err instanceof DomainError ? err.code : ((info as Error | undefined)?.message ?? 'invalid token');
    if (presented) {
      void this.audit
        .record({ eventType: 'auth.token.rejected', outcome: 'denied', payload: { reason } }, requestMetaOf(req))
        .catch(() => undefined);
    }
    throw DomainError.unauthorized(
      presented ? 'invalid_token' : 'missing_token',
      presented ? 'Invalid or expired token' : 'Not authenticated',
    );
  }
}
