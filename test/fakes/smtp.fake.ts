import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';

export interface SmtpMail {
  from: string;
  to: string[];
  data: string;
}

/** A minimal SMTP server (EHLO, MAIL, RCPT, DATA, QUIT; no TLS, no auth) that records mails. */
export class FakeSmtpServer {
  readonly mails: SmtpMail[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  async start(): Promise<string> {
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      let buffer = '';
      let inData = false;
      let mail: SmtpMail = { from: '', to: [], data: '' };
      const reply = (line: string) => socket.write(`${line}\r\n`);
      reply('220 fake.smtp ESMTP ready');
      socket.on('data', (chunk) => {
        buffer += chunk.toString('utf8');
        for (;;) {
          if (inData) {
            const end = buffer.indexOf('\r\n.\r\n');
            if (end < 0) return;
            mail.data = buffer.slice(0, end);
            buffer = buffer.slice(end + 5);
            inData = false;
            this.mails.push(mail);
            mail = { from: '', to: [], data: '' };
            reply('250 2.0.0 queued');
            continue;
          }
          const nl = buffer.indexOf('\r\n');
          if (nl < 0) return;
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 2);
          const cmd = line.slice(0, 4).toUpperCase();
          if (cmd === 'EHLO' || cmd === 'HELO') reply('250 fake.smtp');
          else if (cmd === 'MAIL') {
            mail.from = line
              .replace(/^MAIL FROM:\s*/i, '')
              .replace(/[<>]/g, '')
              .split(' ')[0];
            reply('250 2.1.0 ok');
          } else if (cmd === 'RCPT') {
            mail.to.push(line.replace(/^RCPT TO:\s*/i, '').replace(/[<>]/g, ''));
            reply('250 2.1.5 ok');
          } else if (cmd === 'DATA') {
            inData = true;
            reply('354 end with <CRLF>.<CRLF>');
          } else if (cmd === 'RSET') {
            mail = { from: '', to: [], data: '' };
            reply('250 ok');
          } else if (cmd === 'QUIT') {
            reply('221 bye');
            socket.end();
          } else if (cmd === 'NOOP') reply('250 ok');
          else reply('502 5.5.2 command not implemented');
        }
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `smtp://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
