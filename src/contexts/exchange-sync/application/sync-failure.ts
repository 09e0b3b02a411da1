import { DomainError } from '@kernel';
import { ExchangeError } from '../domain/exchange-account-gateway.ports';

/** Every exchange of the user failed: the first failure, and which exchanges it covers. */
export class UserSyncFailed extends Error {
  constructor(
    readonly failure: ExchangeError | DomainError,
    readonly exchanges: string[],
  ) {
    super(failure.message);
    this.name = 'UserSyncFailed';
  }
}

/** The exchange's or the rules' answer: the run records it (other errors are retried by the job engine first). */
export const isUserFailure = (e: unknown): boolean => e instanceof UserSyncFailed || e instanceof ExchangeError || e instanceof DomainError;

/** Why a user's sync failed, safe to store, audit and show (never a key). */
export function failureMessage(e: unknown): string {
  if (e instanceof UserSyncFailed) return failureMessage(e.failure);
  if (e instanceof ExchangeError) return `${e.kind}: ${e.message}`;
  if (e instanceof DomainError) return `${e.code}: ${e.message}`;
  return 'internal: unexpected error while syncing';
}
