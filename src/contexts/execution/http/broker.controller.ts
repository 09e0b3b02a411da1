import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RequestMeta } from '@kernel';
import { AuthUser, CurrentUser } from '@platform/auth/auth.decorators';
import { Meta } from '@platform/http/request-meta.decorator';
import { Idempotent } from '@platform/idempotency/idempotency.interceptor';
import { BrokerAccountService } from '../application/broker-account.service';
import { BrokerOrdersService } from '../application/broker-orders.service';
import { OrderPlacementService } from '../application/order-placement.service';
import {
  AccountInfoResponse,
  BalanceResponse,
  CancelOrderDto,
  CancelOrderResponse,
  CreateOrderDto,
  CreateOrderResponse,
  OrderStatusResponse,
  PingResponse,
  PositionsResponse,
  RecordedOrderResponse,
} from './broker.dto';
import {
  toAccountInfoResponse,
  toBalanceResponse,
  toCancelOrderResponse,
  toCreateOrderResponse,
  toOrderStatusResponse,
  toPingResponse,
  toPositionsResponse,
  toRecordedOrderResponse,
} from './broker.mappers';
import { ErrorResponse } from '@platform/http/error-response.dto';
import { ExecutionBadRequestResponse, UpstreamErrorResponse } from './execution-errors.dto';

const UPSTREAM_502 = {
  type: UpstreamErrorResponse,
  description: 'Binance error or unreachable: {exchange, upstream_status, code, message}.',
};
const NO_CREDENTIALS_400 = { type: ExecutionBadRequestResponse, description: 'No Binance credentials stored (missing_credentials).' };
const ORDER_REF_400 = {
  type: ExecutionBadRequestResponse,
  description: 'Invalid symbol or order_id (validation_failed), or missing credentials.',
};
const ORDER_404 = { type: ErrorResponse, description: 'Order not found on the exchange (order_not_found).' };

@ApiTags('broker')
@ApiBearerAuth()
@Controller('api/broker')
export class BrokerController {
  constructor(
    private readonly account: BrokerAccountService,
    private readonly placement: OrderPlacementService,
    private readonly orders: BrokerOrdersService,
  ) {}

  @Get('ping')
  @ApiOperation({ summary: 'Connectivity and clock skew to Binance (testnet unless LIVE_TRADING).' })
  @ApiOkResponse({ type: PingResponse, description: 'Exchange reachable; server time, clock skew and latency.' })
  @ApiBadGatewayResponse(UPSTREAM_502)
  async ping(): Promise<PingResponse> {
    return toPingResponse(await this.account.ping());
  }

  @Get('balance')
  @ApiOperation({ summary: 'Non-zero balances of the account.' })
  @ApiOkResponse({ type: BalanceResponse, description: 'Non-zero balances and commissions.' })
  @ApiBadRequestResponse(NO_CREDENTIALS_400)
  @ApiBadGatewayResponse(UPSTREAM_502)
  async balance(@CurrentUser() user: AuthUser): Promise<BalanceResponse> {
    return toBalanceResponse(await this.account.balance(user.id));
  }

  @Get('positions')
  @ApiOperation({ summary: 'Spot holdings other than USD stablecoins.' })
  @ApiOkResponse({ type: PositionsResponse, description: 'Non-stablecoin holdings with totals.' })
  @ApiBadRequestResponse(NO_CREDENTIALS_400)
  @ApiBadGatewayResponse(UPSTREAM_502)
  async positions(@CurrentUser() user: AuthUser): Promise<PositionsResponse> {
    return toPositionsResponse(await this.account.positions(user.id));
  }

  @Get('account/info')
  @ApiOperation({ summary: 'Account type, trading permission and commissions.' })
  @ApiOkResponse({ type: AccountInfoResponse, description: 'Account summary.' })
  @ApiBadRequestResponse(NO_CREDENTIALS_400)
  @ApiBadGatewayResponse(UPSTREAM_502)
  async accountInfo(@CurrentUser() user: AuthUser): Promise<AccountInfoResponse> {
    return toAccountInfoResponse(await this.account.accountInfo(user.id));
  }

