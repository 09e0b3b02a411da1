// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, call, onSessionEnded, signIn } from './client';

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
const json = (r: Reply) =>
  new Response(r.body === undefined ? '' : JSON.stringify(r.body), {
    status: r.status,
    headers: { 'Content-Type': 'application/json', ...r.headers },
  });

/** A scripted fetch: each call takes the next reply and records the request. */
function script(replies: Reply[]) {
  const seen: { url: string; auth?: string; body?: string }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      seen.push({ url, auth: (init.headers as Record<string, string>).Authorization, body: init.body as string | undefined });
      const next = replies.shift();
      if (!next) throw new TypeError('Failed to fetch');
      return json(next);
    }),
  );
  return seen;
}
const login = (access: string, refresh: string) => ({
  status: 200,
  body: { access_token: access, refresh_token: refresh, expires_in: 900, user: { id: 'u1', role: 'user' } },
});

afterEach(() => vi.unstubAllGlobals());

describe('api client', () => {
  it('on a 401 rotates the refresh token once and retries with the new access token', async () => {
    const seen = script([
      login('a1', 'r1'),
      { status: 401, body: { message: 'Invalid or expired token' } },
      login('a2', 'r2'),
      { status: 200, body: { ok: true } },
    ]);
    await signIn('client1', 'pw');
    const { data } = await call<{ ok: boolean }>('GET', '/api/v1/account');
    expect(data).toEqual({ ok: true });
    expect(seen.map((s) => s.url)).toEqual(['/auth/login', '/api/v1/account', '/auth/refresh', '/api/v1/account']);
    expect(JSON.parse(seen[2].body!)).toEqual({ refresh_token: 'r1' });
    expect(seen[3].auth).toBe('Bearer a2');
  });

  it('ends the session with a reason when the refresh is refused', async () => {
    const ended = vi.fn();
    onSessionEnded(ended);
    script([
      login('a1', 'r1'),
      { status: 401, body: { message: 'Invalid or expired token' } },
      { status: 401, body: { message: 'reused' } },
    ]);
    await signIn('client1', 'pw');
    await expect(call('GET', '/api/v1/account')).rejects.toMatchObject({ status: 401 });
    expect(ended).toHaveBeenCalledWith('Your session has expired. Sign in again.');
  });

  it("throws the API's message, code and Retry-After; a network failure is status 0", async () => {
    script([{ status: 429, body: { message: 'Too many login attempts', code: 'too_many' }, headers: { 'Retry-After': '30' } }]);
    const e = (await signIn('client1', 'pw').catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.message, e.code, e.retryAfterSeconds, e.retryable]).toEqual([429, 'Too many login attempts', 'too_many', 30, true]);
    script([]);
    await expect(call('GET', '/api/v1/funds')).rejects.toMatchObject({ status: 0, code: 'unreachable' });
  });
});
