import { createHmac } from 'node:crypto';
import { paramsToString, signRequest } from './cryptocom-signer';

describe('crypto.com v1 signature', () => {
  it('concatenates sorted keys and values, flattening nested objects and arrays', () => {
    expect(paramsToString({ side: 'BUY', instrument_name: 'BTC_USDT', quantity: '0.5' })).toBe('instrument_nameBTC_USDTquantity0.5sideBUY');
    expect(paramsToString({ b: [{ y: '2', x: '1' }, 'z'], a: { d: 1, c: null } })).toBe('acnulld1bx1y2z');
    expect(paramsToString(undefined)).toBe('');
    expect(paramsToString({})).toBe('');
  });

  it('is HMAC-SHA256 hex over method + id + api_key + params + nonce', () => {
    const sig = signRequest('private/create-order', 11, 'my-key', { instrument_name: 'BTC_USDT', side: 'BUY' }, 1700000000000, 'my-secret');
    const expected = createHmac('sha256', 'my-secret')
      .update('private/create-order11my-keyinstrument_nameBTC_USDTsideBUY1700000000000')
      .digest('hex');
    expect(sig).toBe(expected);
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with any input', () => {
    const base = signRequest('private/user-balance', 1, 'k', {}, 1, 's');
    expect(signRequest('private/user-balance', 2, 'k', {}, 1, 's')).not.toBe(base);
    expect(signRequest('private/user-balance', 1, 'k', {}, 2, 's')).not.toBe(base);
    expect(signRequest('private/user-balance', 1, 'k', {}, 1, 't')).not.toBe(base);
  });
});
