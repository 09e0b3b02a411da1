import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Role, SessionActor } from '@kernel';

/** What a verified access token tells us about the caller (the request's `user`); use cases take it as an Actor. */
export type AuthUser = SessionActor;

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
