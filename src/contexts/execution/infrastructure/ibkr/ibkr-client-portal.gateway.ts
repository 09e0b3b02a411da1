import { Injectable } from '@nestjs/common';
import { AppConfig } from '@platform/config/app-config';
import { IbkrGateway, WhatIfPreview } from '../../domain/execution.ports';
import { Side } from '../../domain/order-spec';
import { ExchangeUpstreamError, sanitizeUpstreamText } from '../../domain/upstream-error';

type Json = Record<string, unknown>;

/** "190.50 USD" -> "190.50"; keeps the exact text of the number. */
const amountOf = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  const m = /-?\d+(\.\d+)?/.exec(String(v).replace(/,/g, ''));
  return m ? m[0] : null;
};

/**
 * A small client for the IBKR Client Portal Gateway (the gateway holds the
 * brokerage session; no key is sent). auth status -> contract search -> what-if.
 */
@Injectable()
export class IbkrClientPortalGateway extends IbkrGateway {
  constructor(private readonly config: AppConfig) {
    super();
  }

  get configured(): boolean {
    return !!this.config.ibkrBaseUrl;
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.config.ibkrBaseUrl}${path}`, {
        method,
        headers: body ? { 'Content-Type': 'application/json' } : undefined,
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.config.exchangeHttpTimeoutMs),
      });
    } catch (e) {
      const reason = (e as Error)?.name === 'TimeoutError' ? 'timed out' : 'connection failed';
      throw new ExchangeUpstreamError('IBKR', 'unreachable', null, null, reason);
    }
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      /* keep text */
    }
    if (!res.ok) {
      const msg = (json as Json)?.error ?? (json as Json)?.message ?? text;
      throw new ExchangeUpstreamError(
        'IBKR',
        res.status === 401 ? 'auth' : 'rejected',
        res.status,
        null,
        sanitizeUpstreamText(msg || `HTTP ${res.status}`),
      );
    }
    return json;
  }

  async whatIf(req: { symbol: string; side: Side; qty: string }): Promise<WhatIfPreview & { accountId: string }> {
    const status = (await this.request('GET', '/iserver/auth/status')) as Json;
    if (status?.authenticated !== true) {
      throw new ExchangeUpstreamError('IBKR', 'auth', 401, null, 'Client Portal session is not authenticated: log in to the gateway');
    }
    let accountId = this.config.ibkrAccountId;
    if (!accountId) {
      const accounts = (await this.request('GET', '/iserver/accounts')) as Json;
      accountId = String((accounts?.accounts as string[] | undefined)?.[0] ?? '');
      if (!accountId) throw new ExchangeUpstreamError('IBKR', 'rejected', 200, null, 'No account available on the gateway');
    }
    const found = (await this.request('GET', `/iserver/secdef/search?symbol=${encodeURIComponent(req.symbol)}`)) as Json[];
    const contract = Array.isArray(found)
      ? (found.find((c) => (c.sections as Json[] | undefined)?.some((s) => s.secType === 'STK')) ?? found[0])
      : undefined;
    if (!contract?.conid) throw new ExchangeUpstreamError('IBKR', 'rejected', 200, null, `No contract found for ${req.symbol}`);
    const conid = String(contract.conid);
    const r = (await this.request('POST', `/iserver/account/${encodeURIComponent(accountId)}/orders/whatif`, {
      orders: [{ conid: Number(conid), orderType: 'MKT', side: req.side, quantity: Number(req.qty), tif: 'DAY' }],
    })) as Json;
    if (r?.error) throw new ExchangeUpstreamError('IBKR', 'rejected', 200, null, sanitizeUpstreamText(r.error));
    const amount = (r.amount ?? {}) as Json;
    return {
      accountId,
      conid,
      commission: amountOf(amount.commission),
      amount: amountOf(amount.amount),
      marginChange: amountOf((r.initial as Json | undefined)?.change),
      equityChange: amountOf((r.equity as Json | undefined)?.change),
      warnings: r.warn ? [sanitizeUpstreamText(r.warn)] : [],
    };
  }
}
