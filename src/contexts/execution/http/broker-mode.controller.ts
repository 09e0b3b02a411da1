import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestMeta } from '@kernel';
import { AuthUser, CurrentUser } from '@platform/auth/auth.decorators';
import { ErrorResponse } from '@platform/http/error-response.dto';
import { Meta } from '@platform/http/request-meta.decorator';
import { PaperBrokerService } from '../application/paper-broker.service';
import { TradingModeService } from '../application/trading-mode.service';
import { PaperResetResponse, SetTradingModeDto, toPaperResetResponse, toTradingModeResponse, TradingModeResponse } from './broker-mode.dto';

@ApiTags('broker')
@ApiBearerAuth()
@Controller('api/broker')
export class BrokerModeController {
  constructor(
    private readonly modes: TradingModeService,
    private readonly paper: PaperBrokerService,
  ) {}

  @Get('mode')
  @ApiOperation({ summary: 'Your broker mode: paper, testnet (the default) or live.' })
  @ApiOkResponse({ type: TradingModeResponse })
  async get(@CurrentUser() user: AuthUser): Promise<TradingModeResponse> {
    return toTradingModeResponse(await this.modes.get(user.id));
  }

  @Put('mode')
  @ApiOperation({
    summary: 'Choose where your broker orders go.',
    description:
      'paper: a paper account (PAPER_START_USDT) filled against public prices, never a private exchange endpoint; testnet: the ' +
      'Binance testnet (servers without LIVE_TRADING); live: real money (servers with LIVE_TRADING=true). Audited as broker.mode.set.',
  })
  @ApiOkResponse({ type: TradingModeResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'mode is not one of paper, testnet, live (validation_failed).' })
  @ApiConflictResponse({
    type: ErrorResponse,
    description: 'live while LIVE_TRADING is off (live_trading_disabled), or testnet on a live server (live_trading_enabled), saying why.',
  })
  async set(@CurrentUser() user: AuthUser, @Body() dto: SetTradingModeDto, @Meta() meta: RequestMeta): Promise<TradingModeResponse> {
    return toTradingModeResponse(await this.modes.set(user.id, dto.mode, meta));
  }

  @Post('paper/reset')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start your paper account over: open paper orders cancelled, PAPER_START_USDT again, a new epoch.' })
  @ApiOkResponse({ type: PaperResetResponse })
  async reset(@CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<PaperResetResponse> {
    return toPaperResetResponse(await this.paper.reset(user.id, meta));
  }
}
