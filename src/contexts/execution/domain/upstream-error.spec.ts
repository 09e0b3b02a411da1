import { createHmac } from 'node:crypto';
import { classifyBinance, ExchangeUpstreamError, sanitizeUpstreamText, toDomainError } from './upstream-error';

describe('upstream errors', () => {
  it('classifies Binance codes', () => {
    expect(classifyBinance(401, -2015)).toBe('auth');
    expect(classifyBinance(400, -2014)).toBe('auth');
    expect(classifyBinance(400, -1022)).toBe('auth');
    expect(classifyBinance(400, -1021)).toBe('clock');
    expect(classifyBinance(400, -1013)).toBe('filter');
    expect(classifyBinance(429, -1003)).toBe('rate_limit');
    expect(classifyBinance(418, null)).toBe('rate_limit');
  });

  it('renders 502 {exchange, upstream_status, code, message}', () => {
    const e = toDomainError(new ExchangeUpstreamError('BINANCE', 'auth', 401, -2015, 'Invalid API-key, IP, or permissions for action.'));
    expect(e.kind).toBe('dependency');
    expect(e.message).toMatch(/check the API key format\/permissions/);
    expect(e.details).toMatchObject({ exchange: 'BINANCE', upstream_status: 401, code: -2015 });
    const down = toDomainError(new ExchangeUpstreamError('BINANCE', 'unreachable', null, null, 'connection failed'));
    expect(down.details?.code).toBe('binance_upstream_unreachable');
  });

  it('never echoes a key, secret or signature', () => {
    const key = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
    const text = sanitizeUpstreamText(`bad request signature=abcdef0123 apiKey: ${key} for KEY42`, ['KEY42']);
    expect(text).not.toContain(key);
    expect(text).not.toContain('abcdef0123');
    expect(text).not.toContain('KEY42');
    expect(sanitizeUpstreamText('Signature for this request is not valid.')).toBe('Signature for this request is not valid.');
    expect(sanitizeUpstreamText('x'.repeat(500)).length).toBeLessThanOrEqual(200);
  });

  it('the SIGNED rule the fake enforces reproduces Binance documentation example', () => {
    // https://developers.binance.com/docs/binance-spot-api-docs/rest-api/endpoint-security-type (HMAC example)
    const secret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
    const query = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
    expect(createHmac('sha256', secret).update(query).digest('hex')).toBe(
      'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71',
    );
  });
});
