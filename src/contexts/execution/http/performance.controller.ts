import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@platform/auth/auth.decorators';
import { ErrorResponse } from '@platform/http/error-response.dto';
import { PerformanceService } from '../application/performance.service';
import { PerformanceResponse, toPerformanceResponse } from './performance.dto';

@ApiTags('broker')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or expired access token' })
@Controller('api/broker')
export class PerformanceController {
  constructor(private readonly performance: PerformanceService) {}

  @Get('performance')
  @ApiOperation({
    summary: 'Trading performance from your recorded fills (seed 002 metrics).',
    description:
      'Fills: FILLED broker orders, executed orders synced from crypto.com / Binance, and paper fills with mode=paper. FIFO lots ' +
      'per exchange and symbol, fees included; trades are SELL fills closing lots. Win rate, profit factor, max drawdown (absolute ' +
      'and % of peak) on the realized equity curve, Sharpe (daily realized P&L, sqrt(365)), slippage in bps, average latency, the ' +
      'equity curve. Exact decimals; with no trades the counts are 0 and the ratios null (never NaN or Infinity). Fills before ' +
      '`from` still build the lots.',
  })
  @ApiQuery({ name: 'from', required: false, example: '2026-01-01' })
  @ApiQuery({ name: 'to', required: false, example: '2026-01-31T23:59:59Z', description: 'Default: now' })
  @ApiQuery({ name: 'exchange', required: false, enum: ['BINANCE', 'CRYPTO_COM'] })
  @ApiQuery({ name: 'mode', required: false, enum: ['paper', 'testnet', 'live'], description: 'Default: testnet and live' })
  @ApiOkResponse({ type: PerformanceResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Bad date, from after to, unknown exchange or mode (each named)' })
  async get(
    @CurrentUser() user: AuthUser,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('exchange') exchange?: string,
    @Query('mode') mode?: string,
  ): Promise<PerformanceResponse> {
    return toPerformanceResponse(await this.performance.report(user.id, { from, to, exchange, mode }));
  }
}
