import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { RequestMeta } from '@kernel';
import { AuthUser, CurrentUser, Roles } from '@platform/auth/auth.decorators';
import { ErrorResponse } from '@platform/http/error-response.dto';
import { Meta } from '@platform/http/request-meta.decorator';
import { DailyAlertService } from '../application/daily-alert.service';
import { DashboardService } from '../application/dashboard.service';
import { OcoSettingsService } from '../application/oco-settings.service';
import { SyncCycleService } from '../application/sync-cycle.service';
import { WatchlistService } from '../application/watchlist.service';
import {
  AddWatchlistItemRequest,
  AlertReportResponse,
  DashboardStateResponse,
  OcoSettingsRequest,
  OcoSettingsResponse,
  ReplaceWatchlistRequest,
  SyncRunAcceptedResponse,
  SyncRunResponse,
  SyncStatusResponse,
  toBalanceResponse,
  toExchangePortfolioResponse,
  toOrderResponse,
  toRunResponse,
  toUserStateResponse,
  toWatchlistResponse,
  WatchlistItemResponse,
} from './exchange-sync.dto';
import { toSymbolSignalResponse } from './signals.dto';

@ApiTags('exchange-sync')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or expired access token' })
@Controller('ops/exchange-sync')
export class ExchangeSyncOpsController {
  constructor(
    private readonly cycle: SyncCycleService,
    private readonly dashboard: DashboardService,
    private readonly alerts: DailyAlertService,
  ) {}

