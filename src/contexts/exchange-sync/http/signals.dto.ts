import { ApiProperty } from '@nestjs/swagger';
import { SymbolSignal } from '../application/signals.service';
import { StoredSignal } from '../domain/signals.ports';

export class SignalResponse {
  @ApiProperty({ example: 'BTC_USDT' }) symbol: string;
  @ApiProperty({ example: 'CRYPTO_COM', description: 'Where the candles came from' }) exchange: string;
  @ApiProperty({ enum: ['BUY', 'SELL', 'HOLD'] }) signal: string;
  @ApiProperty({ example: 'EMA20 crossed above EMA50' }) reason: string;
  @ApiProperty({ example: '55.12345678', description: "RSI(14), Wilder's smoothing" }) rsi14: string;
  @ApiProperty({ example: '30123.5' }) ema20: string;
  @ApiProperty({ example: '29980.25' }) ema50: string;
  @ApiProperty({ example: '30150', description: 'Close of the last candle' }) close: string;
  @ApiProperty({ example: '1h' }) timeframe: string;
  @ApiProperty({ example: 200, description: 'Candles used' }) candles: number;
  @ApiProperty({ description: 'Open time of the last candle' }) candle_at: string;
  @ApiProperty() computed_at: string;
}

export class SymbolSignalResponse {
  @ApiProperty({ example: 'BTC_USDT' }) symbol: string;
  @ApiProperty({ enum: ['BUY', 'SELL', 'HOLD'], nullable: true, type: String, description: 'null until a first signal is computed' })
  signal: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ nullable: true, type: String }) rsi14: string | null;
  @ApiProperty({ nullable: true, type: String }) ema20: string | null;
  @ApiProperty({ nullable: true, type: String }) ema50: string | null;
  @ApiProperty({ nullable: true, type: String }) close: string | null;
  @ApiProperty({ nullable: true, type: String }) candle_at: string | null;
  @ApiProperty({ nullable: true, type: String }) computed_at: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The last failed computation (the signal above is then older)' })
  last_failure_at: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'unavailable: crypto.com candles unreachable or down' })
  last_error: string | null;
}

export class SignalHistoryResponse {
  @ApiProperty({ example: 'BTC_USDT' }) symbol: string;
  @ApiProperty({ type: [SignalResponse], description: 'Newest first' }) items: SignalResponse[];
}

export class SignalFailureResponse {
  @ApiProperty({ example: 'XRP_USDT' }) symbol: string;
  @ApiProperty({ example: 'not_found: Unknown symbol XRP_USDT on CRYPTO_COM' }) error: string;
}

export class SignalsRunResponse {
  @ApiProperty() symbols: number;
  @ApiProperty({ type: [SignalResponse] }) computed: SignalResponse[];
  @ApiProperty({ type: [SignalFailureResponse] }) failed: SignalFailureResponse[];
}

export const toSignalResponse = (s: StoredSignal): SignalResponse => ({
  symbol: s.symbol,
  exchange: s.exchange,
  signal: s.action,
  reason: s.reason,
  rsi14: s.rsi14,
  ema20: s.ema20,
  ema50: s.ema50,
  close: s.close,
  timeframe: '1h',
  candles: s.candles,
  candle_at: s.candleAt.toISOString(),
  computed_at: s.computedAt.toISOString(),
});

export const toSymbolSignalResponse = ({ symbol, signal: s, status }: SymbolSignal): SymbolSignalResponse => ({
  symbol,
  signal: s?.action ?? null,
  reason: s?.reason ?? null,
  rsi14: s?.rsi14 ?? null,
  ema20: s?.ema20 ?? null,
  ema50: s?.ema50 ?? null,
  close: s?.close ?? null,
  candle_at: s ? s.candleAt.toISOString() : null,
  computed_at: s ? s.computedAt.toISOString() : null,
  last_failure_at: status?.lastFailureAt && (!s || status.lastFailureAt > s.computedAt) ? status.lastFailureAt.toISOString() : null,
  last_error: status?.lastFailureAt && (!s || status.lastFailureAt > s.computedAt) ? status.lastError : null,
});
