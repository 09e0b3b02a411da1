import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AuditTrail, DomainError } from '@kernel';
import { AuthUser, IS_PUBLIC } from './auth.decorators';
import { BearerAuthenticator } from './bearer-authenticator';
import { requestMetaOf } from '../http/request-meta.decorator';

/** "<scheme> <token>", as passport-jwt's fromAuthHeaderAsBearerToken read it (scheme case-insensitive). */
function bearerToken(header: string | undefined): string | null {
  const m = /(\S+)\s+(\S+)/.exec(header ?? '');
  return m && m[1].toLowerCase() === 'bearer' ? m[2] : null;
}

/**
 * Global bearer-token guard: the token is checked by the BearerAuthenticator the identity context
 * registers (HS256 signature, issuer, audience, expiry, then the session and revocation state), with no
 * passport in between (issue 16: its strategy machinery was a visible share of a cached GET's CPU).
 * A token that is presented but refused is a security event and is audited as auth.token.rejected; a
 * missing token is just a 401.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditTrail,
    private readonly bearer: BearerAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const token = bearerToken(req.headers.authorization);
    if (!token) throw DomainError.unauthorized('missing_token', 'Not authenticated');
    try {
      req.user = await this.bearer.authenticate(token);
      return true;
    } catch (e) {
      const reason = e instanceof DomainError ? e.code : ((e as Error | undefined)?.message ?? 'invalid token');
      void this.audit
        .record({ eventType: 'auth.token.rejected', outcome: 'denied', payload: { reason } }, requestMetaOf(req))
        .catch(() => undefined);
      throw DomainError.unauthorized('invalid_token', 'Invalid or expired token');
    }
  }
}
