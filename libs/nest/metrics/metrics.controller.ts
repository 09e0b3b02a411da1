import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { DomainError } from '@kernel';
import { Public } from '../auth/auth.decorators';
import { AppConfig } from '../config/app-config';
import { ErrorResponse } from '../http/error-response.dto';
import { ScrapeCollector } from './scrape-collector';

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Prometheus text exposition; the JWT guard is skipped, METRICS_TOKEN (when set) is the bearer instead. */
@ApiTags('platform')
@Controller()
@Public()
@SkipThrottle()
export class MetricsController extends PrometheusController {
  constructor(
    private readonly config: AppConfig,
    private readonly collector: ScrapeCollector,
  ) {
    super();
  }

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics.',
    description:
      'HTTP duration by route/method/status, job counts/durations/failures by queue, exchange-sync cycle duration and failed users, ' +
      'outbox backlog and oldest-row age, database pool, fund money moves by path, and the process defaults. With METRICS_TOKEN set, send it as ' +
      '`Authorization: Bearer <METRICS_TOKEN>`; without it the route is open (keep it on an internal network).',
  })
  @ApiSecurity('metricsToken')
  @ApiOkResponse({
    description: 'Prometheus text format 0.0.4',
    content: { 'text/plain': { schema: { type: 'string', example: 'outbox_backlog 0\n' } } },
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'METRICS_TOKEN is set and the bearer is missing or wrong' })
  override async index(
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('authorization') authorization?: string,
  ): Promise<string> {
    const token = this.config.metricsToken;
    if (token) {
      const given = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim() ?? '';
      if (!sameSecret(given, token)) throw DomainError.unauthorized('metrics_token_invalid', 'A valid metrics bearer token is required');
    }
    await this.collector.refresh();
    return super.index(response);
  }
}
