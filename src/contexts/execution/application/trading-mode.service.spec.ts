import { DomainError } from '@kernel';
import { FakeClock } from '@testing/fake-clock';
import { ImmediateUnitOfWork, RecordingAuditTrail, unitConfig } from '../../../../test/fakes/kernel-in-memory';
import { TradingModeRepository } from '../domain/paper.ports';
import { TradingMode } from '../domain/trading-mode';
import { TradingModeService } from './trading-mode.service';

class InMemoryModes extends TradingModeRepository {
  readonly rows = new Map<string, TradingMode>();
  async get(userId: string) {
    return this.rows.get(userId) ?? null;
  }
  async set(userId: string, mode: TradingMode) {
    this.rows.set(userId, mode);
  }
}

const meta = { ip: '127.0.0.1', userAgent: 'unit', path: '/api/broker/mode', requestId: 'r1' };
const make = (liveTrading: boolean, modes = new InMemoryModes()) => {
  const audit = new RecordingAuditTrail();
  const config = unitConfig({ LIVE_TRADING: String(liveTrading), ...(liveTrading ? { TRUST_PROXY: 'true' } : {}) });
  return { modes, audit, service: new TradingModeService(modes, audit, new ImmediateUnitOfWork(), new FakeClock(), config) };
};

describe('TradingModeService: paper or the server exchange mode (LIVE_TRADING picks testnet or live)', () => {
  it('without LIVE_TRADING: testnet by default, paper on request, live refused with 409 saying why', async () => {
    const { service, audit } = make(false);
    expect(await service.get('u1')).toEqual({ mode: 'testnet', liveTradingEnabled: false, available: ['paper', 'testnet'] });
    await expect(service.set('u1', 'live', meta)).rejects.toMatchObject({ kind: 'conflict', code: 'live_trading_disabled' });
    expect((await service.set('u1', 'paper', meta)).mode).toBe('paper');
    expect(await service.isPaper('u1')).toBe(true);
    expect(audit.types()).toEqual(['broker.mode.set:failure', 'broker.mode.set:success']);
    await expect(service.set('u1', 'demo', meta)).rejects.toBeInstanceOf(DomainError);
  });

  it('with LIVE_TRADING: live by default (every exchange call is live), testnet refused, paper allowed', async () => {
    const modes = new InMemoryModes();
    modes.rows.set('u2', 'testnet'); // chosen before the server went live: it follows the server now
    const { service } = make(true, modes);
    expect(await service.get('u1')).toEqual({ mode: 'live', liveTradingEnabled: true, available: ['paper', 'live'] });
    expect((await service.get('u2')).mode).toBe('live');
    await expect(service.set('u1', 'testnet', meta)).rejects.toMatchObject({ code: 'live_trading_enabled' });
    expect((await service.set('u1', 'paper', meta)).mode).toBe('paper');
    expect((await service.set('u1', 'live', meta)).mode).toBe('live');
  });
});
