import { DomainError } from '@kernel';
import { FakeClock } from '@testing/fake-clock';
import { ImmediateUnitOfWork, RecordingAuditTrail, unitConfig } from '../../../../test/fakes/kernel-in-memory';
import {
  ExposureBrokerOrders,
  InMemoryKillSwitch,
  ScriptedBinanceGateway,
  ScriptedIbkrGateway,
  StaticCredentials,
} from '../../../../test/fakes/execution-in-memory';
import { ExchangeUpstreamError } from '../domain/upstream-error';
import { ExecutionService } from './execution.service';
import { KeyPermissionsService } from './key-permissions.service';
import { KillSwitchService } from './kill-switch.service';
import { MarketDataService } from './market-data.service';
import { RiskManager } from './risk-manager.service';

const meta = { requestId: 'req-1' };
const binanceKeys = { apiKey: 'binance-key-0001', apiSecret: 'binance-secret-0001' };

function setup(ibkr = new ScriptedIbkrGateway()) {
  const config = unitConfig({ RISK_MAX_NOTIONAL_USD: '1000' });
  const clock = new FakeClock();
  const credentials = new StaticCredentials({ alice: { BINANCE: binanceKeys, IBKR: { apiKey: 'ibkr', apiSecret: 'ibkr' } } });
  const gateway = new ScriptedBinanceGateway();
  const orders = new ExposureBrokerOrders();
  const audit = new RecordingAuditTrail();
  const killSwitchRepo = new InMemoryKillSwitch();
  const killSwitch = new KillSwitchService(killSwitchRepo, audit, new ImmediateUnitOfWork(), clock);
  const market = new MarketDataService(gateway, config, clock);
  const risk = new RiskManager(market, orders, config);
  const keyPermissions = new KeyPermissionsService(gateway, config);
  const service = new ExecutionService(credentials, gateway, ibkr, market, risk, orders, killSwitch, audit, config, keyPermissions);
  return { gateway, audit, killSwitchRepo, service };
}

const input = { symbol: 'BTCUSDT', side: 'BUY', qty: '0.01' };