  @Post('order/create')
  @Idempotent()
  @ApiOperation({
    summary:
      'LIMIT GTC order after the risk manager; stop_loss + take_profit add an OCO protection. Recorded PENDING (our client order id) before it is sent, then settled from the answer or by the reconciliation job. 423 when the kill switch is engaged.',
  })
  @ApiCreatedResponse({
    type: CreateOrderResponse,
    description: 'Order placed; protection is null without stop_loss/take_profit, FAILED (with error) when the OCO was rejected.',
  })
  @ApiBadRequestResponse({
    type: ExecutionBadRequestResponse,
    description: 'Invalid fields (validation_failed), missing credentials, failed risk check (risk_check_failed) or bad Idempotency-Key.',
  })
  @ApiConflictResponse({
    type: ErrorResponse,
    description:
      'Idempotency-Key reused with a different payload, or still in progress; order_already_submitted: an order with this client order id (same key) is already recorded, never sent twice.',
  })
  @ApiResponse({
    status: 503,
    type: ErrorResponse,
    description:
      'order_record_pending: Binance took the order but the database was away; it is recorded PENDING (client_order_id in the error) and the reconciliation job records the outcome.',
  })
  @ApiResponse({
    status: 423,
    type: ErrorResponse,
    description: 'Kill switch engaged (code kill_switch_engaged): order placement is halted.',
  })
  @ApiBadGatewayResponse({
    type: UpstreamErrorResponse,
    description:
      'Binance refused the order (recorded REJECTED with the reason), or order_status_unknown: no answer (timeout, dropped connection, 5xx); the order is recorded PENDING under client_order_id and settled by the reconciliation job (GET /api/broker/orders/{client_order_id}).',
  })
  async create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateOrderDto,
    @Meta() meta: RequestMeta,
    @Headers('idempotency-key') key?: string,
    @Headers('x-idempotency-key') xKey?: string,
  ): Promise<CreateOrderResponse> {
    return toCreateOrderResponse(await this.placement.createOrder(user.id, dto, key ?? xKey, meta));
  }

  @Post('order/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an open order (allowed while the kill switch is engaged).' })
  @ApiOkResponse({ type: CancelOrderResponse, description: 'The cancelled order.' })
  @ApiBadRequestResponse(ORDER_REF_400)
  @ApiNotFoundResponse(ORDER_404)
  @ApiBadGatewayResponse(UPSTREAM_502)
  async cancel(@CurrentUser() user: AuthUser, @Body() dto: CancelOrderDto, @Meta() meta: RequestMeta): Promise<CancelOrderResponse> {
    return toCancelOrderResponse(await this.orders.cancelOrder(user.id, dto.symbol, dto.order_id, meta));
  }

  @Get('order/:id')
  @ApiQuery({ name: 'symbol', required: true, example: 'BTCUSDT' })
  @ApiOperation({ summary: 'Order status from the exchange.' })
  @ApiOkResponse({ type: OrderStatusResponse, description: 'Order status, filled and remaining quantity.' })
  @ApiBadRequestResponse(ORDER_REF_400)
  @ApiNotFoundResponse(ORDER_404)
  @ApiBadGatewayResponse(UPSTREAM_502)
  async order(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query('symbol') symbol?: string): Promise<OrderStatusResponse> {
    return toOrderStatusResponse(await this.orders.getOrder(user.id, symbol, id));
  }

  @Get('orders/:client_order_id')
  @ApiOperation({
    summary:
      'Our record of an order by client order id: PENDING until the exchange confirmed it, then its status and fills (refreshed in the background).',
  })
  @ApiOkResponse({ type: RecordedOrderResponse, description: 'The recorded order.' })
  @ApiBadRequestResponse({ type: ExecutionBadRequestResponse, description: 'Malformed client_order_id (validation_failed).' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such order of yours (order_not_found).' })
  async recorded(@CurrentUser() user: AuthUser, @Param('client_order_id') id: string): Promise<RecordedOrderResponse> {
    return toRecordedOrderResponse(await this.orders.recorded(user.id, id));
  }
}
