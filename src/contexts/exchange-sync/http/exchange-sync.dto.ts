import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';
import { ExchangeOrder } from '../domain/exchange-order';
import type { ExchangeSnapshot } from '../application/dashboard.service';
import { SyncRun, UserSyncState } from '../domain/exchange-sync.ports';
import { ValuedBalance } from '../domain/valuation';
import { WATCHLIST_MAX_ITEMS, WatchlistItem } from '../domain/watchlist';
import { SymbolSignalResponse } from './signals.dto';

const SYMBOL = /^[A-Za-z0-9]{1,15}[_/][A-Za-z0-9]{1,15}$/;
const SYMBOL_MSG = '$property must look like BTC_USDT or BTC/USDT (letters and digits, 1-15 each side)';
const PCT = /^\d{1,3}(\.\d{1,4})?$/;

export class AddWatchlistItemRequest {
  @ApiProperty({ example: 'BTC_USDT', description: 'BTC_USDT or BTC/USDT; stored as BTC_USDT' })
  @IsString()
  @MaxLength(40)
  @Matches(SYMBOL, { message: SYMBOL_MSG })
  symbol: string;
}

export class ReplaceWatchlistRequest {
  @ApiProperty({ type: [String], maxItems: WATCHLIST_MAX_ITEMS, example: ['BTC_USDT', 'ETH/USDT'] })
  @IsArray()
  @ArrayMaxSize(WATCHLIST_MAX_ITEMS)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  @Matches(SYMBOL, { each: true, message: SYMBOL_MSG })
  symbols: string[];
}

export class OcoSettingsRequest {
  @ApiProperty({ example: '2', description: 'Stop-loss distance from the entry price, percent (0 < x < 100)' })
  @IsString()
  @Matches(PCT, { message: '$property must be a decimal string such as "2" or "2.5"' })
  stop_loss_pct: string;

  @ApiProperty({ example: '4', description: 'Take-profit distance from the entry price, percent (0 < x < 100)' })
  @IsString()
  @Matches(PCT, { message: '$property must be a decimal string such as "4" or "4.5"' })
  take_profit_pct: string;
}

export class OcoSettingsResponse {
  @ApiProperty({ example: '2' }) stop_loss_pct: string;
  @ApiProperty({ example: '4' }) take_profit_pct: string;
}

export class WatchlistItemResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'BTC_USDT' }) symbol: string;
  @ApiProperty() created_at: string;
}

