/**
 * The one way the console talks to the API. The access and refresh tokens live in
 * this module's memory only (never localStorage, never logged): a reload means
 * signing in again. A 401 on a call triggers one refresh (rotating the refresh
 * token, shared by concurrent calls); if that fails the session ends and the app
 * shows Sign in with a reason.
 */
export interface User {
  id: string;
  email: string;
  username: string | null;
  full_name: string | null;
  role: 'user' | 'admin';
}

interface LoginAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user: User;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly retryAfterSeconds?: number,
    readonly fields?: { field: string; messages: string[] }[],
  ) {
    super(message);
  }
  /** Worth a Retry button: unreachable, throttled or a server-side failure. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export const UNREACHABLE = 'The API is unreachable (network error or server down). Check the server, then retry.';

let session: { access: string; refresh: string } | null = null;
let refreshing: Promise<boolean> | null = null;
let sessionEnded: (reason: string) => void = () => undefined;

export function onSessionEnded(listener: (reason: string) => void): void {
  sessionEnded = listener;
}

export function signedIn(): boolean {
  return session !== null;
}

export interface CallOptions {
  body?: unknown;
  /** A JSON text sent as is (exact money literals, see jsonWithAmount). */
  rawJson?: string;
  idempotencyKey?: string;
  query?: Record<string, string | number | undefined>;
}

export interface Answer<T> {
  data: T;
  headers: Headers;
}

async function send(method: string, path: string, options: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (session) headers.Authorization = `Bearer ${session.access}`;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let body: string | undefined;
  if (options.rawJson !== undefined || options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = options.rawJson ?? JSON.stringify(options.body);
  }
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== '') qs.set(k, String(v));
  const url = qs.size ? `${path}?${qs}` : path;
  try {
    return await fetch(url, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError(0, UNREACHABLE, 'unreachable');
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  const retry = Number(res.headers.get('retry-after'));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : undefined;
  let body: { message?: unknown; code?: string; errors?: { field: string; messages: string[] }[] } = {};
  try {
    body = await res.json();
  } catch {
    /* not JSON (a proxy page): fall back to the status line */
  }
  const message =
    typeof body.message === 'string' && body.message ? body.message : `The server answered ${res.status} ${res.statusText}`.trim();
  return new ApiError(res.status, message, body.code, retryAfter, body.errors);
}

async function refresh(): Promise<boolean> {
  const current = session;
  if (!current) return false;
  refreshing ??= (async () => {
    try {
      const res = await fetch('/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refresh_token: current.refresh }),
        credentials: 'omit',
      });
      if (!res.ok) return false;
      const data = (await res.json()) as LoginAnswer;
      session = { access: data.access_token, refresh: data.refresh_token };
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Calls the API; throws ApiError with the API's `message` on any failure. */
export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  let res = await send(method, path, options);
  if (res.status === 401 && session) {
    if (await refresh()) res = await send(method, path, options);
    if (res.status === 401) {
      session = null;
      sessionEnded('Your session has expired. Sign in again.');
    }
  }
  if (!res.ok) throw await errorOf(res);
  const text = await res.text();
  return { data: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

export const get = async <T>(path: string, query?: CallOptions['query']) => (await call<T>('GET', path, { query })).data;
export const post = async <T>(path: string, options: CallOptions = {}) => (await call<T>('POST', path, options)).data;

export async function signIn(login: string, password: string, otp?: string): Promise<User> {
  session = null;
  const form = new URLSearchParams({ username: login, password });
  if (otp) form.set('otp', otp);
  let res: Response;
  try {
    res = await fetch('/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, UNREACHABLE, 'unreachable');
  }
  if (!res.ok) throw await errorOf(res);
  const data = (await res.json()) as LoginAnswer;
  session = { access: data.access_token, refresh: data.refresh_token };
  return data.user;
}

/** Revokes the session on the server (POST /auth/logout), then forgets the tokens. */
export async function signOut(): Promise<void> {
  try {
    if (session) await send('POST', '/auth/logout', {});
  } catch {
    /* unreachable server: the tokens are dropped below all the same */
  } finally {
    session = null;
  }
}

export const newIdempotencyKey = (): string => crypto.randomUUID();
