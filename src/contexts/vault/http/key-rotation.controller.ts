import { Body, Controller, HttpCode, Post } from '@nestjs/common';
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
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { RequestMeta } from '@kernel';
import { AuthUser, CurrentUser, Roles } from '@platform/auth/auth.decorators';
import { ErrorResponse } from '@platform/http/error-response.dto';
import { Meta } from '@platform/http/request-meta.decorator';
import { KeyRotationService, KindReport, RotationReport } from '../application/key-rotation.service';

export class ReencryptDto {
  @ApiProperty({ description: 'The key the values are sealed with now (base64 of 32 bytes).' })
  @IsString()
  @MaxLength(128)
  old_key: string;

  @ApiProperty({ description: 'The key to seal them with (base64 of 32 bytes; `npm run secrets:generate`).' })
  @IsString()
  @MaxLength(128)
  new_key: string;

  @ApiPropertyOptional({ default: true, description: 'true: report only, write nothing.' })
  @IsOptional()
  @IsBoolean()
  dry_run?: boolean;
}

export class KindReportResponse {
  @ApiProperty() total: number;
  @ApiProperty() decrypt_with_old_key: number;
  @ApiProperty() already_new_key: number;
  @ApiProperty({ type: [String], description: 'Values that open with neither key (kind:id).' }) failed_ids: string[];
}

export class ReencryptResponse {
  @ApiProperty() dry_run: boolean;
  @ApiProperty({ example: '3f2a9c1b' }) old_key_id: string;
  @ApiProperty({ example: '9b7e01aa' }) new_key_id: string;
  @ApiProperty({ type: KindReportResponse }) exchange_secrets: KindReportResponse;
  @ApiProperty({ type: KindReportResponse }) totp_secrets: KindReportResponse;
  @ApiProperty({ description: 'Values re-encrypted (0 on a dry run).' }) reencrypted: number;
  @ApiProperty({ description: 'The key id this instance now seals with.' }) active_key_id: string;
}

@ApiTags('vault')
@ApiBearerAuth()
@Controller('ops/security')
export class KeyRotationController {
  constructor(private readonly rotation: KeyRotationService) {}

  @Post('reencrypt-exchange-secrets')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Re-encrypt every vault value (exchange + TOTP secrets) from old_key to new_key, in one transaction. Admin.' })
  @ApiOkResponse({ type: ReencryptResponse, description: 'What was (or, on a dry run, would be) re-encrypted.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid keys or values that open with neither key.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Admin role required.' })
  async reencrypt(@Body() dto: ReencryptDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<ReencryptResponse> {
    return toReencryptResponse(
      await this.rotation.reencrypt({ oldKey: dto.old_key, newKey: dto.new_key, dryRun: dto.dry_run ?? true }, user.id, meta),
    );
  }
}

const toKindReport = (k: KindReport): KindReportResponse => ({
  total: k.total,
  decrypt_with_old_key: k.decryptWithOldKey,
  already_new_key: k.alreadyNewKey,
  failed_ids: k.failedIds,
});

const toReencryptResponse = (r: RotationReport): ReencryptResponse => ({
  dry_run: r.dryRun,
  old_key_id: r.oldKeyId,
  new_key_id: r.newKeyId,
  exchange_secrets: toKindReport(r.exchangeSecrets),
  totp_secrets: toKindReport(r.totpSecrets),
  reencrypted: r.reencrypted,
  active_key_id: r.activeKeyId,
});