  @Post('run')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sync now: your own crypto.com account (admin: starts a cycle for every user).',
    description:
      'Enqueues a high-priority sync job for you (an admin: a cycle, one job per user) and waits up to ' +
      'EXCHANGE_SYNC_RUN_WAIT_SECONDS for the result: 200 with the finished run, or 202 with a link to poll. ' +
      "Never refused because a cycle is running: your job goes ahead of the cycle's backlog.",
  })
  @ApiOkResponse({ type: SyncRunResponse, description: 'The finished run' })
  @ApiAcceptedResponse({ type: SyncRunAcceptedResponse, description: 'Still running after the wait: poll status_url' })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'Missing credentials for CRYPTO_COM (non-admin without stored exchange credentials)',
  })
  async run(
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SyncRunResponse | SyncRunAcceptedResponse> {
    const { run, finished } = await this.cycle.runManual(user, meta);
    if (finished) return toRunResponse(run, user);
    const statusUrl = `/ops/exchange-sync/runs/${run.id}`;
    void reply.status(202).header('location', statusUrl);
    return { run_id: run.id, status: run.status, status_url: statusUrl };
  }

  @Get('runs/:id')
  @ApiOperation({ summary: 'One sync run (yours; an admin: any), with its progress while it runs.' })
  @ApiOkResponse({ type: SyncRunResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such run, or not yours (sync_run_not_found)' })
  async runById(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<SyncRunResponse> {
    return toRunResponse(await this.cycle.runFor(user, id), user);
  }

  @Get('status')
  @ApiOperation({
    summary: 'The last run and the last cycle (users total/ok/failed, duration, the instances that worked it) and your own last sync.',
  })
  @ApiOkResponse({ type: SyncStatusResponse })
  async status(@CurrentUser() user: AuthUser): Promise<SyncStatusResponse> {
    const s = await this.dashboard.status(user.id);
    return {
      last_run: s.lastRun ? toRunResponse(s.lastRun, user) : null,
      last_cycle: s.lastCycle ? toRunResponse(s.lastCycle, user) : null,
      running: s.running,
      interval_seconds: s.intervalSeconds,
      mode: s.mode,
      me: toUserStateResponse(s.me),
    };
  }

  @Post('alerts/run')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the unprotected-positions alert now (admin; the daily job runs at ALERT_CRON).' })
  @ApiOkResponse({ type: AlertReportResponse })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Admin role required' })
  async runAlert(): Promise<AlertReportResponse> {
    const r = await this.alerts.runDaily(true);
    return { day: r.day, skipped: r.skipped, users_alerted: r.usersAlerted, positions: r.positions };
  }
}

@ApiTags('exchange-sync')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or expired access token' })
@Controller('api')
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly watchlist: WatchlistService,
    private readonly oco: OcoSettingsService,
  ) {}

  @Get('dashboard/state')
  @ApiOperation({ summary: 'Open orders, executed orders, portfolio (USD), watchlist, its signals, last sync and mode.' })
  @ApiOkResponse({ type: DashboardStateResponse })
  async state(@CurrentUser() user: AuthUser): Promise<DashboardStateResponse> {
    const s = await this.dashboard.dashboard(user.id);
    return {
      open_orders: s.openOrders.map(toOrderResponse),
      executed_orders: s.executedOrders.map(toOrderResponse),
      portfolio: {
        balances: s.portfolio.balances.map(toBalanceResponse),
        total_usd: s.portfolio.totalUsd,
        by_exchange: s.byExchange.map(toExchangePortfolioResponse),
      },
      summary: { total_usd: s.portfolio.totalUsd, open_orders: s.openOrders.length, executed_orders: s.executedOrders.length },
      watchlist: s.watchlist,
      signals: s.signals.map(toSymbolSignalResponse),
      last_sync_at: s.lastSyncAt ? s.lastSyncAt.toISOString() : null,
      mode: s.mode,
    };
  }

  @Get('watchlist')
  @ApiOperation({ summary: 'Your watchlist.' })
  @ApiOkResponse({ type: WatchlistItemResponse, isArray: true })
  async list(@CurrentUser() user: AuthUser): Promise<WatchlistItemResponse[]> {
    return (await this.watchlist.list(user.id)).map(toWatchlistResponse);
  }

  @Post('watchlist')
  @ApiOperation({ summary: 'Add a symbol (BTC_USDT or BTC/USDT). 409 when present or when the list is full (100).' })
  @ApiCreatedResponse({ type: WatchlistItemResponse, description: 'The added item' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Validation failed: symbol must look like BTC_USDT or BTC/USDT' })
  @ApiConflictResponse({
    type: ErrorResponse,
    description: 'Symbol already in the watchlist (watchlist_duplicate) or the list is full (watchlist_full)',
  })
  async add(
    @CurrentUser() user: AuthUser,
    @Body() body: AddWatchlistItemRequest,
    @Meta() meta: RequestMeta,
  ): Promise<WatchlistItemResponse> {
    return toWatchlistResponse(await this.watchlist.add(user.id, body.symbol, meta));
  }

  @Put('watchlist')
  @ApiOperation({ summary: 'Replace the whole watchlist (at most 100 symbols).' })
  @ApiOkResponse({ type: WatchlistItemResponse, isArray: true, description: 'The new watchlist' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Validation failed: a symbol is malformed or there are more than 100' })
  async replace(
    @CurrentUser() user: AuthUser,
    @Body() body: ReplaceWatchlistRequest,
    @Meta() meta: RequestMeta,
  ): Promise<WatchlistItemResponse[]> {
    return (await this.watchlist.replace(user.id, body.symbols, meta)).map(toWatchlistResponse);
  }

  @Delete('watchlist/:symbol')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a symbol (BTC_USDT; BTC/USDT url-encoded also works).' })
  @ApiNoContentResponse({ description: 'Removed; no body' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Validation failed: symbol must look like BTC_USDT or BTC/USDT' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'The symbol is not in the watchlist (watchlist_item_not_found)' })
  async remove(@CurrentUser() user: AuthUser, @Param('symbol') symbol: string, @Meta() meta: RequestMeta): Promise<void> {
    await this.watchlist.remove(user.id, symbol, meta);
  }

  @Get('exchange-sync/oco-settings')
  @ApiOperation({ summary: 'Your OCO percentages (defaults from OCO_STOP_LOSS_PCT / OCO_TAKE_PROFIT_PCT).' })
  @ApiOkResponse({ type: OcoSettingsResponse })
  async getOco(@CurrentUser() user: AuthUser): Promise<OcoSettingsResponse> {
    const s = await this.oco.get(user.id);
    return { stop_loss_pct: s.stopLossPct, take_profit_pct: s.takeProfitPct };
  }

  @Put('exchange-sync/oco-settings')
  @ApiOperation({ summary: 'Set your OCO percentages (applied to entries filled from now on).' })
  @ApiOkResponse({ type: OcoSettingsResponse, description: 'The saved settings' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Validation failed: percentages must be decimal strings with 0 < x < 100' })
  async putOco(@CurrentUser() user: AuthUser, @Body() body: OcoSettingsRequest, @Meta() meta: RequestMeta): Promise<OcoSettingsResponse> {
    const s = await this.oco.save(user.id, { stopLossPct: body.stop_loss_pct, takeProfitPct: body.take_profit_pct }, meta);
    return { stop_loss_pct: s.stopLossPct, take_profit_pct: s.takeProfitPct };
  }
}
