import { remoteOrder as remote, storedOrder as stored } from '../../../../test/fakes/exchange-orders';
import { reconcileOrders } from './exchange-order';

const now = new Date('2026-01-05T12:00:00Z');
let n = 0;
const newId = () => `id-${++n}`;
const base = { userId: 'u1', exchange: 'CRYPTO_COM', open: [], history: [], details: [], protectNewFills: true, now, newId };

describe('reconcileOrders', () => {
  it('inserts unknown orders once, even when listed in open and history', () => {
    const r = reconcileOrders({
      ...base,
      existing: [],
      open: [remote()],
      history: [remote({ status: 'FILLED', cumulativeQuantity: '1', avgPrice: '30000' })],
    });
    expect(r.inserts).toHaveLength(1);
    expect(r.inserts[0]).toMatchObject({ status: 'FILLED', cumulativeQuantity: '1' });
    expect(r.newlyFilledEntries).toHaveLength(1);
  });

  it('does not protect fills seen on the very first sync (history, not news)', () => {
    const r = reconcileOrders({
      ...base,
      existing: [],
      history: [remote({ status: 'FILLED', cumulativeQuantity: '1' })],
      protectNewFills: false,
    });
    expect(r.inserts).toHaveLength(1);
    expect(r.newlyFilledEntries).toHaveLength(0);
  });

  it('updates by exchange order id; no change, no update', () => {
    expect(reconcileOrders({ ...base, existing: [stored()], open: [remote()] }).updates).toHaveLength(0);
    const r = reconcileOrders({ ...base, existing: [stored()], open: [remote({ cumulativeQuantity: '0.4' })] });
    expect(r.inserts).toHaveLength(0);
    expect(r.updates[0]).toMatchObject({ id: 'row-1', cumulativeQuantity: '0.4', status: 'ACTIVE' });
  });

  it('never lowers the cumulative quantity nor reopens a terminal order', () => {
    const filled = stored({ status: 'FILLED', cumulativeQuantity: '1' });
    const r = reconcileOrders({ ...base, existing: [filled], open: [remote({ status: 'ACTIVE', cumulativeQuantity: '0.5' })] });
    expect(r.updates).toHaveLength(0);
    const partial = stored({ cumulativeQuantity: '0.6' });
    const r2 = reconcileOrders({ ...base, existing: [partial], open: [remote({ cumulativeQuantity: '0.2' })] });
    expect(r2.updates).toHaveLength(0);
  });

  it('reports a transition to FILLED once', () => {
    const r = reconcileOrders({
      ...base,
      existing: [stored({ cumulativeQuantity: '0.5' })],
      history: [remote({ status: 'FILLED', cumulativeQuantity: '1', avgPrice: '29990' })],
    });
    expect(r.newlyFilledEntries.map((o) => o.id)).toEqual(['row-1']);
    const again = reconcileOrders({
      ...base,
      existing: [r.updates[0]],
      history: [remote({ status: 'FILLED', cumulativeQuantity: '1', avgPrice: '29990' })],
    });
    expect(again.newlyFilledEntries).toHaveLength(0);
    expect(again.updates).toHaveLength(0);
  });

  it('recognises a leg we placed by its client order id', () => {
    const leg = stored({ id: 'leg', exchangeOrderId: null, clientOrderId: 'sl-abc', status: 'PENDING', role: 'STOP_LOSS', side: 'SELL' });
    const r = reconcileOrders({
      ...base,
      existing: [leg],
      open: [remote({ exchangeOrderId: 'X9', clientOrderId: 'sl-abc', status: 'NEW', side: 'SELL' })],
    });
    expect(r.inserts).toHaveLength(0);
    expect(r.updates[0]).toMatchObject({ id: 'leg', exchangeOrderId: 'X9', status: 'NEW', role: 'STOP_LOSS' });
    expect(r.newlyFilledEntries).toHaveLength(0);
  });

  it('lists open rows the exchange no longer mentions as unresolved (no guessing)', () => {
    const r = reconcileOrders({ ...base, existing: [stored()], open: [] });
    expect(r.unresolved.map((o) => o.id)).toEqual(['row-1']);
    expect(r.updates).toHaveLength(0);
    const resolved = reconcileOrders({ ...base, existing: [stored()], details: [remote({ status: 'CANCELED' })] });
    expect(resolved.unresolved).toHaveLength(0);
    expect(resolved.updates[0].status).toBe('CANCELED');
  });

  it("keeps another user's OCO legs on a shared account apart: no row, never an entry to protect; our own legs still match", () => {
    const foreign = remote({ exchangeOrderId: 'L1', clientOrderId: `sl-${'a'.repeat(30)}`, status: 'FILLED', cumulativeQuantity: '1' });
    const ours = stored({
      id: 'leg-1',
      exchangeOrderId: null,
      clientOrderId: `tp-${'b'.repeat(30)}`,
      role: 'TAKE_PROFIT',
      status: 'PENDING',
    });
    const r = reconcileOrders({
      ...base,
      existing: [ours],
      open: [remote({ exchangeOrderId: 'L2', clientOrderId: ours.clientOrderId })],
      history: [foreign],
    });
    expect(r.inserts).toEqual([]);
    expect(r.newlyFilledEntries).toEqual([]);
    expect(r.foreignLegs).toEqual([foreign]);
    expect(r.updates).toEqual([expect.objectContaining({ id: 'leg-1', exchangeOrderId: 'L2', status: 'ACTIVE' })]);
  });
});
