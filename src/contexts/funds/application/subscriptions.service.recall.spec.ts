import { Decimal } from '@kernel';
import { subscriptionsFixture } from '../../../../test/fakes/funds-service';

/** Subscribe / cancel from the account state the instance last knew (`recall`): used when current, never trusted when stale. */
function setup() {
  const { service, accounts, subs, uow } = subscriptionsFixture();
  const reads = { account: 0, withSubscription: 0 };
  const find = accounts.find.bind(accounts);
  const findWith = accounts.findWithSubscription.bind(accounts);
  accounts.find = (id) => (reads.account++, find(id));
  accounts.findWithSubscription = (id, sub) => (reads.withSubscription++, findWith(id, sub));
  /** What a real instance would remember after its own committed move: the account as it is now. */
  const know = (userId: string) => accounts.known.set(userId, { ...accounts.rows.get(userId)! });
  return { service, accounts, subs, uow, reads, know };
}

const meta = {};

describe('SubscriptionsService with a last known account state', () => {
  it('sends only the guarded statement when the known state is current, for subscribe and cancel', async () => {
    const { service, accounts, subs, uow, reads, know } = setup();
    await service.openAccount('u1');
    know('u1');
    const sub = await service.subscribe('u1', 3, new Decimal(50000), meta);
    expect([reads.account, uow.onces, uow.runs]).toEqual([0, 1, 0]);
    expect(sub).toMatchObject({ seq: 1 });
    know('u1');
    accounts.knownSubscriptions.set(sub.id, { ...(await subs.find(sub.id))! });
    const cancel = await service.cancel('u1', sub.id, meta);
    expect([reads.withSubscription, uow.onces, uow.runs]).toEqual([0, 2, 0]);
    expect(cancel).toMatchObject({ type: 'CANCELLATION', seq: 2 });
    expect(cancel.balanceAfter.toFixed()).toBe('500000');
  });

  it('re-reads when the known state is stale, and refuses only on what the database holds', async () => {
    const { service, accounts, uow, reads, know } = setup();
    await service.openAccount('u1');
    know('u1'); // 500000, tx_seq 0
    accounts.rows.set('u1', { ...accounts.rows.get('u1')!, balance: new Decimal(100000) }); // changed elsewhere, tx_seq as known
    await expect(service.subscribe('u1', 4, new Decimal(250000), meta)).rejects.toMatchObject({ code: 'insufficient_balance' });
    expect(reads.account).toBe(1);
    expect(accounts.rows.get('u1')).toMatchObject({ txSeq: 0, balance: new Decimal(100000) });

    know('u1');
    accounts.rows.set('u1', { ...accounts.rows.get('u1')!, txSeq: 7 }); // the balance as known, tx_seq moved
    const ok = await service.subscribe('u1', 5, new Decimal(100000), meta);
    expect(ok).toMatchObject({ seq: 8 });
    expect(ok.balanceAfter.toFixed()).toBe('0');
    expect([reads.account, uow.runs]).toEqual([2, 1]);
  });

  it('never refuses on a known balance: one too low for the amount is re-read', async () => {
    const { service, accounts, reads, know } = setup();
    await service.openAccount('u1');
    know('u1');
    accounts.known.set('u1', { ...accounts.known.get('u1')!, balance: new Decimal(10) });
    const tx = await service.subscribe('u1', 3, new Decimal(50000), meta);
    expect(tx.balanceAfter.toFixed()).toBe('450000');
    expect(reads.account).toBe(1);
  });

  it('refuses a cancel whose known subscription was cancelled elsewhere, crediting it once', async () => {
    const { service, accounts, subs, know } = setup();
    await service.openAccount('u1');
    const sub = await service.subscribe('u1', 3, new Decimal(50000), meta);
    know('u1');
    accounts.knownSubscriptions.set(sub.id, { ...(await subs.find(sub.id))! });
    await service.cancel('u1', sub.id, meta); // the entries are taken; put the stale ones back
    accounts.known.set('u1', { userId: 'u1', balance: new Decimal(450000), currency: 'COP', txSeq: 1 });
    accounts.knownSubscriptions.set(sub.id, { ...(await subs.find(sub.id))!, status: 'ACTIVE' });
    await expect(service.cancel('u1', sub.id, meta)).rejects.toMatchObject({ kind: 'conflict', code: 'already_cancelled' });
    expect(accounts.rows.get('u1')).toMatchObject({ txSeq: 2, balance: new Decimal(500000) });
  });
});
