import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, DomainError, RequestMeta, UnitOfWork } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { TradingModeRepository } from '../domain/paper.ports';
import { DEFAULT_TRADING_MODE, LIVE_TRADING_OFF, parseTradingMode, TradingMode, TRADING_MODES } from '../domain/trading-mode';

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

  private available(): TradingMode[] {
    return TRADING_MODES.filter((m) => m !== 'live' || this.config.liveTrading);
  }

  /** The mode the broker uses now: a stored "live" counts as testnet once LIVE_TRADING is off again. */
  async effective(userId: string): Promise<TradingMode> {
    const stored = (await this.modes.get(userId)) ?? DEFAULT_TRADING_MODE;
    return stored === 'live' && !this.config.liveTrading ? 'testnet' : stored;
  }

  async isPaper(userId: string): Promise<boolean> {
    return (await this.effective(userId)) === 'paper';
  }

  async get(userId: string): Promise<TradingModeView> {
    return { mode: await this.effective(userId), liveTradingEnabled: this.config.liveTrading, available: this.available() };
  }

  async set(userId: string, value: unknown, meta: RequestMeta): Promise<TradingModeView> {
    const mode = parseTradingMode(value);
    if (mode === 'live' && !this.config.liveTrading) {
      await this.audit.record(
        { eventType: 'broker.mode.set', outcome: 'failure', userId, payload: { mode, reason: 'live_trading_disabled' } },
        meta,
      );
      throw DomainError.conflict('live_trading_disabled', LIVE_TRADING_OFF);
    }
    await this.uow.run(async () => {
      const previous = (await this.modes.get(userId)) ?? DEFAULT_TRADING_MODE;
      await this.modes.set(userId, mode, this.clock.now());
      await this.audit.record({ eventType: 'broker.mode.set', outcome: 'success', userId, payload: { mode, previous } }, meta);
    });
    return { mode, liveTradingEnabled: this.config.liveTrading, available: this.available() };
  }
}
