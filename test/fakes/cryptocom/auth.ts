import { createHmac, timingSafeEqual } from 'node:crypto';
import { Answer, answer } from './http';
import { FakeOrder } from './orders';

export const NONCE_WINDOW_MS = 60_000;

export interface FakeAccount {
  apiKey: string;
  secret: string;
  balances: Record<string, string>;
  orders: Map<string, FakeOrder>;
  /** Raw entries added verbatim to the open list (malformed-data tests). */
  rawOpen: unknown[];
  callTimes: number[];
}

/** A private call's JSON body. ccxt sends id and nonce as numeric strings, hand-written clients as numbers: the exchange takes both. */
export interface PrivateRequest {
  id?: number | string;
  method?: string;
  params?: Record<string, unknown>;
  api_key?: string;
  sig?: string;
  nonce?: number | string;
}

function paramsString(obj: unknown): string {
  if (obj === null || obj === undefined) return '';
  if (Array.isArray(obj)) return obj.map((v) => (typeof v === 'object' && v !== null ? paramsString(v) : String(v))).join('');
  const o = obj as Record<string, unknown>;
  let s = '';
  for (const k of Object.keys(o).sort()) {
    const v = o[k];
    s += k + (v === null ? 'null' : typeof v === 'object' ? paramsString(v) : String(v));
  }
  return s;
}

const numeric = (v: unknown) => typeof v === 'number' || (typeof v === 'string' && /^\d{1,20}$/.test(v));

/**
 * The account a private call is signed by (HMAC-SHA256 over method + id + api_key + sorted params + nonce),
 * or the exchange's 401: 40101 for an unknown key or a bad signature, 40102 for a nonce out of the window or replayed.
 */
export function authenticate(
  accounts: Map<string, FakeAccount>,
  seenNonces: Map<string, Set<string>>,
  method: string,
  body: PrivateRequest,
): { account: FakeAccount } | { refused: Answer } {
  const account = body.api_key ? accounts.get(body.api_key) : undefined;
  if (!account || body.method !== method || !numeric(body.id) || typeof body.sig !== 'string') {
    return { refused: answer(401, { id: body.id, method, code: 40101, message: 'UNAUTHORIZED' }) };
  }
  const expected = createHmac('sha256', account.secret)
    .update(`${method}${body.id}${account.apiKey}${paramsString(body.params ?? {})}${body.nonce}`)
    .digest('hex');
  if (body.sig.length !== expected.length || !timingSafeEqual(Buffer.from(body.sig), Buffer.from(expected))) {
    return { refused: answer(401, { id: body.id, method, code: 40101, message: 'UNAUTHORIZED' }) };
  }
  if (!numeric(body.nonce) || Math.abs(Date.now() - Number(body.nonce)) > NONCE_WINDOW_MS) {
    return { refused: answer(401, { id: body.id, method, code: 40102, message: 'INVALID_NONCE' }) };
  }
  const seen = seenNonces.get(account.apiKey) ?? new Set<string>();
  const replayKey = `${body.nonce}:${body.id}:${body.sig}`;
  if (seen.has(replayKey)) return { refused: answer(401, { id: body.id, method, code: 40102, message: 'INVALID_NONCE' }) };
  seen.add(replayKey);
  if (seen.size > 5000) seen.clear();
  seenNonces.set(account.apiKey, seen);
  return { account };
}
