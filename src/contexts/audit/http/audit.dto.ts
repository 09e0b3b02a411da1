import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

export class AuditMeQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class AuditAllQuery extends AuditMeQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  user_id?: string;

  @ApiPropertyOptional({ example: 'auth.login.failed' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_.]{1,80}$/, { message: 'event_type must be a dotted lower-case name' })
  event_type?: string;

  @ApiPropertyOptional({ enum: ['success', 'failure', 'denied', 'error'] })
  @IsOptional()
  @IsIn(['success', 'failure', 'denied', 'error'])
  outcome?: string;

  @ApiPropertyOptional({ description: 'ISO-8601 lower bound (exclusive)' })
  @IsOptional()
  @IsISO8601()
  since?: string;

  @ApiPropertyOptional({ description: 'ISO-8601 upper bound (exclusive)' })
  @IsOptional()
  @IsISO8601()
  until?: string;
}

export class AuditEventResponse {
  @ApiProperty() id: string;
  @ApiProperty() ts: string;
  @ApiProperty({ nullable: true, type: String }) user_id: string | null;
  @ApiProperty({ example: 'auth.login.success' }) event_type: string;
  @ApiProperty({ example: 'success' }) outcome: string;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: String }) user_agent: string | null;
  @ApiProperty({ nullable: true, type: String }) path: string | null;
  @ApiProperty({ nullable: true, type: String }) request_id: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload: Record<string, unknown>;
  @ApiProperty() chain_seq: number;
  @ApiProperty() prev_hash: string;
  @ApiProperty() hash: string;
}

export class AuditVerifyResponse {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'Events checked before the first broken link (all of them when valid).' }) checked: number;
  @ApiPropertyOptional() first_broken_id?: string;
  @ApiPropertyOptional() reason?: string;
}
