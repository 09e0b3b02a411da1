import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { DomainError } from '@kernel';
import { AuthUser, CurrentUser, Roles } from '@platform/auth/auth.decorators';
import { ErrorResponse } from '@platform/http/error-response.dto';
import { HISTORY_MAX, SignalsService } from '../application/signals.service';
import { SignalHistoryResponse, SignalsRunResponse, SymbolSignalResponse, toSignalResponse, toSymbolSignalResponse } from './signals.dto';

const parseLimit = (raw: string | undefined): number => {
  if (raw === undefined || raw === '') return 50;
  const n = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= HISTORY_MAX)) {
    throw DomainError.invalidField('limit', `limit must be an integer from 1 to ${HISTORY_MAX}`, {
      summary: `must be an integer from 1 to ${HISTORY_MAX}`,
    });
  }
  return n;
};

@ApiTags('signals')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or expired access token' })
@Controller()
export class SignalsController {
  constructor(private readonly signals: SignalsService) {}

  @Get('api/signals')
  @ApiOperation({
    summary: 'The newest signal of each symbol on your watchlist.',
    description:
      'RSI(14), EMA(20), EMA(50) over the last 200 public 1h candles (crypto.com), computed every SIGNALS_INTERVAL_MINUTES for every ' +
      'watchlist symbol: BUY when EMA20 crosses above EMA50 or RSI < 30, SELL when it crosses below or RSI > 70, HOLD otherwise. ' +
      'A symbol not computed yet has signal null; a failed computation keeps the last signal and shows last_failure_at / last_error. ' +
      'An empty watchlist gives [].',
  })
  @ApiOkResponse({ type: SymbolSignalResponse, isArray: true })
  async latest(@CurrentUser() user: AuthUser): Promise<SymbolSignalResponse[]> {
    return (await this.signals.latestFor(user.id)).map(toSymbolSignalResponse);
  }

  @Get('api/signals/:symbol')
  @ApiOperation({
    summary: "A symbol's signal history, newest first.",
    description: 'BTC_USDT (or BTC/USDT url-encoded); limit 1..500, default 50.',
  })
  @ApiQuery({ name: 'limit', required: false, type: Number, example: 50 })
  @ApiOkResponse({ type: SignalHistoryResponse })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'Malformed symbol or limit (validation_failed), or a symbol nobody watches and never computed (unknown_symbol)',
  })
  async history(@Param('symbol') symbol: string, @Query('limit') limit?: string): Promise<SignalHistoryResponse> {
    const h = await this.signals.history(symbol, parseLimit(limit));
    return { symbol: h.symbol, items: h.items.map(toSignalResponse) };
  }

  @Post('ops/signals/run')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Compute signals now (admin): every watchlist symbol, or only ?symbol=.',
    description:
      'Without symbol: the scheduled job now; failures are listed and recorded, the others go on. With symbol: that one symbol; ' +
      'an unknown or delisted symbol is 400 naming it, the candle endpoint down is 502 (and recorded; the last signal is kept).',
  })
  @ApiQuery({ name: 'symbol', required: false, example: 'BTC_USDT' })
  @ApiOkResponse({ type: SignalsRunResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Unknown or delisted symbol (unknown_symbol), malformed symbol' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Admin role required' })
  @ApiBadGatewayResponse({ type: ErrorResponse, description: 'The candle endpoint is down (candles_unavailable)' })
  async run(@Query('symbol') symbol?: string): Promise<SignalsRunResponse> {
    if (symbol !== undefined) {
      const s = await this.signals.computeNow(symbol);
      return { symbols: 1, computed: [toSignalResponse(s)], failed: [] };
    }
    const r = await this.signals.runAll();
    return { symbols: r.symbols, computed: r.computed.map(toSignalResponse), failed: r.failed };
  }
}
