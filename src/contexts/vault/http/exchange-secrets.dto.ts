import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { EXCHANGES, type Exchange } from '../domain/exchange-credentials';
import { ExchangeSecretView, SavedExchangeSecret } from '../application/exchange-secrets.service';

const PRINTABLE = /^[\x21-\x7E]+$/;

export class SaveExchangeSecretDto {
  @ApiProperty({ enum: EXCHANGES, example: 'BINANCE' })
  @IsIn(EXCHANGES, { message: `exchange must be one of ${EXCHANGES.join(', ')}` })
  exchange: Exchange;

  @ApiProperty({
    example: 'TU_BINANCE_API_KEY',
    maxLength: 256,
    description: 'Printable ASCII, no spaces. Stored encrypted; shown masked.',
  })
  @IsString()
  @IsNotEmpty({ message: 'api_key must not be empty' })
  @MaxLength(256)
  @Matches(PRINTABLE, { message: 'api_key must be printable ASCII without spaces' })
  api_key: string;

  @ApiProperty({ example: 'TU_BINANCE_API_SECRET', maxLength: 1024, description: 'Never returned, logged or audited.' })
  @IsString()
  @IsNotEmpty({ message: 'api_secret must not be empty' })
  @MaxLength(1024)
  @Matches(PRINTABLE, { message: 'api_secret must be printable ASCII without spaces' })
  api_secret: string;
}

export class ExchangeSecretResponse {
  @ApiProperty({ enum: EXCHANGES }) exchange: Exchange;
  @ApiProperty({ example: '****WXYZ' }) api_key_masked: string;
  @ApiProperty({ example: '3f2a9c1b', description: 'Id of the encryption key that sealed the value.' }) key_id: string;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class KeyPermissionsResponse {
  @ApiProperty({ description: 'false: the exchange could not be asked (the reason is in warnings); the key was stored anyway.' })
  checked: boolean;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Withdrawals enabled: the key is refused (400) unless ALLOW_WITHDRAWAL_KEYS=true.',
  })
  withdrawals_enabled: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) margin_enabled: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) futures_enabled: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Binance ipRestrict: only whitelisted IPs may use the key.' })
  ip_restricted: boolean | null;
  @ApiProperty({ type: [String], example: ['Margin trading is enabled on this key: seed 002 asks for spot trading only'] })
  warnings: string[];
}

export class SavedExchangeSecretResponse extends ExchangeSecretResponse {
  @ApiProperty({
    type: KeyPermissionsResponse,
    nullable: true,
    description: "The key's restrictions read from the exchange (Binance: GET /sapi/v1/account/apiRestrictions); null for other exchanges.",
  })
  key_permissions: KeyPermissionsResponse | null;
}

export class DeletedExchangeSecretResponse {
  @ApiProperty({ enum: EXCHANGES }) exchange: Exchange;
  @ApiProperty({ example: true }) deleted: true;
}

export const toExchangeSecretResponse = (v: ExchangeSecretView): ExchangeSecretResponse => ({
  exchange: v.exchange,
  api_key_masked: v.apiKeyMasked,
  key_id: v.keyId,
  created_at: v.createdAt.toISOString(),
  updated_at: v.updatedAt.toISOString(),
});

export const toSavedExchangeSecretResponse = (v: SavedExchangeSecret): SavedExchangeSecretResponse => ({
  ...toExchangeSecretResponse(v),
  key_permissions: v.keyPermissions
    ? {
        checked: v.keyPermissions.checked,
        withdrawals_enabled: v.keyPermissions.withdrawalsEnabled,
        margin_enabled: v.keyPermissions.marginEnabled,
        futures_enabled: v.keyPermissions.futuresEnabled,
        ip_restricted: v.keyPermissions.ipRestricted,
        warnings: v.keyPermissions.warnings,
      }
    : null,
});
