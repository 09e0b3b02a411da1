import { Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RequestMeta } from '@kernel';
import { AuthUser, CurrentUser, Roles } from '@platform/auth/auth.decorators';
import { Meta } from '@platform/http/request-meta.decorator';
import { Idempotent } from '@platform/idempotency/idempotency.interceptor';
import { ExecutionService } from '../application/execution.service';
import { KillSwitchService } from '../application/kill-switch.service';
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
import { ErrorResponse } from '@platform/http/error-response.dto';
import { ExecutionBadRequestResponse, UpstreamErrorResponse } from './execution-errors.dto';
import { toKillSwitchResponse, toPaperCheckResponse, toPrepareResponse, toTestOrderResponse } from './execution.mappers';

const KILL_SWITCH_423 = {
  status: 423,
  type: ErrorResponse,
  description: 'Kill switch engaged (code kill_switch_engaged): order placement is halted.',
};
const UPSTREAM_502 = {
  type: UpstreamErrorResponse,
  description: 'Exchange error or unreachable: {exchange, upstream_status, code, message}.',
};

const idemKey = (a?: string, b?: string) => a ?? b;

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
  @ApiOperation({
    summary:
      'Dry run: validates the order, credentials, risk limits and kill switch; shows the request that would be sent. Never calls out.',
  })
  @ApiOkResponse({ type: PrepareResponse, description: 'Dry-run result: every check and the request that would be sent.' })
  @ApiBadRequestResponse({
    type: ExecutionBadRequestResponse,
    description: 'Invalid order fields (validation_failed) or missing credentials (missing_credentials).',
  })
  async prepare(@CurrentUser() user: AuthUser, @Body() dto: PrepareDto, @Meta() meta: RequestMeta): Promise<PrepareResponse> {
    return toPrepareResponse(await this.execution.prepare(user.id, dto, meta));
  }

  @Post('binance/test-order')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'Signed POST /api/v3/order/test on the Binance testnet. Upstream errors: 502 {exchange, upstream_status, code, message}.',
  })
  @ApiOkResponse({ type: TestOrderResponse, description: 'The testnet accepted the test order.' })
  @ApiBadRequestResponse({
    type: ExecutionBadRequestResponse,
    description: 'Invalid order fields, missing credentials, failed risk check (risk_check_failed) or bad Idempotency-Key.',
  })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Idempotency-Key reused with a different payload, or still in progress.' })
  @ApiResponse(KILL_SWITCH_423)
  @ApiBadGatewayResponse(UPSTREAM_502)
  async testOrder(
    @CurrentUser() user: AuthUser,
    @Body() dto: TestOrderDto,
    @Meta() meta: RequestMeta,
    @Headers('idempotency-key') key?: string,
    @Headers('x-idempotency-key') xKey?: string,
  ): Promise<TestOrderResponse> {
    return toTestOrderResponse(await this.execution.binanceTestOrder(user.id, dto, idemKey(key, xKey), meta));
  }

  @Post(['ibkr/paper-check', 'ibkr/test-order'])
  @HttpCode(200)
  @ApiOperation({ summary: 'IBKR Client Portal what-if on the paper account (offline check when IBKR_BASE_URL is unset).' })
  @ApiOkResponse({ type: PaperCheckResponse, description: 'What-if preview from the IBKR paper account, or the offline check.' })
  @ApiBadRequestResponse({ type: ExecutionBadRequestResponse, description: 'Invalid order fields or missing IBKR credentials.' })
  @ApiResponse(KILL_SWITCH_423)
  @ApiBadGatewayResponse(UPSTREAM_502)
  async paperCheck(@CurrentUser() user: AuthUser, @Body() dto: PaperCheckDto, @Meta() meta: RequestMeta): Promise<PaperCheckResponse> {
    return toPaperCheckResponse(await this.execution.ibkrPaperCheck(user.id, dto, meta));
  }

  @Get('kill-switch')
  @ApiOperation({ summary: 'Whether order placement is halted.' })
  @ApiOkResponse({ type: KillSwitchResponse, description: 'Current kill switch state.' })
  async killSwitchState(): Promise<KillSwitchResponse> {
    return toKillSwitchResponse(await this.killSwitch.state());
  }

  @Post('kill-switch')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Admin: engage (halt every placement with 423) or release the kill switch. Audited.' })
  @ApiOkResponse({ type: KillSwitchResponse, description: 'The new kill switch state.' })
  @ApiBadRequestResponse({ type: ExecutionBadRequestResponse, description: 'engaged must be a boolean; reason 3-500 characters.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Requires the admin role.' })
  async setKillSwitch(@CurrentUser() user: AuthUser, @Body() dto: KillSwitchDto, @Meta() meta: RequestMeta): Promise<KillSwitchResponse> {
    return toKillSwitchResponse(await this.killSwitch.set(user.id, dto.engaged, dto.reason.trim(), meta));
  }
}
