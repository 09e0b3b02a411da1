import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import { FastifyReply } from 'fastify';
import { Decimal, DomainError, RequestMeta } from '@kernel';
import { AuthUser, CurrentUser, Roles } from '@platform/auth/auth.decorators';
import { Meta } from '@platform/http/request-meta.decorator';
import { Idempotent } from '@platform/idempotency/idempotency.interceptor';
import { SubscriptionsService } from '../application/subscriptions.service';
import { ExclusiveProductReport } from '../domain/funds.ports';
import {
  AccountResponse,
  FundIdParam,
  FundResponse,
  HistoryQuery,
  ReportQuery,
  ReportResponse,
  SubscribeDto,
  TransactionResponse,
  TxIdParam,
} from './funds.dto';
import { FUND_LIST_SCHEMA } from './funds.schemas';
import { decodeCursor, encodeCursor, toAccountResponse, toFundResponse, toReportResponse, toTransactionResponse } from './funds.mappers';

@ApiTags('funds')
@ApiBearerAuth()
@Controller('api/v1')
export class FundsController {
  constructor(private readonly funds: SubscriptionsService) {}

  @Get('funds')
  @ApiOperation({ summary: 'The fund catalogue (seed 004: five funds).' })
  @ApiOkResponse({ type: [FundResponse] })
  @RouteSchema({ response: { 200: FUND_LIST_SCHEMA } })
  async list(): Promise<FundResponse[]> {
    return (await this.funds.listFunds()).map(toFundResponse);
  }

  @Post('subscriptions/:fund_id')
  @Idempotent({ databaseOnly: true })
  @ApiOperation({
    summary:
      'Subscribe to a fund. 400: below the minimum, fractions, or "No tiene saldo disponible para vincularse al fondo <name>"; 409: already subscribed.',
  })
  @ApiResponse({ status: 201, type: TransactionResponse })
  async subscribe(
    @Param() params: FundIdParam,
    @Body() dto: SubscribeDto,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<TransactionResponse> {
    const tx = await this.funds.subscribe(user.id, Number(params.fund_id), new Decimal(String(dto.amount)), meta);
    return toTransactionResponse(tx);
  }

  @Post('subscriptions/:tx_id/cancel')
  @HttpCode(200)
  @Idempotent({ databaseOnly: true })
  @ApiOperation({
    summary: 'Cancel a subscription by its transaction id: refunds the amount. 404 unknown or not yours; 409 already cancelled.',
  })
  @ApiOkResponse({ type: TransactionResponse })
  async cancel(@Param() params: TxIdParam, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<TransactionResponse> {
    return toTransactionResponse(await this.funds.cancel(user.id, params.tx_id.toLowerCase(), meta));
  }

  @Get('transactions')
  @ApiOperation({ summary: 'Own fund transactions, newest first. Next page: pass the X-Next-Cursor header value as ?cursor=.' })
  @ApiOkResponse({
    type: [TransactionResponse],
    headers: { 'X-Next-Cursor': { description: 'Cursor of the next page (absent on the last page).', schema: { type: 'string' } } },
  })
  async history(
    @Query() q: HistoryQuery,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TransactionResponse[]> {
    let before: number | undefined;
    if (q.cursor !== undefined) {
      const seq = decodeCursor(q.cursor);
      if (seq === null) {
        throw DomainError.invalidField('cursor', 'cursor is not a valid cursor');
      }
      before = seq;
    }
    const limit = q.limit ?? 20;
    const page = await this.funds.history(user.id, limit, before);
    if (page.nextBeforeSeq !== null) {
      const next = encodeCursor(page.nextBeforeSeq);
      void reply.header('X-Next-Cursor', next);
      void reply.header('Link', `</api/v1/transactions?limit=${limit}&cursor=${next}>; rel="next"`);
    }
    return page.items.map(toTransactionResponse);
  }

  @Get('account')
  @ApiOperation({ summary: 'Own balance, currency and active subscriptions.' })
  @ApiOkResponse({ type: AccountResponse })
  async account(@CurrentUser() user: AuthUser): Promise<AccountResponse> {
    return toAccountResponse(await this.funds.account(user.id));
  }
}

@ApiTags('funds')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class FundsReportsController {
  constructor(private readonly report: ExclusiveProductReport) {}

  @Get('exclusive-product-clients')
  @Roles('admin')
  @ApiOperation({ summary: 'Seed 004 SQL part 2 (admin): clients holding a product available only at the branches they visit.' })
  @ApiOkResponse({ type: ReportResponse })
  async exclusiveProductClients(@Query() q: ReportQuery): Promise<ReportResponse> {
    const mode = q.mode ?? 'exclusive';
    return toReportResponse(mode, await this.report.clients(mode));
  }
}
