import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, DomainError, RequestMeta, UnitOfWork } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { TradingModeRepository } from '../domain/paper.ports';
import { DEFAULT_TRADING_MODE, LIVE_TRADING_OFF, LIVE_TRADING_ON, parseTradingMode, TradingMode } from '../domain/trading-mode';

export interface TradingModeView {
  mode: TradingMode;
  liveTradingEnabled: boolean;
  available: TradingMode[];
}

/** PUT/GET /api/broker/mode: each user's broker mode (paper, testnet, or live when LIVE_TRADING=true). */
@Injectable()
export class TradingModeService {
  constructor(
    private readonly modes: TradingModeRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** The exchange side is the server's: LIVE_TRADING picks testnet or live for every exchange call (BrokerSession). */
  private exchangeMode(): TradingMode {
    return this.config.liveTrading ? 'live' : DEFAULT_TRADING_MODE;
  }

  /** What GET and PUT answer: the mode, and the two a user may choose on this server. */
  private view(mode: TradingMode): TradingModeView {
    return { mode, liveTradingEnabled: this.config.liveTrading, available: ['paper', this.exchangeMode()] };
  }

  /** What the broker does now: paper, or the server's exchange mode (a stored testnet/live that no longer matches it follows it). */
  async effective(userId: string): Promise<TradingMode> {
    const stored = await this.modes.get(userId);
    return stored === 'paper' ? 'paper' : this.exchangeMode();
  }

  async isPaper(userId: string): Promise<boolean> {
    return (await this.effective(userId)) === 'paper';
  }

  async get(userId: string): Promise<TradingModeView> {
    return this.view(await this.effective(userId));
  }

  async set(userId: string, value: unknown, meta: RequestMeta): Promise<TradingModeView> {
    const mode = parseTradingMode(value);
    if (mode !== 'paper' && mode !== this.exchangeMode()) {
      const reason = mode === 'live' ? 'live_trading_disabled' : 'live_trading_enabled';
      await this.audit.record({ eventType: 'broker.mode.set', outcome: 'failure', userId, payload: { mode, reason } }, meta);
      throw DomainError.conflict(reason, mode === 'live' ? LIVE_TRADING_OFF : LIVE_TRADING_ON);
    }
    await this.uow.run(async () => {
      const previous = await this.effective(userId);
      await this.modes.set(userId, mode, this.clock.now());
      await this.audit.record({ eventType: 'broker.mode.set', outcome: 'success', userId, payload: { mode, previous } }, meta);
    });
    return this.view(mode);
  }
}
