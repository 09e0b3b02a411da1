/**
 * Brute-force policy (ASVS 2.2.1): at most `max` failures in a sliding hour per
 * account and per IP; past that, a temporary lock until the oldest failure in the
 * window is an hour old. Unknown logins are counted the same way, so the answer
 * never tells whether an account exists.
 */
export const WINDOW_MS = 60 * 60 * 1000;

export interface WindowState {
  count: number;
  oldest: Date | null;
}

/** Seconds until another attempt is allowed, or 0 when it is allowed now. */
export function lockedForSeconds(state: WindowState, max: number, now: Date): number {
  if (state.count < max || !state.oldest) return 0;
  const until = state.oldest.getTime() + WINDOW_MS;
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

/** `123 456`, `123-456` -> `123456`; null unless exactly six digits remain. */
export function normalizeOtp(otp: string): string | null {
  const digits = otp.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}
