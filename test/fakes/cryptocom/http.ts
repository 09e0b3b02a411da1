import { ServerResponse } from 'node:http';

/** One answer of the fake: HTTP status, JSON body, extra headers. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const answer = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({ status, body, headers });

export function send(res: ServerResponse, a: Answer): void {
  res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
  res.end(JSON.stringify(a.body));
}

/** A failure `injectError` scripted: the next `remaining` matching calls get it. */
export interface InjectedError {
  status: number;
  code: number;
  message: string;
  remaining: number;
  method?: string;
  apiKey?: string;
  hang?: boolean;
}

export function sendInjected(res: ServerResponse, e: InjectedError, method: string, id?: number | string): void {
  if (e.hang) return; // never answers: the client's timeout must fire
  res.writeHead(e.status, { 'content-type': 'application/json', ...(e.status === 429 ? { 'retry-after': '1' } : {}) });
  res.end(JSON.stringify({ id, method, code: e.code, message: e.message }));
}
