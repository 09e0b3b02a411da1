import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { RequestMeta } from '@kernel';

export const requestMetaOf = (req: FastifyRequest): RequestMeta => ({
  requestId: req.id,
  ip: req.ip,
  userAgent: (req.headers['user-agent'] ?? '').slice(0, 256) || undefined,
  path: req.url.split('?')[0],
});

/** `@Meta() meta: RequestMeta`: who asked, from where, for the audit trail. */
export const Meta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta =>
  requestMetaOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
