import { ServerResponse } from 'node:http';

/** A scripted failure: `failNext` (in-process control API) or a magic symbol. */
export interface FakeFailure {
  status: number;
  code?: number;
  msg?: string;
  retryAfter?: number;
  /** How many calls fail (default 1). */
  times?: number;
  /** Drop the connection instead of answering. */
  destroy?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** An error Binance-style: `{code, msg}` with the HTTP status. */
export interface BinanceError {
  status: number;
  code: number;
  msg: string;
}

export const MAGIC: Record<string, FakeFailure> = {
  FAILAUTHUSDT: { status: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' },
  FAILSIGUSDT: { status: 400, code: -1022, msg: 'Signature for this request is not valid.' },
  FAILFILTERUSDT: { status: 400, code: -1013, msg: 'Filter failure: PERCENT_PRICE_BY_SIDE' },
  FAILRATEUSDT: { status: 429, code: -1003, msg: 'Too many requests; current limit is 1200 request weight per 1 MINUTE.', retryAfter: 1 },
};

export function missing(name: string): BinanceError {
  return { status: 400, code: -1102, msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.` };
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, e: BinanceError, headers: Record<string, string> = {}): void {
  send(res, e.status, { code: e.code, msg: e.msg }, headers);
}

export function answerFailure(res: ServerResponse, f: FakeFailure): void {
  if (f.destroy) {
    res.socket?.destroy();
    return;
  }
  const headers: Record<string, string> = f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : {};
  sendError(
    res,
    { status: f.status, code: f.code ?? -1000, msg: f.msg ?? 'An unknown error occurred while processing the request.' },
    headers,
  );
}
