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
import { BrokerService } from '../application/broker.service';
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
} from './broker.dto';
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
  constructor(private readonly broker: BrokerService) {}

  @Get('ping')
  @ApiOperation({ summary: 'Connectivity and clock skew to Binance (testnet unless LIVE_TRADING).' })
  @ApiOkResponse({ type: PingResponse, description: 'Exchange reachable; server time, clock skew and latency.' })
  @ApiBadGatewayResponse(UPSTREAM_502)
  ping(): Promise<PingResponse> {
    return this.broker.ping();
  }

  @Get('balance')
  @ApiOperation({ summary: 'Non-zero balances of the account.' })
  @ApiOkResponse({ type: BalanceResponse, description: 'Non-zero balances and commissions.' })
  @ApiBadRequestResponse(NO_CREDENTIALS_400)
  @ApiBadGatewayResponse(UPSTREAM_502)
  balance(@CurrentUser() user: AuthUser): Promise<BalanceResponse> {
    return this.broker.balance(user.id);
  }

  @Get('positions')
  @ApiOperation({ summary: 'Spot holdings other than USD stablecoins.' })
  @ApiOkResponse({ type: PositionsResponse, description: 'Non-stablecoin holdings with totals.' })
  @ApiBadRequestResponse(NO_CREDENTIALS_400)
  @ApiBadGatewayResponse(UPSTREAM_502)
  positions(@CurrentUser() user: AuthUser): Promise<PositionsResponse> {
    return this.broker.positions(user.id);
  }

  @Get('account/info')
  @ApiOperation({ summary: 'Account type, trading permission and commissions.' })
  @ApiOkResponse({ type: AccountInfoResponse, description: 'Account summary.' })
  @ApiBadRequestResponse(NO_CREDENTIALS_400)
  @ApiBadGatewayResponse(UPSTREAM_502)
  accountInfo(@CurrentUser() user: AuthUser): Promise<AccountInfoResponse> {
    return this.broker.accountInfo(user.id);
  }

  @Post('order/create')
  @Idempotent()
  @ApiOperation({
    summary: 'LIMIT GTC order after the risk manager; stop_loss + take_profit add an OCO protection. 423 when the kill switch is engaged.',
  })
  @ApiCreatedResponse({
    type: CreateOrderResponse,
    description: 'Order placed; protection is null without stop_loss/take_profit, FAILED (with error) when the OCO was rejected.',
  })
  @ApiBadRequestResponse({
    type: ExecutionBadRequestResponse,
    description: 'Invalid fields (validation_failed), missing credentials, failed risk check (risk_check_failed) or bad Idempotency-Key.',
  })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Idempotency-Key reused with a different payload, or still in progress.' })
  @ApiResponse({
    status: 423,
    type: ErrorResponse,
    description: 'Kill switch engaged (code kill_switch_engaged): order placement is halted.',
  })
  @ApiBadGatewayResponse(UPSTREAM_502)
  create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateOrderDto,
    @Meta() meta: RequestMeta,
    @Headers('idempotency-key') key?: string,
    @Headers('x-idempotency-key') xKey?: string,
  ): Promise<CreateOrderResponse> {
    return this.broker.createOrder(user.id, dto, key ?? xKey, meta);
  }

  @Post('order/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an open order (allowed while the kill switch is engaged).' })
  @ApiOkResponse({ type: CancelOrderResponse, description: 'The cancelled order.' })
  @ApiBadRequestResponse(ORDER_REF_400)
  @ApiNotFoundResponse(ORDER_404)
  @ApiBadGatewayResponse(UPSTREAM_502)
  cancel(@CurrentUser() user: AuthUser, @Body() dto: CancelOrderDto, @Meta() meta: RequestMeta): Promise<CancelOrderResponse> {
    return this.broker.cancelOrder(user.id, dto.symbol, dto.order_id, meta);
  }

  @Get('order/:id')
  @ApiQuery({ name: 'symbol', required: true, example: 'BTCUSDT' })
  @ApiOperation({ summary: 'Order status from the exchange.' })
  @ApiOkResponse({ type: OrderStatusResponse, description: 'Order status, filled and remaining quantity.' })
  @ApiBadRequestResponse(ORDER_REF_400)
  @ApiNotFoundResponse(ORDER_404)
  @ApiBadGatewayResponse(UPSTREAM_502)
  order(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query('symbol') symbol?: string): Promise<OrderStatusResponse> {
    return this.broker.getOrder(user.id, symbol, id);
  }
}
