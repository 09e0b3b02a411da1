import { backoffSeconds, normalizeOtp } from './login-throttle';

describe('login backoff', () => {
  const now = new Date('2026-01-05T12:00:00Z');
  const ago = (s: number) => new Date(now.getTime() - s * 1000);
  const rule = { free: 5, capSeconds: 900 };

  it('allows attempts within the budget', () => {
    expect(backoffSeconds({ count: 4, newest: now }, rule, now)).toBe(0);
    expect(backoffSeconds({ count: 0, newest: null }, rule, now)).toBe(0);
  });

  it('doubles the wait after the newest failure with every failure past the budget, up to the cap', () => {
    const waits = [5, 6, 7, 8, 14, 15, 40].map((count) => backoffSeconds({ count, newest: now }, rule, now));
    expect(waits).toEqual([1, 2, 4, 8, 512, 900, 900]);
  });

  it('counts from the newest failure', () => {
    expect(backoffSeconds({ count: 8, newest: ago(3) }, rule, now)).toBe(5);
    expect(backoffSeconds({ count: 8, newest: ago(8) }, rule, now)).toBe(0);
    expect(backoffSeconds({ count: 1000, newest: ago(899.5) }, rule, now)).toBe(1);
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
