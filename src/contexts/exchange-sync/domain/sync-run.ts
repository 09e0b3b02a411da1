import { RunUserResult, SyncRun } from './exchange-sync.ports';

/** A run as planned: RUNNING, nothing counted yet. */
export function newSyncRun(
  run: Pick<SyncRun, 'id' | 'trigger' | 'scope' | 'requestedBy' | 'instanceId' | 'startedAt' | 'usersTotal'>,
): SyncRun {
  return {
    ...run,
    status: 'RUNNING',
    finishedAt: null,
    durationMs: null,
    usersOk: 0,
    usersFailed: 0,
    balances: 0,
    openOrders: 0,
    ordersUpserted: 0,
    ocoPairsCreated: 0,
    failures: [],
    workers: [],
  };
}

type SyncCounts = Pick<RunUserResult, 'balances' | 'openOrders' | 'ordersUpserted' | 'ocoPairsCreated'> & { error: string | null };

/** One user's line in a run: failed when the sync failed (`error`) or one of its exchanges did (`outcome.error`). */
export function runUserResult(
  job: Pick<RunUserResult, 'runId' | 'userId' | 'instanceId' | 'finishedAt'>,
  error: string | null,
  outcome?: SyncCounts,
): RunUserResult {
  const failure = error ?? outcome?.error ?? null;
  return {
    ...job,
    status: failure ? 'failed' : 'ok',
    error: failure,
    balances: outcome?.balances ?? 0,
    openOrders: outcome?.openOrders ?? 0,
    ordersUpserted: outcome?.ordersUpserted ?? 0,
    ocoPairsCreated: outcome?.ocoPairsCreated ?? 0,
  };
}