describe('ExecutionService (in-memory ports)', () => {
  it('prepare is a dry run: it sends no order (it only reads the key restrictions) and lists every check', async () => {
    const { gateway, audit, service } = setup();
    const r = await service.prepare('alice', { ...input, exchange: 'BINANCE' }, meta);
    expect(gateway.calls).toEqual(['keyRestrictions:testnet']);
    expect(r.passed).toBe(true);
    expect(r.checks.map((c) => c.name)).toEqual([
      'credentials',
      'key_withdrawals',
      'key_margin',
      'key_futures',
      'key_ip_restriction',
      'symbol',
      'side',
      'qty',
      'kill_switch',
      'exchange_filters',
      'max_notional_usd',
      'max_exposure_per_symbol',
    ]);
    expect(r.checks.find((c) => c.name === 'exchange_filters')).toMatchObject({ skipped: true });
    expect(r.requestPreview).toMatchObject({ path: '/api/v3/order/test', params: { symbol: 'BTCUSDT', side: 'BUY', quantity: '0.01' } });
    expect(JSON.stringify(r)).not.toContain(binanceKeys.apiSecret);
    expect(audit.events).toEqual([
      expect.objectContaining({
        eventType: 'execution.prepare',
        outcome: 'success',
        payload: expect.objectContaining({ passed: true, failed: [] }),
      }),
    ]);
  });

  it('prepare without credentials is a 400 naming the exchange, audited as a failure', async () => {
    const { audit, service } = setup();
    await expect(service.prepare('bob', { ...input, exchange: 'BINANCE' }, meta)).rejects.toMatchObject({
      kind: 'invalid',
      code: 'missing_credentials',
      message: 'Missing credentials for BINANCE',
    });
    expect(audit.events[0]).toMatchObject({ outcome: 'failure', payload: expect.objectContaining({ reason: 'missing_credentials' }) });
  });

  it('prepare reports an engaged kill switch as a failed check; the test order is refused with 423', async () => {
    const { gateway, audit, killSwitchRepo, service } = setup();
    killSwitchRepo.state = { engaged: true, reason: 'incident', changedBy: 'admin', changedAt: new Date() };
    const r = await service.prepare('alice', { ...input, exchange: 'BINANCE' }, meta);
    expect(r.passed).toBe(false);
    expect(r.checks.find((c) => c.name === 'kill_switch')).toMatchObject({ passed: false, message: 'Kill switch engaged: incident' });
    await expect(service.binanceTestOrder('alice', input, 'key-1', meta)).rejects.toMatchObject({
      kind: 'locked',
      code: 'kill_switch_engaged',
    });
    expect(gateway.testOrders).toEqual([]);
    expect(audit.events.at(-1)).toMatchObject({
      eventType: 'execution.test_order',
      outcome: 'failure',
      payload: expect.objectContaining({ reason: 'kill_switch_engaged' }),
    });
  });

  it('sends the signed test order once the risk checks pass; a retry with the same key sends the same client order id', async () => {
    const { gateway, audit, service } = setup();
    const first = await service.binanceTestOrder('alice', input, 'key-1', meta);
    const again = await service.binanceTestOrder('alice', input, 'key-1', meta);
    const other = await service.binanceTestOrder('alice', input, 'key-2', meta);
    expect(first.clientOrderId).toBe(again.clientOrderId);
    expect(other.clientOrderId).not.toBe(first.clientOrderId);
    expect(gateway.testOrders.map((o) => [o.target, o.creds, o.req.clientOrderId, o.req.qty])).toEqual([
      ['testnet', binanceKeys, first.clientOrderId, '0.01'],
      ['testnet', binanceKeys, first.clientOrderId, '0.01'],
      ['testnet', binanceKeys, other.clientOrderId, '0.01'],
    ]);
    expect(audit.types()).toEqual(['execution.test_order:success', 'execution.test_order:success', 'execution.test_order:success']);
  });

  it('prepare refuses a key that can withdraw, as the vault does on save', async () => {
    const { gateway, audit, service } = setup();
    gateway.restrictions = { ...gateway.restrictions, enableWithdrawals: true };
    await expect(service.prepare('alice', { ...input, exchange: 'BINANCE' }, meta)).rejects.toMatchObject({
      code: 'key_withdrawals_enabled',
    });
    expect(audit.events.at(-1)).toMatchObject({
      outcome: 'failure',
      payload: expect.objectContaining({ reason: 'key_withdrawals_enabled' }),
    });
  });

  it('a failed risk check never reaches the exchange', async () => {
    const { gateway, service } = setup();
    await expect(service.binanceTestOrder('alice', { ...input, qty: '1' }, undefined, meta)).rejects.toMatchObject({
      code: 'risk_check_failed',
    });
    expect(gateway.calls).not.toContain('testOrder:testnet');
  });

  it('an exchange refusal comes back as a dependency error with the upstream code, and is audited', async () => {
    const { gateway, audit, service } = setup();
    gateway.failWith = new ExchangeUpstreamError('BINANCE', 'auth', 401, -2015, 'Invalid API-key, IP, or permissions for action.');
    const e = (await service.binanceTestOrder('alice', input, 'k', meta).catch((x: DomainError) => x)) as DomainError;
    expect(e).toMatchObject({
      kind: 'dependency',
      code: 'binance_upstream_error',
      details: { upstream_status: 401, code: -2015, reason: 'binance_auth' },
    });
    expect(audit.events.at(-1)).toMatchObject({
      outcome: 'failure',
      payload: expect.objectContaining({ reason: 'auth', upstream_status: 401, upstream_code: -2015 }),
    });
  });

  it('IBKR: checked offline without a gateway; a what-if through it otherwise', async () => {
    const offline = await setup().service.ibkrPaperCheck('alice', input, meta);
    expect(offline).toMatchObject({ mode: 'OFFLINE_PAPER_CHECK', sent: false, preview: null, latencyMs: null });

    const ibkr = new ScriptedIbkrGateway({
      accountId: 'DU123',
      conid: '265598',
      commission: '1.00',
      amount: '600.00',
      marginChange: '0',
      equityChange: '-1.00',
      warnings: [],
    });
    const { audit, service } = setup(ibkr);
    const r = await service.ibkrPaperCheck('alice', input, meta);
    expect(ibkr.asked).toEqual([{ symbol: 'BTCUSDT', side: 'BUY', qty: '0.01' }]);
    expect(r).toMatchObject({ mode: 'PAPER_WHATIF', sent: true, accountId: 'DU123', preview: { conid: '265598', commission: '1.00' } });
    expect(r.preview).not.toHaveProperty('accountId');
    expect(audit.events.at(-1)).toMatchObject({
      eventType: 'execution.ibkr.paper_check',
      payload: expect.objectContaining({ account_id: 'DU123' }),
    });
  });
});
