import { DomainError } from '@kernel';

export type UpstreamKind = 'auth' | 'filter' | 'clock' | 'rate_limit' | 'rejected' | 'unreachable' | 'not_found';

/**
 * What an exchange adapter throws: the exchange's own status, code and message,
 * already sanitized. Turned into a 502 (or 404 for an unknown order) by `toDomainError`.
 */
export class ExchangeUpstreamError extends Error {
  constructor(
    readonly exchange: 'BINANCE' | 'IBKR',
    readonly kind: UpstreamKind,
    readonly upstreamStatus: number | null,
    readonly upstreamCode: number | string | null,
    readonly upstreamMessage: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${exchange} ${kind}: ${upstreamMessage}`);
    this.name = 'ExchangeUpstreamError';
  }
}

/** Binance error codes: https://developers.binance.com/docs/binance-spot-api-docs/errors */
export function classifyBinance(status: number | null, code: number | null): UpstreamKind {
  if (status === 429 || status === 418 || code === -1003) return 'rate_limit';
  if (status === 401 || code === -2014 || code === -2015 || code === -1022 || code === -2008) return 'auth';
  if (code === -1021) return 'clock';
  if (code === -1013) return 'filter';
  if (code === -2013 || code === -2011) return 'not_found';
  return 'rejected';
}

const HINTS: Record<UpstreamKind, (e: ExchangeUpstreamError) => string> = {
  auth: (e) =>
    e.upstreamCode === -1022
      ? 'signature rejected: check the API secret stored for this exchange'
      : 'check the API key format/permissions (key valid, spot trading enabled, IP whitelisted)',
  filter: (e) => `order rejected by an exchange filter: ${e.upstreamMessage}`,
  clock: () => 'clock skew: our timestamp is outside the exchange recvWindow; check the server clock (NTP) or raise BINANCE_RECV_WINDOW',
  rate_limit: (e) => `rate limited by the exchange${e.retryAfterSeconds !== undefined ? `; retry after ${e.retryAfterSeconds}s` : ''}`,
  rejected: (e) => `rejected by the exchange: ${e.upstreamMessage}`,
  unreachable: (e) => `${e.exchange === 'IBKR' ? 'IBKR' : 'Binance'} is unreachable: ${e.upstreamMessage}`,
  not_found: () => 'order not found on the exchange',
};

/** The controlled error our clients see: 502 {exchange, upstream_status, code, message}. */
export function toDomainError(e: ExchangeUpstreamError): DomainError {
  const prefix = e.exchange === 'IBKR' ? 'ibkr' : 'binance';
  const message = `${e.exchange === 'IBKR' ? 'IBKR' : 'Binance'} error: ${HINTS[e.kind](e)}`;
  if (e.kind === 'not_found') return DomainError.notFound('order_not_found', 'Order not found');
  const details: Record<string, unknown> = {
    exchange: e.exchange,
    upstream_status: e.upstreamStatus,
    // `code` repeats the exchange's own code (e.g. -2015) when it sent one; our stable code is `reason`.
    code: e.kind === 'unreachable' ? `${prefix}_upstream_unreachable` : (e.upstreamCode ?? `${prefix}_upstream_error`),
    reason: `${prefix}_${e.kind === 'unreachable' ? 'upstream_unreachable' : e.kind}`,
    upstream_message: e.upstreamMessage,
  };
  if (e.retryAfterSeconds !== undefined) details.retry_after_seconds = e.retryAfterSeconds;
  return DomainError.dependency(`${prefix}_upstream_error`, message, details);
}

/**
 * Upstream text may echo what we sent. Keep it short and printable, and replace
 * anything that looks like a key, secret or signature.
 */
export function sanitizeUpstreamText(text: unknown, known: string[] = []): string {
  let s = typeof text === 'string' ? text : JSON.stringify(text ?? '');
  for (const k of known) if (k && k.length >= 4) s = s.split(k).join('[redacted]');
  s = s
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/(signature|api[_-]?key|secret|x-mbx-apikey|token)(["']?\s*[=:]\s*["']?)[^\s&"',}]+/gi, '$1$2[redacted]')
    .replace(/[A-Za-z0-9+/_-]{24,}={0,2}/g, '[redacted]')
    .trim();
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}
