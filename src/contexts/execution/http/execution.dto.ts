import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsBoolean, IsString, MaxLength, MinLength } from 'class-validator';

// Order fields are validated by the domain (parseOrderSpec) so one 400 lists every
// bad field with exchange-specific messages; @Allow() lets them through the whitelist.
const AMOUNT = { oneOf: [{ type: 'number' }, { type: 'string' }] };

export class PrepareDto {
  @ApiProperty({ enum: ['BINANCE', 'IBKR'], example: 'BINANCE' })
  @Allow()
  exchange: unknown;

  @ApiProperty({
    type: String,
    example: 'BTCUSDT',
    description: 'Binance: BTCUSDT (upper case, no separator); IBKR: a ticker such as AAPL.',
  })
  @Allow()
  symbol: unknown;

  @ApiProperty({ enum: ['BUY', 'SELL'] })
  @Allow()
  side: unknown;

  @ApiProperty({ ...AMOUNT, example: 0.01, description: 'Quantity > 0, at most 1e9, at most 8 decimals (number or decimal string).' })
  @Allow()
  qty: unknown;

  @ApiPropertyOptional({ enum: ['MARKET', 'LIMIT'], example: 'LIMIT', description: 'Default LIMIT when a price is given, else MARKET.' })
  @Allow()
  type?: unknown;

  @ApiPropertyOptional({ ...AMOUNT, example: 60000, description: 'Only for LIMIT orders.' })
  @Allow()
  price?: unknown;
}

export class TestOrderDto {
  @ApiProperty({ type: String, example: 'BTCUSDT' })
  @Allow()
  symbol: unknown;

  @ApiProperty({ enum: ['BUY', 'SELL'] })
  @Allow()
  side: unknown;

  @ApiProperty({ ...AMOUNT, example: 0.01 })
  @Allow()
  qty: unknown;

  @ApiPropertyOptional({ enum: ['MARKET', 'LIMIT'], example: 'LIMIT' })
  @Allow()
  type?: unknown;

  @ApiPropertyOptional({ ...AMOUNT, example: 60000 })
  @Allow()
  price?: unknown;
}

export class PaperCheckDto {
  @ApiProperty({ type: String, example: 'AAPL' })
  @Allow()
  symbol: unknown;

  @ApiProperty({ enum: ['BUY', 'SELL'] })
  @Allow()
  side: unknown;

  @ApiProperty({ ...AMOUNT, example: 1 })
  @Allow()
  qty: unknown;
}

export class KillSwitchDto {
  @ApiProperty({ description: 'true halts every order placement (423) until released.' })
  @IsBoolean()
  engaged: boolean;

  @ApiProperty({ example: 'Abnormal slippage on BTCUSDT', minLength: 3, maxLength: 500 })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}

export class CheckResponse {
  @ApiProperty() name: string;
  @ApiProperty() passed: boolean;
  @ApiPropertyOptional({ description: 'Not evaluated in a dry run (needs a call out); does not fail it.' }) skipped?: boolean;
  @ApiProperty() message: string;
}

export class RequestPreviewResponse {
  @ApiProperty({ example: 'POST' }) method: string;
  @ApiProperty() url: string;
  @ApiProperty({ example: '/api/v3/order/test' }) path: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) params: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Placeholders only: never the key.' })
  headers: Record<string, string>;
  @ApiProperty({ description: 'A signature is added when sent (never shown).' }) signed: boolean;
}

export class PrepareResponse {
  @ApiProperty({ enum: ['DRY_RUN'] }) mode: 'DRY_RUN';
  @ApiProperty({ enum: ['BINANCE', 'IBKR'] }) exchange: string;
  @ApiProperty() symbol: string;
  @ApiProperty() side: string;
  @ApiProperty() type: string;
  @ApiProperty({ example: '0.01' }) qty: string;
  @ApiProperty({ nullable: true, type: String }) price: string | null;
  @ApiProperty() passed: boolean;
  @ApiProperty({ type: [CheckResponse] }) checks: CheckResponse[];
  @ApiProperty({ type: RequestPreviewResponse }) request_preview: RequestPreviewResponse;
}

export class TestOrderResponse {
  @ApiProperty({ example: 'BINANCE' }) exchange: string;
  @ApiProperty({ example: 'testnet_order_test' }) mode: string;
  @ApiProperty() symbol: string;
  @ApiProperty() side: string;
  @ApiProperty() type: string;
  @ApiProperty() qty: string;
  @ApiProperty({ nullable: true, type: String }) price: string | null;
  @ApiProperty({ description: 'newClientOrderId sent to Binance.' }) client_order_id: string;
  @ApiProperty() sent: boolean;
  @ApiProperty({ description: 'Time spent in the signed exchange call.' }) latency_ms: number;
}

export class WhatIfPreviewResponse {
  @ApiProperty() conid: string;
  @ApiProperty({ nullable: true, type: String }) commission: string | null;
  @ApiProperty({ nullable: true, type: String }) amount: string | null;
  @ApiProperty({ nullable: true, type: String }) margin_change: string | null;
  @ApiProperty({ nullable: true, type: String }) equity_change: string | null;
  @ApiProperty({ type: [String] }) warnings: string[];
}

export class PaperCheckResponse {
  @ApiProperty({ example: 'IBKR' }) exchange: string;
  @ApiProperty({ enum: ['PAPER_WHATIF', 'OFFLINE_PAPER_CHECK'] }) mode: string;
  @ApiProperty({ description: 'As the Binance test order: true when the order reached the IBKR gateway, false when checked offline.' })
  sent: boolean;
  @ApiProperty() symbol: string;
  @ApiProperty() side: string;
  @ApiProperty() qty: string;
  @ApiProperty({ nullable: true, type: String }) account_id: string | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: [CheckResponse] }) checks: CheckResponse[];
  @ApiProperty({ type: WhatIfPreviewResponse, nullable: true }) preview: WhatIfPreviewResponse | null;
  @ApiProperty({ nullable: true, type: Number }) latency_ms: number | null;
}

export class KillSwitchResponse {
  @ApiProperty() engaged: boolean;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: String }) changed_by: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) changed_at: string | null;
}
