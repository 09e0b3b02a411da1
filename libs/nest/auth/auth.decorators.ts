import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { FastifyRequest } from 'fastify';

export type Role = 'user' | 'admin';

/** What a verified access token tells us about the caller. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  jti: string;
  sid?: string; // session (refresh-token family) id
  exp?: number;
}

export const IS_PUBLIC = 'auth:public';
export const ROLES = 'auth:roles';
export const RATE_LIMIT = 'auth:rate-limit';

/** No bearer token needed. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only these roles (403 for the others). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
/** A named, configurable limit instead of the default one. */
export const RateLimit = (name: 'register' | 'login') => SetMetadata(RATE_LIMIT, name);

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<FastifyRequest & { user: AuthUser }>().user,
);
