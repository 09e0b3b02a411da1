import { ApiProperty } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { AccountBalance } from '../domain/execution.ports';
import { TRADING_MODES } from '../domain/trading-mode';
import { TradingModeView } from '../application/trading-mode.service';
import { BalanceItem } from './broker.dto';

export class SetTradingModeDto {
  @ApiProperty({
    enum: TRADING_MODES,
    example: 'paper',
    description: 'paper, or the server exchange mode: testnet, or live when LIVE_TRADING=true (the other one: 409).',
  })
  @Allow()
  mode: unknown;
}

export class TradingModeResponse {
  @ApiProperty({
    enum: TRADING_MODES,
    description: 'Where /api/broker/* orders go now (default: testnet, or live on a LIVE_TRADING server).',
  })
  mode: string;
  @ApiProperty({ description: 'LIVE_TRADING on this server.' }) live_trading_enabled: boolean;
  @ApiProperty({ enum: TRADING_MODES, isArray: true }) available: string[];
}

export class PaperResetResponse {
  @ApiProperty({ example: 'PAPER' }) mode: string;
  @ApiProperty({ description: 'Starts at 1; each reset starts a new one (mode=paper metrics count the current epoch only).' })
  epoch: number;
  @ApiProperty({ type: [BalanceItem] }) balances: BalanceItem[];
}

export const toTradingModeResponse = (v: TradingModeView): TradingModeResponse => ({
  mode: v.mode,
  live_trading_enabled: v.liveTradingEnabled,
  available: v.available,
});

export const toPaperResetResponse = (r: { epoch: number; balances: AccountBalance[] }): PaperResetResponse => ({
  mode: 'PAPER',
  epoch: r.epoch,
  balances: r.balances,
});
