import { ApiProperty } from '@nestjs/swagger';
import { PerformanceReport } from '../application/performance.service';

export class EquityPointResponse {
  @ApiProperty() at: string;
  @ApiProperty({ example: '9.79', description: "The closing trade's realized P&L" }) pnl: string;
  @ApiProperty({ example: '7.8835', description: 'Cumulative realized P&L' }) equity: string;
}

export class OpenPositionResponse {
  @ApiProperty({ example: 'BINANCE' }) exchange: string;
  @ApiProperty({ example: 'BTCUSDT' }) symbol: string;
  @ApiProperty({ example: '0.5' }) quantity: string;
  @ApiProperty({ example: '1001', description: 'Cost of the open lots, buy fees included' }) cost: string;
}

export class UnmatchedSellResponse {
  @ApiProperty({ example: 'BINANCE' }) exchange: string;
  @ApiProperty({ example: 'BTCUSDT' }) symbol: string;
  @ApiProperty({ example: '0.1', description: 'Sold without a recorded buy (bought before the records began)' }) quantity: string;
}

export class PerformanceResponse {
  @ApiProperty({ nullable: true, type: String }) from: string | null;
  @ApiProperty() to: string;
  @ApiProperty({ nullable: true, type: String, enum: ['BINANCE', 'CRYPTO_COM'] }) exchange: string | null;
  @ApiProperty({ type: [String], example: ['testnet', 'live'], description: 'Without mode: testnet and live (paper apart)' })
  modes: string[];
  @ApiProperty({ description: 'Fills in the range' }) fills: number;
  @ApiProperty({ description: 'Round trips: SELL fills closing FIFO lots' }) trades: number;
  @ApiProperty() wins: number;
  @ApiProperty() losses: number;
  @ApiProperty({ example: '7.8835', description: 'Quote currency, fees included' }) realized_pnl: string;
  @ApiProperty({ example: '1.6165' }) fees: string;
  @ApiProperty({ example: '17.678' }) gross_profit: string;
  @ApiProperty({ example: '9.7945' }) gross_loss: string;
  @ApiProperty({ nullable: true, type: String, example: '66.66666667', description: 'null without trades' }) win_rate_pct: string | null;
  @ApiProperty({ nullable: true, type: String, example: '1.8048905', description: 'gross profit / gross loss; null with no losing trade' })
  profit_factor: string | null;
  @ApiProperty({ example: '9.7945', description: 'Largest fall of the realized equity curve from a running peak' }) max_drawdown: string;
  @ApiProperty({ nullable: true, type: String, description: '% of that peak; null while the peak is not above 0' })
  max_drawdown_pct: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Daily realized P&L, mean / sample stdev x sqrt(365); null under 2 days or no variation',
  })
  sharpe_ratio: string | null;
  @ApiProperty({ description: 'UTC days the Sharpe ratio spans' }) sharpe_days: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Fill vs limit / price seen at send, bps, positive = worse; null when none has a reference',
  })
  avg_slippage_bps: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Average exchange latency of the calls that produced fills; null when none recorded',
  })
  avg_latency_ms: string | null;
  @ApiProperty({ type: [EquityPointResponse] }) equity_curve: EquityPointResponse[];
  @ApiProperty({ type: [OpenPositionResponse] }) open_positions: OpenPositionResponse[];
  @ApiProperty({ type: [UnmatchedSellResponse] }) unmatched_sells: UnmatchedSellResponse[];
}

export const toPerformanceResponse = (p: PerformanceReport): PerformanceResponse => ({
  from: p.from ? p.from.toISOString() : null,
  to: p.to.toISOString(),
  exchange: p.exchange,
  modes: p.modes,
  fills: p.fills,
  trades: p.trades,
  wins: p.wins,
  losses: p.losses,
  realized_pnl: p.realizedPnl,
  fees: p.fees,
  gross_profit: p.grossProfit,
  gross_loss: p.grossLoss,
  win_rate_pct: p.winRatePct,
  profit_factor: p.profitFactor,
  max_drawdown: p.maxDrawdown,
  max_drawdown_pct: p.maxDrawdownPct,
  sharpe_ratio: p.sharpe,
  sharpe_days: p.sharpeDays,
  avg_slippage_bps: p.avgSlippageBps,
  avg_latency_ms: p.avgLatencyMs,
  equity_curve: p.equityCurve.map((e) => ({ at: e.at.toISOString(), pnl: e.pnl, equity: e.equity })),
  open_positions: p.openPositions,
  unmatched_sells: p.unmatchedSellQuantity,
});
