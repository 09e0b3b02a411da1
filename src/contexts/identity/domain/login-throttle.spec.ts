import { lockedForSeconds, normalizeOtp, WINDOW_MS } from './login-throttle';

describe('login throttle', () => {
  const now = new Date('2026-01-05T12:00:00Z');
  it('allows attempts under the limit', () => {
    expect(lockedForSeconds({ count: 2, oldest: now }, 3, now)).toBe(0);
    expect(lockedForSeconds({ count: 0, oldest: null }, 3, now)).toBe(0);
  });
  it('locks until the oldest failure in the window is an hour old', () => {
    const oldest = new Date(now.getTime() - WINDOW_MS + 90_000);
    expect(lockedForSeconds({ count: 3, oldest }, 3, now)).toBe(90);
    expect(lockedForSeconds({ count: 3, oldest: new Date(now.getTime() - WINDOW_MS) }, 3, now)).toBe(1);
  });
});

describe('normalizeOtp', () => {
  it('ignores spaces and dashes and wants exactly six digits', () => {
    expect(normalizeOtp('123 456')).toBe('123456');
    expect(normalizeOtp('123-456')).toBe('123456');
    expect(normalizeOtp('12345')).toBeNull();
    expect(normalizeOtp('1234567')).toBeNull();
    expect(normalizeOtp('12345a')).toBeNull();
  });
});