export class ExchangeOrderResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'CRYPTO_COM' }) exchange: string;
  @ApiProperty({ nullable: true, type: String }) exchange_order_id: string | null;
  @ApiProperty({ nullable: true, type: String }) client_order_id: string | null;
  @ApiProperty({ example: 'BTC_USDT' }) symbol: string;
  @ApiProperty({ enum: ['BUY', 'SELL'] }) side: string;
  @ApiProperty({ example: 'LIMIT' }) type: string;
  @ApiProperty({ enum: ['PENDING', 'NEW', 'ACTIVE', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'] }) status: string;
  @ApiProperty({ example: '0.5' }) quantity: string;
  @ApiProperty({ nullable: true, type: String }) price: string | null;
  @ApiProperty({ nullable: true, type: String }) trigger_price: string | null;
  @ApiProperty({ example: '0.5' }) cumulative_quantity: string;
  @ApiProperty({ nullable: true, type: String }) avg_price: string | null;
  @ApiProperty({ nullable: true, enum: ['STOP_LOSS', 'TAKE_PROFIT'] }) order_role: string | null;
  @ApiProperty({ nullable: true, type: String }) oco_group_id: string | null;
  @ApiProperty({ nullable: true, type: String }) parent_order_id: string | null;
  @ApiProperty({ description: 'true: an OCO leg recorded in DRY_RUN, evaluated against the last price' }) simulated: boolean;
  @ApiProperty({ nullable: true, type: String }) exchange_updated_at: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class BalanceResponse {
  @ApiProperty({ example: 'BTC' }) currency: string;
  @ApiProperty({ example: '0.5' }) quantity: string;
  @ApiProperty({ nullable: true, type: String, example: '30000' }) usd_price: string | null;
  @ApiProperty({ nullable: true, type: String, example: '15000' }) usd_value: string | null;
}

export class ExchangeBalanceResponse extends BalanceResponse {
  @ApiProperty({ example: 'BINANCE' }) exchange: string;
}

export class ExchangePortfolioResponse {
  @ApiProperty({ example: 'BINANCE' }) exchange: string;
  @ApiProperty({ type: [ExchangeBalanceResponse] }) balances: ExchangeBalanceResponse[];
  @ApiProperty({ example: '15000.00' }) total_usd: string;
  @ApiProperty({ nullable: true, type: String }) last_sync_at: string | null;
}

export class PortfolioResponse {
  @ApiProperty({
    type: [BalanceResponse],
    description: 'Every connected exchange as one: quantity and usd_value summed per currency; usd_price null where exchanges differ',
  })
  balances: BalanceResponse[];
  @ApiProperty({ example: '15000.00' }) total_usd: string;
  @ApiProperty({
    type: [ExchangePortfolioResponse],
    description: 'Each connected exchange (credentials stored or synced), its own balances',
  })
  by_exchange: ExchangePortfolioResponse[];
}

export class SummaryResponse {
  @ApiProperty({ example: '15000.00' }) total_usd: string;
  @ApiProperty() open_orders: number;
  @ApiProperty() executed_orders: number;
}

export class DashboardStateResponse {
  @ApiProperty({ type: [ExchangeOrderResponse] }) open_orders: ExchangeOrderResponse[];
  @ApiProperty({ type: [ExchangeOrderResponse], description: 'FILLED orders, newest first (100 at most)' })
  executed_orders: ExchangeOrderResponse[];
  @ApiProperty({ type: PortfolioResponse }) portfolio: PortfolioResponse;
  @ApiProperty({ type: SummaryResponse }) summary: SummaryResponse;
  @ApiProperty({ type: [String], example: ['BTC_USDT'] }) watchlist: string[];
  @ApiProperty({ type: [SymbolSignalResponse], description: 'The newest signal of each watchlist symbol (see GET /api/signals)' })
  signals: SymbolSignalResponse[];
  @ApiProperty({ nullable: true, type: String }) last_sync_at: string | null;
  @ApiProperty({ enum: ['DRY_RUN', 'LIVE'] }) mode: 'DRY_RUN' | 'LIVE';
}

export class SyncFailureResponse {
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty({ example: 'Missing credentials for CRYPTO_COM' }) error: string;
}

export class SyncWorkerResponse {
  @ApiProperty({ example: 'api1-7', description: 'INSTANCE_ID of the process' }) instance_id: string;
  @ApiProperty({ example: 2500, description: 'Users of this run it synced' }) users: number;
}

export class SyncRunAcceptedResponse {
  @ApiProperty({ format: 'uuid' }) run_id: string;
  @ApiProperty({ enum: ['RUNNING'] }) status: string;
  @ApiProperty({ example: '/ops/exchange-sync/runs/5b0c...', description: 'GET it for the run' }) status_url: string;
}

export class SyncRunResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['schedule', 'manual'] }) trigger: string;
  @ApiProperty({ enum: ['all', 'user'] }) scope: string;
  @ApiProperty({ enum: ['RUNNING', 'COMPLETED', 'INTERRUPTED'] }) status: string;
  @ApiProperty() started_at: string;
  @ApiProperty({ nullable: true, type: String }) finished_at: string | null;
  @ApiProperty({ nullable: true, type: Number }) duration_ms: number | null;
  @ApiProperty() users_total: number;
  @ApiProperty() users_ok: number;
  @ApiProperty() users_failed: number;
  @ApiProperty() balances: number;
  @ApiProperty() open_orders: number;
  @ApiProperty() orders_upserted: number;
  @ApiProperty() oco_pairs_created: number;
  @ApiProperty({ type: [SyncFailureResponse], description: "Every user's failures for an admin; others see only their own" })
  failures: SyncFailureResponse[];
  @ApiProperty({ type: [SyncWorkerResponse], description: 'Each instance that worked users of this run, with how many' })
  workers: SyncWorkerResponse[];
}

