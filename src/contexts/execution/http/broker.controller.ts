import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
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

@ApiTags('broker')
@ApiBearerAuth()
@Controller('api/broker')
export class BrokerController {
  constructor(private readonly broker: BrokerService) {}

  @Get('ping')
  @ApiOperation({ summary: 'Connectivity and clock skew to Binance (testnet unless LIVE_TRADING).' })
  ping(): Promise<PingResponse> {
    return this.broker.ping();
  }

  @Get('balance')
  @ApiOperation({ summary: 'Non-zero balances of the account.' })
  balance(@CurrentUser() user: AuthUser): Promise<BalanceResponse> {
    return this.broker.balance(user.id);
  }

  @Get('positions')
  @ApiOperation({ summary: 'Spot holdings other than USD stablecoins.' })
  positions(@CurrentUser() user: AuthUser): Promise<PositionsResponse> {
    return this.broker.positions(user.id);
  }

  @Get('account/info')
  @ApiOperation({ summary: 'Account type, trading permission and commissions.' })
  accountInfo(@CurrentUser() user: AuthUser): Promise<AccountInfoResponse> {
    return this.broker.accountInfo(user.id);
  }

  @Post('order/create')
  @Idempotent()
  @ApiOperation({ summary: 'LIMIT GTC order after the risk manager; stop_loss + take_profit add an OCO protection. 423 when the kill switch is engaged.' })
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
  cancel(@CurrentUser() user: AuthUser, @Body() dto: CancelOrderDto, @Meta() meta: RequestMeta): Promise<CancelOrderResponse> {
    return this.broker.cancelOrder(user.id, dto.symbol, dto.order_id, meta);
  }

  @Get('order/:id')
  @ApiQuery({ name: 'symbol', required: true, example: 'BTCUSDT' })
  @ApiOperation({ summary: 'Order status from the exchange.' })
  order(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query('symbol') symbol?: string): Promise<OrderStatusResponse> {
    return this.broker.getOrder(user.id, symbol, id);
  }
}
