import { Decimal, DomainError } from '@kernel';
import { subscriptionsFixture as setup } from '../../../../test/fakes/funds-service';
import { NOTIFY_JOB } from './subscription-notifier';

const meta = {};

describe('SubscriptionsService', () => {
  it('subscribes, debits exactly, appends a SUBSCRIPTION transaction and audits it', async () => {
    const { service, ledger, audit } = setup();
    await service.openAccount('u1');
    const tx = await service.subscribe('u1', 2, new Decimal(125000), meta);
    expect(tx).toMatchObject({ type: 'SUBSCRIPTION', fundName: 'FPV_BTG_PACTUAL_ECOPETROL', seq: 1, correlationId: null });
    expect(tx.balanceAfter.toFixed()).toBe('375000');
    expect(ledger.entries).toEqual([tx]);
    expect(audit.events).toEqual([expect.objectContaining({ eventType: 'funds.subscribe', outcome: 'success', userId: 'u1' })]);
    expect(audit.events[0].payload).toMatchObject({ transaction_id: tx.id, fund_id: 2, amount: '125000' });
  });

  it('opens the account lazily for users who predate the funds context', async () => {
    const { service } = setup();
    const view = await service.account('old-user');
    expect(view.account.balance.toFixed()).toBe('500000');
  });

  it('cancels with a CANCELLATION correlated to the subscription, refunding the amount', async () => {
    const { service, ledger } = setup();
    await service.openAccount('u1');
    const sub = await service.subscribe('u1', 3, new Decimal(50000), meta);
    const cancel = await service.cancel('u1', sub.id, meta);
    expect(cancel).toMatchObject({ type: 'CANCELLATION', correlationId: sub.id, seq: 2 });
    expect(cancel.balanceAfter.toFixed()).toBe('500000');
    await expect(service.cancel('u1', sub.id, meta)).rejects.toMatchObject({ kind: 'conflict', code: 'already_cancelled' });
    expect((await service.history('u1', 10)).items.map((t) => t.type)).toEqual(['CANCELLATION', 'SUBSCRIPTION']);
    expect(ledger.entries).toHaveLength(2);
  });

  it("hides someone else's subscription as not found, and audits the refusal", async () => {
    const { service, audit } = setup();
    await service.openAccount('u1');
    await service.openAccount('u2');
    const sub = await service.subscribe('u1', 1, new Decimal(75000), meta);
    await expect(service.cancel('u2', sub.id, meta)).rejects.toMatchObject({ kind: 'not_found' });
    expect(audit.events.at(-1)).toMatchObject({ eventType: 'funds.cancel', outcome: 'failure', userId: 'u2' });
  });

  it('refuses an unknown fund and an insufficient balance without touching the balance', async () => {
    const { service, accounts } = setup();
    await service.openAccount('u1');
    await expect(service.subscribe('u1', 99, new Decimal(75000), meta)).rejects.toMatchObject({ kind: 'not_found' });
    await service.subscribe('u1', 4, new Decimal(450001), meta);
    const e: DomainError = await service.subscribe('u1', 1, new Decimal(75000), meta).catch((x) => x);
    expect(e.message).toBe('No tiene saldo disponible para vincularse al fondo FPV_BTG_PACTUAL_RECAUDADORA');
    expect((await accounts.find('u1'))!.balance.toFixed()).toBe('49999');
  });

  it('notifies after the subscription, retrying; a failed notice never undoes it', async () => {
    const ok = setup(2);
    await ok.service.openAccount('u1');
    const tx = await ok.service.subscribe('u1', 2, new Decimal(125000), meta);
    expect(await ok.log.forTransaction(tx.id)).toMatchObject({ status: 'pending', attempts: 0 }); // committed with it, sent by the job
    await ok.jobs.drain();
    expect(await ok.log.forTransaction(tx.id)).toMatchObject({ status: 'sent', attempts: 3, destinationMasked: 'u@***om' });
    expect(ok.notifier.sent[0]).toMatchObject({ channel: 'email', destination: 'u@test.com' });

    const down = setup(99);
    await down.service.openAccount('u1');
    const tx2 = await down.service.subscribe('u1', 2, new Decimal(125000), meta);
    await down.jobs.drain();
    expect(await down.log.forTransaction(tx2.id)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'gateway down' });
    expect((await down.accounts.find('u1'))!.balance.toFixed()).toBe('375000');
    expect(await down.jobs.failed()).toMatchObject([{ error: 'gateway down', attempts: 3 }]);
  });

  it('notifies the subscriptions waiting together in one batch; a failed send is retried alone', async () => {
    const { service, log, notifier, jobs } = setup(1);
    const txs = [];
    for (const u of ['u1', 'u2', 'u3']) {
      await service.openAccount(u);
      txs.push(await service.subscribe(u, 3, new Decimal(50000), meta));
    }
    await jobs.drain();
    expect(jobs.batches.get(NOTIFY_JOB)).toEqual([3, 1]);
    expect(await log.forTransaction(txs[0].id)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    for (const tx of txs.slice(1)) expect(await log.forTransaction(tx.id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(notifier.sent.map((n) => n.body.match(/Transacción (\S+)\./)![1])).toEqual([txs[1].id, txs[2].id, txs[0].id]);
  });

  it('writes once, without the lock, while the account is as read; takes the locking path when it moved meanwhile', async () => {
    const { service, accounts, ledger, uow } = setup();
    await service.openAccount('u1');
    const first = await service.subscribe('u1', 3, new Decimal(50000), meta);
    expect([uow.onces, uow.runs]).toEqual([1, 0]);
    const find = accounts.find.bind(accounts);
    accounts.find = async (id: string) => {
      const read = await find(id);
      await service.cancel('u1', first.id, meta); // a move lands between the read and the write
      accounts.find = find;
      return read;
    };
    const second = await service.subscribe('u1', 2, new Decimal(125000), meta);
    expect(uow.runs).toBe(1); // the guard saw the change; the locking path wrote instead
    expect(second).toMatchObject({ seq: 3 });
    expect(second.balanceAfter.toFixed()).toBe('375000');
    expect(ledger.entries.map((e) => [e.type, e.seq, e.balanceAfter.toFixed()])).toEqual([
      ['SUBSCRIPTION', 1, '450000'],
      ['CANCELLATION', 2, '500000'],
      ['SUBSCRIPTION', 3, '375000'],
    ]);
  });
});
