import { FakeClock } from '@testing/fake-clock';
import { InMemoryJobQueue } from '../../../../test/fakes/in-memory-job-queue';
import { ImmediateUnitOfWork, RecordingAuditTrail, unitConfig } from '../../../../test/fakes/kernel-in-memory';
import { StaticCredentials } from '../../../../test/fakes/execution-in-memory';
import { InMemoryBrokerOrders, OrderBookGateway } from '../../../../test/fakes/broker-in-memory';
import { BrokerOrderRecord, ExchangeOrder } from '../domain/execution.ports';
import { RECONCILE_ORDER_JOB } from './order-journal';
import { OrderReconciliationService } from './order-reconciliation.service';

const CREDS = { apiKey: 'k', apiSecret: 's' };

function setup(env: Record<string, string> = {}) {
  const orders = new InMemoryBrokerOrders();
  const gateway = new OrderBookGateway();
  const jobs = new InMemoryJobQueue();
  const audit = new RecordingAuditTrail();
  const clock = new FakeClock();
  const config = unitConfig({ BROKER_ORDER_GRACE_SECONDS: '60', BROKER_RECONCILE_DELAY_SECONDS: '15', ...env });
  const credentials = new StaticCredentials({ u1: { BINANCE: CREDS } });
  const service = new OrderReconciliationService(orders, gateway, credentials, jobs, audit, new ImmediateUnitOfWork(), clock, config);
  service.onModuleInit();
  const pending = (over: Partial<BrokerOrderRecord> = {}): BrokerOrderRecord => {
    const row: BrokerOrderRecord = {
      id: `row-${orders.rows.size + 1}`,
      userId: 'u1',
      exchange: 'BINANCE',
      target: 'testnet',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      qty: '0.001',
      price: '59000',
      notionalUsd: '59',
      clientOrderId: `fo-${orders.rows.size + 1}`,
      exchangeOrderId: null,
      status: 'PENDING',
      filledQty: '0',
      filledQuote: '0',
      statusReason: null,
      role: 'ENTRY',
      ocoGroupId: null,
      createdAt: clock.now(),
      updatedAt: clock.now(),
      ...over,
    };
    orders.rows.set(row.id, row);
    return row;
  };
  const onBook = (o: Partial<ExchangeOrder> & { orderId: string; clientOrderId: string }) =>
    gateway.book.set(o.orderId, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      status: 'NEW',
      price: '59000.00000000',
      origQty: '0.00100000',
      executedQty: '0.00000000',
      cumulativeQuoteQty: '0.00000000',
      transactTime: null,
      ...o,
    });
  return { orders, gateway, jobs, audit, clock, service, pending, onBook };
}

describe('OrderReconciliationService', () => {
  it('settles a PENDING order found by its client order id, once', async () => {
    const s = setup();
    const row = s.pending();
    s.onBook({
      orderId: '1001',
      clientOrderId: row.clientOrderId,
      status: 'PARTIALLY_FILLED',
      executedQty: '0.00040000',
      cumulativeQuoteQty: '23.6',
    });
    expect(await s.service.reconcile(row.id)).toEqual({ status: 'PARTIALLY_FILLED', changed: true });
    expect(s.orders.rows.get(row.id)).toMatchObject({
      status: 'PARTIALLY_FILLED',
      exchangeOrderId: '1001',
      filledQty: '0.0004',
      filledQuote: '23.6',
    });
    expect(s.audit.events).toEqual([
      expect.objectContaining({
        eventType: 'broker.order.reconciled',
        payload: expect.objectContaining({ from: 'PENDING', to: 'PARTIALLY_FILLED' }),
      }),
    ]);
    expect(s.gateway.lookups).toEqual([`client:${row.clientOrderId}`]);
  });

  it('looks again at the end of the grace period, then marks a never-seen order NOT_SENT with the reason', async () => {
    const s = setup();
    const row = s.pending();
    s.clock.advance(15_000);
    expect(await s.service.reconcile(row.id)).toEqual({ status: 'PENDING', next_check_seconds: 46 });
    expect(s.jobs.jobs).toEqual([expect.objectContaining({ name: RECONCILE_ORDER_JOB, data: { orderId: row.id }, state: 'created' })]);
    s.clock.advance(46_000);
    await s.jobs.drain();
    expect(s.orders.rows.get(row.id)).toMatchObject({
      status: 'NOT_SENT',
      exchangeOrderId: null,
      statusReason: expect.stringContaining('60s'),
    });
    expect(s.audit.events.map((e) => e.payload?.to)).toEqual(['NOT_SENT']);
  });

  it('refreshes an open order by its exchange id and audits only a change', async () => {
    const s = setup();
    const row = s.pending({ status: 'NEW', exchangeOrderId: '2002' });
    s.onBook({ orderId: '2002', clientOrderId: row.clientOrderId });
    expect(await s.service.reconcile(row.id)).toEqual({ status: 'NEW' });
    expect(s.audit.events).toEqual([]);
    s.onBook({ orderId: '2002', clientOrderId: row.clientOrderId, status: 'FILLED', executedQty: '0.00100000', cumulativeQuoteQty: '59' });
    expect(await s.service.reconcile(row.id)).toEqual({ status: 'FILLED', changed: true });
    expect(await s.service.reconcile(row.id)).toEqual({ status: 'FILLED' }); // settled: left alone
    expect(s.audit.events.map((e) => `${e.eventType}:${e.payload?.from}->${e.payload?.to}`)).toEqual(['broker.order.status:NEW->FILLED']);
  });

  it('skips an order whose owner has no Binance key, and the sweep picks PENDING orders past the delay and open ones', async () => {
    const s = setup();
    const orphan = s.pending({ userId: 'u-gone' });
    expect(await s.service.reconcile(orphan.id)).toEqual({ status: 'PENDING', skipped: 'missing_credentials' });
    s.clock.advance(20_000);
    const fresh = s.pending();
    const open = s.pending({ status: 'NEW', exchangeOrderId: '3003' });
    s.pending({ status: 'FILLED', exchangeOrderId: '3004' });
    expect(await s.service.sweep()).toEqual({ enqueued: 2 });
    expect(s.jobs.jobs.map((j) => (j.data as { orderId: string }).orderId).sort()).toEqual([orphan.id, open.id].sort());
    expect(s.jobs.jobs.map((j) => (j.data as { orderId: string }).orderId)).not.toContain(fresh.id);
  });
});
