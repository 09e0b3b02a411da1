import { Decimal } from '@kernel';
import { Account, Subscription } from '../../domain/fund';
import { KnownFundAccounts } from './known-fund-accounts';

const account = (userId: string, txSeq = 1): Account => ({ userId, balance: new Decimal(450000), currency: 'COP', txSeq });
const sub = (id: string, userId: string, status: Subscription['status'] = 'ACTIVE'): Subscription => ({
  id,
  userId,
  fundId: 3,
  amount: new Decimal(50000),
  status,
  createdAt: new Date(0),
});

describe('KnownFundAccounts', () => {
  it('hands an account out once (a failed guard evicts it), and tells a recalled one from a read one', () => {
    const known = new KnownFundAccounts();
    const read = account('u1');
    known.remember(read);
    const recalled = known.recall('u1')!;
    expect(recalled).toEqual(read);
    expect([known.wasRecalled(recalled), known.wasRecalled(read)]).toEqual([true, false]);
    expect(known.recall('u1')).toBeNull();
  });

  it('recalls an account with its subscription only when both are known and the subscription is ACTIVE and the user’s', () => {
    const known = new KnownFundAccounts();
    known.rememberSubscription(sub('s1', 'u1'));
    expect(known.recallWithSubscription('u1', 's1')).toBeNull(); // account unknown: nothing taken
    known.remember(account('u1'));
    expect(known.recallWithSubscription('u2', 's1')).toBeNull();
    known.rememberSubscription(sub('s2', 'u1'));
    known.rememberSubscription(sub('s2', 'u1', 'CANCELLED'));
    expect(known.recallWithSubscription('u1', 's2')).toBeNull();
    expect(known.recallWithSubscription('u1', 's1')).toMatchObject({ account: { userId: 'u1' }, subscription: { id: 's1' } });
    expect([known.recall('u1'), known.recallWithSubscription('u1', 's1')]).toEqual([null, null]);
  });

  it('keeps at most 10,000 accounts, dropping the least recently remembered', () => {
    const known = new KnownFundAccounts();
    for (let i = 0; i < 10_001; i++) known.remember(account(`u${i}`));
    known.remember(account('u1', 2)); // remembered again: now the newest
    known.remember(account('extra'));
    expect(known.recall('u0')).toBeNull();
    expect(known.recall('u2')).toBeNull();
    expect(known.recall('u1')).toMatchObject({ txSeq: 2 });
    expect(known.recall('u3')).not.toBeNull();
  });
});
