import { createHmac } from 'node:crypto';

type Params = Record<string, unknown>;

const isObject = (v: unknown): v is Params => v !== null && typeof v === 'object' && !Array.isArray(v);

const arrayToString = (arr: unknown[]): string =>
  arr.map((v) => (isObject(v) ? paramsToString(v) : Array.isArray(v) ? arrayToString(v) : String(v))).join('');

/** crypto.com Exchange API v1: keys sorted, key + value concatenated, nested objects/arrays flattened the same way. */
export function paramsToString(params: Params | undefined): string {
  if (!params) return '';
  return Object.keys(params)
    .sort()
    .map((k) => {
      const v = params[k];
      return k + (Array.isArray(v) ? arrayToString(v) : isObject(v) ? paramsToString(v) : v === null ? 'null' : String(v));
    })
    .join('');
}

/** sig = hex HMAC-SHA256(secret, method + id + api_key + paramsString + nonce). */
export function signRequest(method: string, id: number, apiKey: string, params: Params | undefined, nonce: number, secret: string): string {
  return createHmac('sha256', secret)
    .update(`${method}${id}${apiKey}${paramsToString(params)}${nonce}`)
    .digest('hex');
}
