import { Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestMeta } from '@kernel';
import { AuthUser, CurrentUser, Roles } from '@platform/auth/auth.decorators';
import { Meta } from '@platform/http/request-meta.decorator';
import { Idempotent } from '@platform/idempotency/idempotency.interceptor';
import { ExecutionService } from '../application/execution.service';
import { KillSwitchService } from '../application/kill-switch.service';
import { KillSwitchState } from '../domain/risk';
import {
  KillSwitchDto,
  KillSwitchResponse,
  PaperCheckDto,
  PaperCheckResponse,
  PrepareDto,
  PrepareResponse,
  TestOrderDto,
  TestOrderResponse,
} from './execution.dto';

const idemKey = (a?: string, b?: string) => a ?? b;
const toKillSwitch = (s: KillSwitchState): KillSwitchResponse => ({
  engaged: s.engaged,
  reason: s.reason,
  changed_by: s.changedBy,
  changed_at: s.changedAt ? s.changedAt.toISOString() : null,
});

@ApiTags('execution')
@ApiBearerAuth()
@Controller('ops/execution')
export class ExecutionController {
  constructor(
    private readonly execution: ExecutionService,
    private readonly killSwitch: KillSwitchService,
  ) {}

  @Post('prepare')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dry run: validates the order, credentials, risk limits and kill switch; shows the request that would be sent. Never calls out.' })
  prepare(@CurrentUser() user: AuthUser, @Body() dto: PrepareDto, @Meta() meta: RequestMeta): Promise<PrepareResponse> {
    return this.execution.prepare(user.id, dto, meta);
  }

  @Post('binance/test-order')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Signed POST /api/v3/order/test on the Binance testnet. Upstream errors: 502 {exchange, upstream_status, code, message}.' })
  testOrder(
    @CurrentUser() user: AuthUser,
    @Body() dto: TestOrderDto,
    @Meta() meta: RequestMeta,
    @Headers('idempotency-key') key?: string,
    @Headers('x-idempotency-key') xKey?: string,
  ): Promise<TestOrderResponse> {
    return this.execution.binanceTestOrder(user.id, dto, idemKey(key, xKey), meta);
  }

  @Post(['ibkr/paper-check', 'ibkr/test-order'])
  @HttpCode(200)
  @ApiOperation({ summary: 'IBKR Client Portal what-if on the paper account (offline check when IBKR_BASE_URL is unset).' })
  paperCheck(@CurrentUser() user: AuthUser, @Body() dto: PaperCheckDto, @Meta() meta: RequestMeta): Promise<PaperCheckResponse> {
    return this.execution.ibkrPaperCheck(user.id, dto, meta);
  }

  @Get('kill-switch')
  @ApiOperation({ summary: 'Whether order placement is halted.' })
  async killSwitchState(): Promise<KillSwitchResponse> {
    return toKillSwitch(await this.killSwitch.state());
  }

  @Post('kill-switch')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Admin: engage (halt every placement with 423) or release the kill switch. Audited.' })
  async setKillSwitch(@CurrentUser() user: AuthUser, @Body() dto: KillSwitchDto, @Meta() meta: RequestMeta): Promise<KillSwitchResponse> {
    return toKillSwitch(await this.killSwitch.set(user.id, dto.engaged, dto.reason.trim(), meta));
  }
}
