import { createHash, randomBytes } from 'node:crypto';

/**
 * Binance newClientOrderId (^[.A-Z:/a-z0-9_-]{1,36}$). Derived from the user and
 * the Idempotency-Key when there is one, so a client retry that slips past our
 * idempotency store still hits the exchange's duplicate check; random otherwise.
 */
export function clientOrderId(userId: string, idempotencyKey?: string, suffix = ''): string {
  const core = idempotencyKey
    ? createHash('sha256').update(`${userId}\u0000${idempotencyKey}`).digest('base64url').slice(0, 28)
    : randomBytes(21).toString('base64url').slice(0, 28);
  return `fo-${core}${suffix}`.slice(0, 36);
}
