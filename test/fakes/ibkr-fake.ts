import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * An IBKR Client Portal Gateway fake (base URL .../v1/api): auth status,
 * accounts, contract search, what-if order preview on a paper (DU...) account.
 */
export class IbkrFake {
  url = '';
  authenticated = true;
  readonly accounts = ['DU1234567'];
  readonly requests: { method: string; path: string; body: string }[] = [];
  private readonly contracts: Record<string, { conid: number; companyName: string; price: string }> = {
    AAPL: { conid: 265598, companyName: 'APPLE INC', price: '190.50' },
    MSFT: { conid: 272093, companyName: 'MICROSOFT CORP', price: '410.00' },
  };
  private failures: { status: number; body: unknown }[] = [];
  private server?: Server;

  failNext(status: number, body: unknown = { error: 'internal error' }): void {
    this.failures.push({ status, body });
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/api`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/v1\/api/, '');
    this.requests.push({ method: req.method ?? 'GET', path, body });
    const failure = this.failures.shift();
    if (failure) return this.send(res, failure.status, failure.body);
    if (path === '/iserver/auth/status') {
      return this.send(res, 200, {
        authenticated: this.authenticated,
        competing: false,
        connected: true,
        message: '',
        MAC: '00:00:00:00:00:00',
      });
    }
    if (!this.authenticated) return this.send(res, 401, { error: 'not authenticated', statusCode: 401 });
    if (req.method === 'GET' && path === '/iserver/accounts') {
      return this.send(res, 200, { accounts: this.accounts, selectedAccount: this.accounts[0], isPaper: true });
    }
    if (path === '/iserver/secdef/search') {
      const symbol = url.searchParams.get('symbol') ?? (body ? (JSON.parse(body) as { symbol?: string }).symbol : undefined) ?? '';
      const c = this.contracts[symbol];
      if (!c) return this.send(res, 200, []);
      return this.send(res, 200, [
        {
          conid: String(c.conid),
          companyHeader: `${c.companyName} - NASDAQ`,
          companyName: c.companyName,
          symbol,
          sections: [{ secType: 'STK', exchange: 'NASDAQ;SMART' }],
        },
      ]);
    }
    const whatIf = /^\/iserver\/account\/([^/]+)\/orders\/whatif$/.exec(path);
    if (req.method === 'POST' && whatIf) {
      if (!this.accounts.includes(whatIf[1])) return this.send(res, 400, { error: `Account ${whatIf[1]} not found` });
      const order = (JSON.parse(body || '{}') as { orders?: { conid: number; side: string; quantity: number; orderType: string }[] })
        .orders?.[0];
      const c = Object.values(this.contracts).find((x) => x.conid === Number(order?.conid));
      if (!order || !c) return this.send(res, 400, { error: 'Invalid contract id' });
      const amount = (Number(c.price) * order.quantity).toFixed(2);
      const margin = (Number(amount) * 0.25).toFixed(2);
      return this.send(res, 200, {
        amount: { amount: `${amount} USD`, commission: '1.00 USD', total: `${(Number(amount) + 1).toFixed(2)} USD` },
        equity: { current: '1000000', change: '-1', after: '999999' },
        initial: { current: '0', change: margin, after: margin },
        maintenance: { current: '0', change: margin, after: margin },
        position: { current: '0', change: String(order.quantity), after: String(order.quantity) },
        warn: order.quantity > 1000 ? '21/You are about to submit a large order' : null,
        error: null,
      });
    }
    return this.send(res, 404, { error: `no route ${req.method} ${path}` });
  }
}
