import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface SmsMessage {
  to: string;
  body: string;
  subject?: string;
}

/** An SMS gateway webhook: records JSON messages; can be told to fail the next N calls, or the next N to one number. */
export class FakeSmsWebhook {
  readonly received: SmsMessage[] = [];
  calls = 0;
  failNext = 0;
  /** Number -> how many of its next messages answer 503. */
  readonly failTo = new Map<string, number>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        this.calls += 1;
        if (this.failNext > 0) {
          this.failNext -= 1;
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
          return;
        }
        const msg = JSON.parse(raw) as SmsMessage;
        const refuse = this.failTo.get(msg.to) ?? 0;
        if (refuse > 0) {
          this.failTo.set(msg.to, refuse - 1);
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
          return;
        }
        if (req.method !== 'POST' || !/^\+[1-9]\d{6,14}$/.test(msg.to) || !msg.body) {
          res.writeHead(400).end('{"error":"bad request"}');
          return;
        }
        this.received.push(msg);
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}');
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sms`;
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
