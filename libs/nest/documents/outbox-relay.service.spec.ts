import { InMemoryOutboxTable, NumberingSealer, RecordingDocumentStore } from '../../../test/fakes/outbox-in-memory';
import { unitConfig } from '../../../test/fakes/kernel-in-memory';
import { OutboxRelay } from './outbox-relay.service';

function setup(withSealer = true) {
  const table = new InMemoryOutboxTable();
  const store = new RecordingDocumentStore();
  const sealer = new NumberingSealer('audit_logs');
  const relay = new OutboxRelay(table.asDataSource(), store, unitConfig({ OUTBOX_SWEEP_MS: '100' }), withSealer ? sealer : undefined);
  return { table, store, sealer, relay };
}

describe('OutboxRelay (in-memory outbox and store)', () => {
  it('moves pending rows to the store by collection, in outbox order, and marks them relayed', async () => {
    const { table, store, relay } = setup(false);
    table.add('audit_logs', { id: 'a1', n: 1 });
    table.add('fund_transactions', { id: 'f1', amount: '100' });
    table.add('audit_logs', { id: 'a2', n: 2 });
    expect(await relay.pending()).toBe(3);
    await relay.flush();
    expect(store.batches).toEqual([
      { collection: 'audit_logs', ids: ['a1', 'a2'] },
      { collection: 'fund_transactions', ids: ['f1'] },
    ]);
    expect(await relay.pending()).toBe(0);
    await relay.flush();
    expect(store.batches).toHaveLength(2); // nothing sent twice
  });

  it('lets the sealer seal its own collection only, and keeps the sealed form in the outbox row', async () => {
    const { table, store, sealer, relay } = setup();
    table.add('audit_logs', { id: 'a1' });
    table.add('fund_transactions', { id: 'f1' });
    table.add('audit_logs', { id: 'a2' });
    await relay.flush();
    expect([...store.docs.get('audit_logs')!.values()]).toEqual([
      { id: 'a1', chain_seq: 1 },
      { id: 'a2', chain_seq: 2 },
    ]);
    expect(store.docs.get('fund_transactions')!.get('f1')).toEqual({ id: 'f1' });
    expect(table.rows.map((r) => r.payload)).toEqual([{ id: 'a1', chain_seq: 1 }, { id: 'f1' }, { id: 'a2', chain_seq: 2 }]);
    expect(sealer.calls).toBe(1);
  });

  it('keeps the rows while the store is down and resends them sealed the same way once it is back', async () => {
    const { table, store, relay } = setup();
    table.add('audit_logs', { id: 'a1' });
    store.down = true;
    await expect(relay.flush()).rejects.toThrow('document store down');
    expect(await relay.pending()).toBe(1);
    expect(table.rows[0].payload).toEqual({ id: 'a1', chain_seq: 1 }); // sealed and committed before the send failed

    relay.afterCommit(); // within the backoff: no attempt while the store is known to be down
    await new Promise((r) => setImmediate(r));
    expect(store.batches).toEqual([]);

    store.down = false;
    await relay.flush();
    expect(store.docs.get('audit_logs')!.get('a1')).toEqual({ id: 'a1', chain_seq: 1 }); // not sealed a second time
    expect(await relay.pending()).toBe(0);
  });

  it('is single-flight: a flush asked for during a pass waits for one more pass that sees the new rows', async () => {
    const { table, store, relay } = setup(false);
    let open!: () => void;
    store.gate = new Promise<void>((r) => (open = r));
    table.add('audit_logs', { id: 'a1' });
    const first = relay.flush();
    await new Promise((r) => setImmediate(r));
    table.add('audit_logs', { id: 'a2' }); // committed while the first pass is in flight
    const second = relay.flush();
    open();
    await Promise.all([first, second]);
    expect(store.batches).toEqual([
      { collection: 'audit_logs', ids: ['a1'] },
      { collection: 'audit_logs', ids: ['a2'] },
    ]);
  });

  it('settle() delivers what this process committed before a read; shutdown drains the rest', async () => {
    const { table, store, relay } = setup(false);
    table.add('audit_logs', { id: 'a1' });
    relay.afterCommit();
    await relay.settle();
    expect(store.docs.get('audit_logs')?.has('a1')).toBe(true);
    table.add('audit_logs', { id: 'a2' });
    await relay.beforeApplicationShutdown();
    expect(store.docs.get('audit_logs')?.has('a2')).toBe(true);
  });
});
