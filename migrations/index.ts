import { Foundation1700000000000 } from './1700000000000-foundation';
import { Vault1700000001000 } from './1700000001000-vault';
import { Execution1700000002000 } from './1700000002000-execution';
import { ExchangeSync1700000003000 } from './1700000003000-exchange-sync';
import { Funds1700000004000 } from './1700000004000-funds';
import { Loans1700000005000 } from './1700000005000-loans';
import { ExchangeSyncJobs1700000100000 } from './1700000100000-exchange-sync-jobs';
import { Retention1700000101000 } from './1700000101000-retention';
import { TwoFactorRequired1700000120000 } from './1700000120000-two-factor-required';
import { IdempotencyLease1700000121000 } from './1700000121000-idempotency-lease';
import { Signals1700000130000 } from './1700000130000-signals';
import { BrokerOrderIntent1700000140000 } from './1700000140000-broker-order-intent';
import { ProgressiveLockout1700000141000 } from './1700000141000-progressive-lockout';
import { ExchangeOrdersPerUser1700000150000 } from './1700000150000-exchange-orders-per-user';
import { PaperTrading1700000160000 } from './1700000160000-paper-trading';
import { BrokerOrderLatency1700000161000 } from './1700000161000-broker-order-latency';
import { UnitOfWorkGuard1700000170000 } from './1700000170000-unit-of-work-guard';
import { LoanVersion1700000190000 } from './1700000190000-loan-version';
import { LoanOutstanding1700000200000 } from './1700000200000-loan-outstanding';

/**
 * Every migration, in order. Listed explicitly (not globbed) so ts-node, Jest and
 * the compiled build all load the same set. One file per context.
 */
export const MIGRATIONS = [
  Foundation1700000000000,
  Vault1700000001000,
  Execution1700000002000,
  ExchangeSync1700000003000,
  Funds1700000004000,
  Loans1700000005000,
  ExchangeSyncJobs1700000100000,
  Retention1700000101000,
  TwoFactorRequired1700000120000,
  IdempotencyLease1700000121000,
  Signals1700000130000,
  BrokerOrderIntent1700000140000,
  ProgressiveLockout1700000141000,
  ExchangeOrdersPerUser1700000150000,
  PaperTrading1700000160000,
  BrokerOrderLatency1700000161000,
  UnitOfWorkGuard1700000170000,
  LoanVersion1700000190000,
  LoanOutstanding1700000200000,
];
