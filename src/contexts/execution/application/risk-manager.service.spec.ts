import { Decimal, DomainError } from '@kernel';
import { FakeClock } from '@testing/fake-clock';
import { unitConfig } from '../../../../test/fakes/kernel-in-memory';
import { ExposureBrokerOrders, ScriptedBinanceGateway } from '../../../../test/fakes/execution-in-memory';
import { parseOrderSpec } from '../domain/order-spec';
import { MarketDataService } from './market-data.service';
import { RiskManager } from './risk-manager.service';

function setup() {
  const config = unitConfig({ RISK_MAX_NOTIONAL_USD: '1000', RISK_MAX_EXPOSURE_PER_SYMBOL_USD: '1500', EXCHANGE_INFO_TTL_SECONDS: '60' });
  const clock = new FakeClock();
  const gateway = new ScriptedBinanceGateway();
  const orders = new ExposureBrokerOrders();
  const risk = new RiskManager(new MarketDataService(gateway, config, clock), orders, config);
  return { clock, gateway, orders, risk };
}

const order = (qty: string, extra: { type?: string; price?: string; side?: string } = {}) =>
  parseOrderSpec({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: extra.side ?? 'BUY', qty, type: extra.type, price: extra.price });

describe('RiskManager (in-memory ports)', () => {
  it('passes an order inside every limit and returns its notional at the last price', async () => {
    const { gateway, risk } = setup();
    const { checks, notionalUsd } = await risk.enforce('u1', order('0.01'), 'testnet');
    expect(notionalUsd.toFixed()).toBe('600');
    expect(checks.every((c) => c.passed)).toBe(true);
    expect(checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['symbol_listed', 'lot_size', 'max_notional_usd', 'max_exposure_per_symbol']),
    );
    expect(gateway.calls).toEqual(['exchangeInfo:testnet', 'lastPrice:testnet:BTCUSDT']);
  });

  it('refuses above the per-order notional with every check in the 400', async () => {
    const { risk } = setup();
    const e = (await risk.enforce('u1', order('0.02'), 'testnet').catch((x: DomainError) => x)) as DomainError;
    expect(e).toMatchObject({ kind: 'invalid', code: 'risk_check_failed' });
    expect(e.message).toBe('Risk check failed: Notional 1200 USD exceeds the per-order limit of 1000 USD');
    expect((e.details!.checks as { name: string; passed: boolean }[]).filter((c) => !c.passed).map((c) => c.name)).toEqual([
      'max_notional_usd',
    ]);
  });

  it('counts the user’s open exposure on the symbol (a SELL is never blocked by it)', async () => {
    const { orders, risk } = setup();
    orders.exposure.set('u1:BTCUSDT', new Decimal('1000'));
    await expect(risk.enforce('u1', order('0.01'), 'testnet')).rejects.toThrow(/Exposure on BTCUSDT would reach 1600 USD/);
    await expect(risk.enforce('u2', order('0.01'), 'testnet')).resolves.toBeDefined();
    await expect(risk.enforce('u1', order('0.01', { side: 'SELL' }), 'testnet')).resolves.toBeDefined();
  });

  it('uses a LIMIT order’s own price (no price call) and checks its tick; an unlisted symbol fails', async () => {
    const { gateway, risk } = setup();
    await expect(risk.enforce('u1', order('0.01', { type: 'LIMIT', price: '50000.005' }), 'testnet')).rejects.toMatchObject({
      code: 'risk_check_failed',
    });
    expect(gateway.calls).not.toContain('lastPrice:testnet:BTCUSDT');
    gateway.rules = new Map();
    const unlisted = await risk.enforce('u1', order('0.01'), 'live').catch((x: DomainError) => x);
    expect((unlisted as DomainError).message).toBe('Risk check failed: Symbol BTCUSDT is not listed on the exchange');
  });

  it('reads the exchange filters once per TTL', async () => {
    const { clock, gateway, risk } = setup();
    await risk.enforce('u1', order('0.01'), 'testnet');
    await risk.enforce('u1', order('0.01'), 'testnet');
    clock.advance(61_000);
    await risk.enforce('u1', order('0.01'), 'testnet');
    expect(gateway.calls.filter((c) => c.startsWith('exchangeInfo'))).toHaveLength(2);
  });
});
