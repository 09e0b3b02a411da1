import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@platform/auth/auth.decorators';
import { ErrorResponse } from '@platform/http/error-response.dto';
import { AuditQueryService } from '../application/audit-query.service';
import { AuditDocument } from '../domain/audit-event';
import { AuditAllQuery, AuditEventResponse, AuditMeQuery, AuditVerifyResponse } from './audit.dto';

const toResponse = (d: AuditDocument): AuditEventResponse => ({
  id: d.id,
  ts: d.ts,
  user_id: d.user_id,
  event_type: d.event_type,
  outcome: d.outcome,
  ip: d.ip,
  user_agent: d.user_agent,
  path: d.path,
  request_id: d.request_id,
  payload: d.payload,
  chain_seq: d.chain_seq as number,
  prev_hash: d.prev_hash as string,
  hash: d.hash as string,
});

@ApiTags('audit')
@ApiBearerAuth()
@Controller('ops/audit')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get('me')
  @ApiOperation({ summary: "The caller's own audit events, newest first." })
  @ApiOkResponse({ type: AuditEventResponse, isArray: true, description: "The caller's audit events, newest first." })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid limit.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  async me(@CurrentUser() user: AuthUser, @Query() q: AuditMeQuery): Promise<AuditEventResponse[]> {
    return (await this.audit.list({ userId: user.id, limit: q.limit ?? 100 })).map(toResponse);
  }

  @Get('all')
  @Roles('admin')
  @ApiOperation({ summary: 'All audit events (admin), with filters.' })
  @ApiOkResponse({ type: AuditEventResponse, isArray: true, description: 'Matching audit events, newest first.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid filter.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Admin role required.' })
  async all(@Query() q: AuditAllQuery): Promise<AuditEventResponse[]> {
    const events = await this.audit.list({
      userId: q.user_id,
      eventType: q.event_type,
      outcome: q.outcome,
      since: q.since,
      until: q.until,
      limit: q.limit ?? 100,
    });
    return events.map(toResponse);
  }

  @Get('verify')
  @Roles('admin')
  @ApiOperation({ summary: 'Recompute the SHA-256 hash chain (admin).' })
  @ApiOkResponse({ type: AuditVerifyResponse, description: 'Whether the chain is intact, and where it breaks if not.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Admin role required.' })
  verify(): Promise<AuditVerifyResponse> {
    return this.audit.verify();
  }
}
