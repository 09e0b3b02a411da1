import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';

const AMOUNT = { oneOf: [{ type: 'number' }, { type: 'string' }] };

export class CreateOrderDto {
  @ApiProperty({ type: String, example: 'BTCUSDT' }) @Allow() symbol: unknown;
  @ApiProperty({ enum: ['BUY', 'SELL'] }) @Allow() side: unknown;
  @ApiProperty({ ...AMOUNT, example: 0.001 }) @Allow() quantity: unknown;
  @ApiProperty({ ...AMOUNT, example: 59000, description: 'Limit price (GTC). Paper mode: omit it (or type MARKET) for a MARKET order.' })
  @Allow()
  price: unknown;
  @ApiPropertyOptional({ enum: ['LIMIT', 'MARKET'], description: 'LIMIT by default; MARKET in paper mode only.' })
  @Allow()
  type?: unknown;
  @ApiPropertyOptional({ ...AMOUNT, example: 57000, description: 'With take_profit: an OCO protection on the opposite side.' })
  @Allow()
  stop_loss?: unknown;
  @ApiPropertyOptional({ ...AMOUNT, example: 62000 }) @Allow() take_profit?: unknown;
}

export class CancelOrderDto {
  @ApiProperty({ type: String, example: 'BTCUSDT' }) @Allow() symbol: unknown;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'integer' }], example: '1000' }) @Allow() order_id: unknown;
}

export class OrderResponse {
  @ApiProperty() order_id: string;
  @ApiProperty({ nullable: true, type: String }) client_order_id: string | null;
  @ApiProperty() symbol: string;
  @ApiProperty() side: string;
  @ApiProperty() type: string;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String }) price: string | null;
  @ApiProperty() quantity: string;
  @ApiProperty() filled: string;
  @ApiProperty() remaining: string;
}

export class ProtectionErrorResponse {
  @ApiProperty({
    oneOf: [{ type: 'integer' }, { type: 'string' }],
    description: "The exchange's error code, else binance_upstream_error / binance_upstream_unreachable.",
    example: -1013,
  })
  code: number | string;
  @ApiProperty({ nullable: true, type: Number }) upstream_status: number | null;
  @ApiProperty({ description: "The exchange's message, sanitized." }) message: string;
}

export class ProtectionResponse {
  @ApiProperty({
    enum: ['PLACED', 'FAILED', 'PENDING'],
    description:
      "PENDING: the OCO's answer was lost (timeout, 5xx); its legs are recorded PENDING and reconciled in the background. " +
      'Paper mode: the entry has not filled yet (the pair is placed when it does).',
  })
  status: string;
  @ApiProperty({ nullable: true, type: String }) order_list_id: string | null;
  @ApiProperty() stop_loss: string;
  @ApiProperty() take_profit: string;
  @ApiProperty({ type: [OrderResponse] }) orders: OrderResponse[];
  @ApiProperty({ type: ProtectionErrorResponse, nullable: true, description: 'Why the OCO was rejected (status FAILED), else null.' })
  error: ProtectionErrorResponse | null;
}

export class CreateOrderResponse {
  @ApiProperty({ example: 'success' }) status: string;
  @ApiProperty({ example: 'TESTNET' }) mode: string;
  @ApiProperty() order_id: string;
  @ApiProperty({ type: OrderResponse }) order: OrderResponse;
  @ApiProperty({ type: ProtectionResponse, nullable: true }) protection: ProtectionResponse | null;
}

export class RecordedOrderResponse {
  @ApiProperty({ description: 'Our client order id (newClientOrderId), set before the order is sent.' }) client_order_id: string;
  @ApiProperty({ nullable: true, type: String, description: "Binance's order id; null while PENDING and when it never got there." })
  order_id: string | null;
  @ApiProperty() symbol: string;
  @ApiProperty() side: string;
  @ApiProperty() type: string;
  @ApiProperty({ enum: ['ENTRY', 'STOP_LOSS', 'TAKE_PROFIT'] }) role: string;
  @ApiProperty({
    example: 'NEW',
    description:
      "PENDING (recorded before it was sent, outcome not known yet: the reconciliation job settles it), NOT_SENT (never reached the exchange), REJECTED (refused by it), or Binance's status.",
  })
  status: string;
  @ApiProperty({ nullable: true, type: String, description: 'Why it is REJECTED or NOT_SENT.' }) status_reason: string | null;
  @ApiProperty() quantity: string;
  @ApiProperty({ nullable: true, type: String }) price: string | null;
  @ApiProperty() filled: string;
  @ApiProperty({ nullable: true, type: String }) oco_group_id: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class CancelOrderResponse {
  @ApiProperty() status: string;
  @ApiProperty() mode: string;
  @ApiProperty({ type: OrderResponse }) cancelled_order: OrderResponse;
}

export class OrderStatusResponse {
  @ApiProperty() mode: string;
  @ApiProperty({ example: 'NEW' }) status: string;
  @ApiProperty() filled: string;
  @ApiProperty() remaining: string;
  @ApiProperty({ type: OrderResponse }) order: OrderResponse;
}

export class PingResponse {
  @ApiProperty() status: string;
  @ApiProperty() exchange: string;
  @ApiProperty() mode: string;
  @ApiProperty() server_time: number;
  @ApiProperty() clock_skew_ms: number;
  @ApiProperty() latency_ms: number;
}

export class BalanceItem {
  @ApiProperty() asset: string;
  @ApiProperty() free: string;
  @ApiProperty() locked: string;
}

export class BalanceResponse {
  @ApiProperty() status: string;
  @ApiProperty() mode: string;
  @ApiProperty({ type: [BalanceItem] }) balances: BalanceItem[];
  @ApiProperty({ nullable: true, type: String }) maker_commission: string | null;
  @ApiProperty({ nullable: true, type: String }) taker_commission: string | null;
}

export class PositionItem extends BalanceItem {
  @ApiProperty() total: string;
}

export class PositionsResponse {
  @ApiProperty() mode: string;
  @ApiProperty({ type: [PositionItem] }) positions: PositionItem[];
}

export class AccountInfoResponse {
  @ApiProperty() mode: string;
  @ApiProperty() account_type: string;
  @ApiProperty() can_trade: boolean;
  @ApiProperty({ type: [String] }) permissions: string[];
  @ApiProperty({ nullable: true, type: String }) maker_commission: string | null;
  @ApiProperty({ nullable: true, type: String }) taker_commission: string | null;
  @ApiProperty() assets_with_balance: number;
}