export class UserSyncStateResponse {
  @ApiProperty({ nullable: true, type: String }) last_sync_at: string | null;
  @ApiProperty({ nullable: true, enum: ['ok', 'failed'] }) last_status: string | null;
  @ApiProperty({ nullable: true, type: String }) last_error: string | null;
}

export class SyncStatusResponse {
  @ApiProperty({ type: SyncRunResponse, nullable: true, description: "The newest run (a cycle or a user's own sync)" })
  last_run: SyncRunResponse | null;
  @ApiProperty({ type: SyncRunResponse, nullable: true, description: 'The newest cycle (every user with credentials)' })
  last_cycle: SyncRunResponse | null;
  @ApiProperty({ description: 'The newest run or cycle is still running' }) running: boolean;
  @ApiProperty({ example: 60 }) interval_seconds: number;
  @ApiProperty({ enum: ['DRY_RUN', 'LIVE'] }) mode: string;
  @ApiProperty({ type: UserSyncStateResponse, description: 'Your own last sync (all null before the first one)' })
  me: UserSyncStateResponse;
}

export class AlertReportResponse {
  @ApiProperty({ example: '2026-01-05' }) day: string;
  @ApiProperty() skipped: boolean;
  @ApiProperty() users_alerted: number;
  @ApiProperty() positions: number;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const toOrderResponse = (o: ExchangeOrder): ExchangeOrderResponse => ({
  id: o.id,
  exchange: o.exchange,
  exchange_order_id: o.exchangeOrderId,
  client_order_id: o.clientOrderId,
  symbol: o.symbol,
  side: o.side,
  type: o.type,
  status: o.status,
  quantity: o.quantity,
  price: o.price,
  trigger_price: o.triggerPrice,
  cumulative_quantity: o.cumulativeQuantity,
  avg_price: o.avgPrice,
  order_role: o.role,
  oco_group_id: o.ocoGroupId,
  parent_order_id: o.parentOrderId,
  simulated: o.simulated,
  exchange_updated_at: iso(o.exchangeUpdatedAt),
  created_at: o.createdAt.toISOString(),
  updated_at: o.updatedAt.toISOString(),
});

export const toBalanceResponse = (b: ValuedBalance): BalanceResponse => ({
  currency: b.currency,
  quantity: b.quantity,
  usd_price: b.usdPrice,
  usd_value: b.usdValue,
});

export const toExchangePortfolioResponse = (p: ExchangeSnapshot): ExchangePortfolioResponse => ({
  exchange: p.exchange,
  balances: p.balances.map((b) => ({ exchange: p.exchange, ...toBalanceResponse(b) })),
  total_usd: p.totalUsd,
  last_sync_at: iso(p.lastSyncAt),
});

export const toRunResponse = (r: SyncRun, viewer: { id: string; role: string }): SyncRunResponse => ({
  id: r.id,
  trigger: r.trigger,
  scope: r.scope,
  status: r.status,
  started_at: r.startedAt.toISOString(),
  finished_at: iso(r.finishedAt),
  duration_ms: r.durationMs,
  users_total: r.usersTotal,
  users_ok: r.usersOk,
  users_failed: r.usersFailed,
  balances: r.balances,
  open_orders: r.openOrders,
  orders_upserted: r.ordersUpserted,
  oco_pairs_created: r.ocoPairsCreated,
  failures: viewer.role === 'admin' ? r.failures : r.failures.filter((f) => f.user_id === viewer.id),
  workers: r.workers.map((w) => ({ instance_id: w.instanceId, users: w.users })),
});

export const toUserStateResponse = (s: UserSyncState | null): UserSyncStateResponse => ({
  last_sync_at: iso(s?.lastSyncAt ?? null),
  last_status: s?.lastStatus ?? null,
  last_error: s?.lastError ?? null,
});

export const toWatchlistResponse = (i: WatchlistItem): WatchlistItemResponse => ({
  id: i.id,
  symbol: i.symbol,
  created_at: i.createdAt.toISOString(),
});
