import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorResponse } from '@platform/http/error-response.dto';
import { CheckResponse } from './execution.dto';

// The bodies the global error filter (libs/nest/http/error.filter.ts) writes for
// the execution and broker routes; documentation only, no behaviour.

/** 400 on the order routes: ErrorResponse plus, for risk_check_failed, every risk check. */
export class ExecutionBadRequestResponse extends ErrorResponse {
  @ApiPropertyOptional({ type: [CheckResponse], description: 'With code risk_check_failed: every risk check, failed ones included.' })
  checks?: CheckResponse[];
}

/** 502 when an exchange answered with an error or could not be reached. */
export class UpstreamErrorResponse {
  @ApiProperty({ example: 502 }) statusCode: number;
  @ApiProperty({ example: 'Bad Gateway' }) error: string;
  @ApiProperty({ example: 'Binance error: check the API key format/permissions (key valid, spot trading enabled, IP whitelisted)' })
  message: string;
  @ApiProperty({ description: 'Repeats message.' }) detail: string;
  @ApiProperty({ enum: ['BINANCE', 'IBKR'] }) exchange: string;
  @ApiProperty({ nullable: true, type: Number, description: 'HTTP status the exchange answered (null when unreachable).', example: 401 })
  upstream_status: number | null;
  @ApiProperty({
    oneOf: [{ type: 'integer' }, { type: 'string' }],
    description:
      "The exchange's own error code when it sent one (e.g. -2015), else binance_upstream_error / binance_upstream_unreachable (ibkr_ likewise).",
    example: -2015,
  })
  code: number | string;
  @ApiProperty({
    description: 'Stable reason, e.g. binance_auth, binance_clock, binance_rate_limit, binance_upstream_unreachable.',
    example: 'binance_auth',
  })
  reason: string;
  @ApiProperty({ description: "The exchange's message, sanitized." }) upstream_message: string;
  @ApiPropertyOptional({ description: 'When the exchange rate limited us.' }) retry_after_seconds?: number;
  @ApiProperty({ example: 'abc-123', description: 'The X-Request-Id of the request.' }) request_id: string;
}
