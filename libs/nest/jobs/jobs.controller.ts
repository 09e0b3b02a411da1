import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { JobQueue } from '@kernel';
import { Roles } from '../auth/auth.decorators';
import { ErrorResponse } from '../http/error-response.dto';

export class FailedJobsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class FailedJobResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'funds.notify-subscription', description: 'The job (queue) name' }) name: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The job data (ids, never secrets)' })
  data: Record<string, unknown>;
  @ApiProperty({ example: 'SMS webhook answered HTTP 503', description: "The last attempt's error message" }) error: string;
  @ApiProperty({ example: 4, description: 'Attempts made (the first one and every retry)' }) attempts: number;
  @ApiProperty() created_at: string;
  @ApiProperty({ nullable: true, type: String }) failed_at: string | null;
}

@ApiTags('ops')
@ApiBearerAuth()
@Controller('ops/jobs')
export class JobsController {
  constructor(private readonly jobs: JobQueue) {}

  @Get('failed')
  @Roles('admin')
  @ApiOperation({
    summary: 'Background jobs that failed for good (admin).',
    description:
      'Jobs whose handler threw on every attempt (the first one and each retry with exponential backoff), newest first, ' +
      'with the last error message. Failed jobs are kept until the job engine archives and then drops them (about 7 days).',
  })
  @ApiOkResponse({ type: FailedJobResponse, isArray: true })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid limit (1..500).' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Admin role required.' })
  async failed(@Query() q: FailedJobsQuery): Promise<FailedJobResponse[]> {
    return (await this.jobs.failed(q.limit ?? 100)).map((j) => ({
      id: j.id,
      name: j.name,
      data: j.data,
      error: j.error,
      attempts: j.attempts,
      created_at: j.createdAt.toISOString(),
      failed_at: j.failedAt ? j.failedAt.toISOString() : null,
    }));
  }
}
