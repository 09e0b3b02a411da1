/**
 * Progressive lockout (issue 12 item 11; OWASP "slow down online guessing"). Failed logins are counted over a
 * sliding hour in three scopes. Each scope has a budget; past it, every further attempt waits an exponential
 * backoff after the newest failure (1 s, 2 s, 4 s, ... doubling) up to a cap, instead of a flat hour-long lock:
 *  - client (one account from one IP): the guesser's own attempts. Budget LOGIN_BACKOFF_AFTER_FAILURES (5),
 *    cap LOGIN_BACKOFF_CAP_SECONDS (15 min): about 4 guesses an hour per account and address once it bites.
 *  - account (from every IP): a guesser spread over many addresses. Budget LOGIN_MAX_FAILURES_PER_HOUR (20), a
 *    SHORT cap LOGIN_ACCOUNT_BACKOFF_CAP_SECONDS (5 min), and never applied from an address the account logged
 *    in from in the last LOGIN_KNOWN_CLIENT_DAYS: a stranger cannot lock the user out where the user is.
 *  - ip (every account from one IP): a sprayer. Budget LOGIN_MAX_FAILURES_PER_IP_PER_HOUR (100), cap
 *    LOGIN_BACKOFF_CAP_SECONDS, and not applied to an account known on that address (the admin behind the same NAT).
 * Attempts refused with 429 are not counted (waiting is the only way on). Unknown logins are counted the same
 * way as real ones, so the answer never tells whether an account exists.
 */
export const WINDOW_MS = 60 * 60 * 1000;

export interface FailureWindow {
  count: number;
  newest: Date | null;
}

export interface BackoffRule {
  /** Failures in the window before the backoff starts. */
  free: number;
  capSeconds: number;
}

/** Seconds until another attempt is allowed, or 0 when it is allowed now. */
export function backoffSeconds(w: FailureWindow, rule: BackoffRule, now: Date): number {
  if (w.count < rule.free || !w.newest) return 0;
  const delay = Math.min(rule.capSeconds, 2 ** Math.min(w.count - rule.free, 30));
  const until = w.newest.getTime() + delay * 1000;
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

/** `123 456`, `123-456` -> `123456`; null unless exactly six digits remain. */
export function normalizeOtp(otp: string): string | null {
  const digits = otp.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}
