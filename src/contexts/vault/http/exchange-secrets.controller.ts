import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { DomainError, RequestMeta } from '@kernel';
import { EXCHANGES, type Exchange } from '../domain/exchange-credentials';
import { AuthUser, CurrentUser } from '@platform/auth/auth.decorators';
import { ErrorResponse } from '@platform/http/error-response.dto';
import { Meta } from '@platform/http/request-meta.decorator';
import { ExchangeSecretsService } from '../application/exchange-secrets.service';
import {
  DeletedExchangeSecretResponse,
  ExchangeSecretResponse,
  SavedExchangeSecretResponse,
  SaveExchangeSecretDto,
  toExchangeSecretResponse,
  toSavedExchangeSecretResponse,
} from './exchange-secrets.dto';

function exchangeParam(value: string): Exchange {
  const upper = value.toUpperCase() as Exchange;
  if (!EXCHANGES.includes(upper)) {
    const message = `exchange must be one of ${EXCHANGES.join(', ')}`;
    throw DomainError.invalidField('exchange', message);
  }
  return upper;
}

@ApiTags('vault')
@ApiBearerAuth()
@Controller('users/exchange-secrets')
export class ExchangeSecretsController {
  constructor(private readonly secrets: ExchangeSecretsService) {}

  @Post()
  @ApiOperation({ summary: 'Save (or replace) the encrypted API credentials of one exchange.' })
  @ApiCreatedResponse({
    type: SavedExchangeSecretResponse,
    description:
      "The saved credentials, masked, with the key's permissions as the exchange reports them (warnings for margin, futures, no IP whitelist).",
  })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'Unknown exchange, invalid key/secret, or a Binance key with withdrawals enabled (key_withdrawals_enabled).',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  async save(
    @Body() dto: SaveExchangeSecretDto,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<SavedExchangeSecretResponse> {
    const saved = await this.secrets.save(user.id, dto.exchange, { apiKey: dto.api_key, apiSecret: dto.api_secret }, meta);
    return toSavedExchangeSecretResponse(saved);
  }

  @Get()
  @ApiOperation({ summary: 'The configured exchanges: masked key, key id, timestamps; never the secret.' })
  @ApiOkResponse({ type: ExchangeSecretResponse, isArray: true, description: 'The configured exchanges, masked.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  async list(@CurrentUser() user: AuthUser): Promise<ExchangeSecretResponse[]> {
    return (await this.secrets.list(user.id)).map(toExchangeSecretResponse);
  }

  @Delete(':exchange')
  @HttpCode(200)
  @ApiParam({ name: 'exchange', enum: EXCHANGES })
  @ApiOperation({ summary: 'Delete the credentials of one exchange (404 when there are none).' })
  @ApiOkResponse({ type: DeletedExchangeSecretResponse, description: 'The credentials were deleted.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Unknown exchange.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No credentials for this exchange.' })
  async remove(
    @Param('exchange') exchange: string,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<DeletedExchangeSecretResponse> {
    const ex = exchangeParam(exchange);
    await this.secrets.remove(user.id, ex, meta);
    return { exchange: ex, deleted: true };
  }
}
