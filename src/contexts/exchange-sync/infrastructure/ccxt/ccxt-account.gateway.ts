import type * as Ccxt from 'ccxt';
import { Decimal } from '@kernel';
import type { ExchangeCredentials } from '../../../vault';
import { AppConfig } from '@platform/config/app-config';
import {
  ExchangeAccountGateway,
  ExchangeError,
  Instrument,
  Parsed,
  PlaceOcoRequest,
  PlaceOrderRequest,
  RemoteBalance,
  RemoteOrder,
  SkippedRecord,
  Ticker,
} from '../../domain/exchange-account-gateway.ports';
import { CcxtClients, CcxtExchange, Profile, PROFILES, SyncExchange, toExchangeError, WeighedCall } from './ccxt-clients';
import { toOurSymbol, toRemoteBalances, toRemoteOrder, toTickers, toUnifiedSymbol } from './ccxt-order-mapping';
import { WeightBudget } from './weight-budget';

/** History window and size for exchanges with one account-wide history (crypto.com: at most a day, 100). */
const HISTORY_WINDOW_MS = 24 * 3600 * 1000;
const HISTORY_LIMIT = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RETRIABLE = new Set(['rate_limited', 'unavailable', 'timeout']);

/** ccxt's unified methods type amounts as numbers; with decimal strings it takes (and returns) strings. */
const asCcxtAmount = (decimal: string): number => decimal as unknown as number;

/**
 * One exchange's account through ccxt's unified API (signing, error classes, parsing),
 * configured by its profile in ccxt-clients.ts. A user's calls share one instance for as
 * long as the caller holds that credentials object (markets shared with setMarkets),
 * numbers as strings, so nothing is a JS number and no key outlives the user's sync.
 */
export class CcxtAccountGateway extends ExchangeAccountGateway {
  readonly historyPerSymbol: boolean;
  readonly nativeOco: boolean;
  private readonly profile: Profile;

  constructor(
    readonly exchange: SyncExchange,
    private readonly clients: CcxtClients,
    private readonly config: AppConfig,
    private readonly budget: WeightBudget,
  ) {
    super();
    this.profile = PROFILES[exchange];
    this.historyPerSymbol = this.profile.historyPerSymbol;
    this.nativeOco = exchange === 'BINANCE';
  }

  async fetchInstruments(): Promise<Instrument[]> {
    const { markets } = await this.clients.markets(this.exchange);
    const out: Instrument[] = [];
    for (const m of Object.values(markets)) {
      const symbol = m && m.spot !== false ? toOurSymbol(m.symbol) : null;
      if (!symbol || !m) continue;
      const tick = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? new Decimal(v).toFixed() : null);
      out.push({ symbol, base: m.base, quote: m.quote, priceTick: tick(m.precision?.price), qtyTick: tick(m.precision?.amount) });
    }
    return out;
  }

  async fetchTickers(): Promise<Ticker[]> {
    const rows = await this.call(undefined, 'lastPrices', 'tickers', async (ex): Promise<object> =>
      this.profile.lastPrices === 'fetchLastPrices' ? ex.fetchLastPrices() : ex.fetchTickers(),
    );
    return toTickers(rows as Record<string, { symbol?: string; last?: unknown; price?: unknown }>);
  }

  async fetchBalances(creds: ExchangeCredentials): Promise<Parsed<RemoteBalance>> {
    return toRemoteBalances(await this.call(creds, 'balance', 'balances', (ex) => ex.fetchBalance()));
  }

  async fetchOpenOrders(creds: ExchangeCredentials): Promise<Parsed<RemoteOrder>> {
    return parsed(await this.call(creds, 'openOrders', 'open orders', (ex) => ex.fetchOpenOrders()));
  }

  async fetchOrderHistory(creds: ExchangeCredentials, symbols: string[]): Promise<Parsed<RemoteOrder>> {
    if (!this.historyPerSymbol) {
      const since = Date.now() - HISTORY_WINDOW_MS;
      return parsed(await this.call(creds, 'history', 'order history', (ex) => ex.fetchOrders(undefined, since, HISTORY_LIMIT)));
    }
    const items: RemoteOrder[] = [];
    const skipped: SkippedRecord[] = [];
    const { markets } = await this.clients.markets(this.exchange);
    for (const symbol of symbols) {
      const unified = toUnifiedSymbol(symbol);
      if (!markets[unified]) continue; // not listed here: nothing to ask
      const page = parsed(await this.call(creds, 'history', 'order history', (ex) => ex.fetchOrders(unified, undefined, HISTORY_LIMIT)));
      items.push(...page.items);
      skipped.push(...page.skipped);
    }
    return { items, skipped };
  }

  async fetchOrder(creds: ExchangeCredentials, exchangeOrderId: string, symbol: string): Promise<RemoteOrder | null> {
    try {
      const order = await this.call(creds, 'order', 'order detail', (ex) => ex.fetchOrder(exchangeOrderId, toUnifiedSymbol(symbol)));
      const remote = toRemoteOrder(order);
      if (typeof remote === 'string') throw new ExchangeError('bad_response', `order detail unusable: ${remote}`);
      return remote;
    } catch (e) {
      if (e instanceof ExchangeError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  async placeOrder(creds: ExchangeCredentials, req: PlaceOrderRequest): Promise<{ exchangeOrderId: string }> {
    const trigger = req.type === 'STOP_LOSS' ? { stopLossPrice: req.triggerPrice } : { takeProfitPrice: req.triggerPrice };
    const params = { ...trigger, [this.profile.clientOrderIdParam]: req.clientOrderId };
    // Not retried: an ambiguous failure is resolved next cycle through the client order id.
    const order = await this.call(
      creds,
      'place',
      'create order',
      (ex) =>
        ex.createOrder(
          toUnifiedSymbol(req.symbol),
          'market',
          req.side === 'BUY' ? 'buy' : 'sell',
          asCcxtAmount(req.quantity),
          undefined,
          params,
        ),
      false,
    );
    if (!order?.id) throw new ExchangeError('bad_response', 'create order answer without an order id');
    return { exchangeOrderId: String(order.id) };
  }

  /**
   * Binance's order-list OCO (POST /api/v3/orderList/oco) through ccxt's implicit API:
   * the take-profit as a LIMIT_MAKER and the stop-loss as a STOP_LOSS on either side
   * of the price, so the exchange itself cancels one when the other fills.
   */
  async placeOco(creds: ExchangeCredentials, req: PlaceOcoRequest): Promise<{ stopLossOrderId: string; takeProfitOrderId: string }> {
    if (!this.nativeOco) throw new ExchangeError('rejected', `${this.profile.label} has no order-list OCO here`);
    const answer = await this.call(
      creds,
      'oco',
      'create OCO',
      async (ex) => {
        const unified = toUnifiedSymbol(req.symbol);
        const price = (p: string) => String(ex.priceToPrecision(unified, asCcxtAmount(p)));
        const tp = { type: 'LIMIT_MAKER', price: price(req.takeProfit.triggerPrice), id: req.takeProfit.clientOrderId };
        const sl = { type: 'STOP_LOSS', stopPrice: price(req.stopLoss.triggerPrice), id: req.stopLoss.clientOrderId };
        // Selling out of a long: take-profit above, stop below; buying back a short: the other way round.
        const [above, below] = req.side === 'SELL' ? [tp, sl] : [sl, tp];
        const leg = (where: 'above' | 'below', l: typeof tp | typeof sl) => ({
          [`${where}Type`]: l.type,
          [`${where}ClientOrderId`]: l.id,
          ...('price' in l ? { [`${where}Price`]: l.price } : { [`${where}StopPrice`]: l.stopPrice }),
        });
        const implicit = ex as unknown as Record<string, (p: Record<string, string>) => Promise<unknown>>;
        return implicit['privatePostOrderListOco']({
          symbol: String(ex.market(unified).id),
          side: req.side,
          quantity: String(ex.amountToPrecision(unified, asCcxtAmount(req.quantity))),
          listClientOrderId: req.listClientOrderId,
          ...leg('above', above),
          ...leg('below', below),
        });
      },
      false,
    );
    const orders = ((answer as { orders?: { orderId?: unknown; clientOrderId?: unknown }[] })?.orders ?? []).map((o) => ({
      id: o.orderId === undefined ? undefined : String(o.orderId),
      client: String(o.clientOrderId),
    }));
    const sl = orders.find((o) => o.client === req.stopLoss.clientOrderId)?.id;
    const tp = orders.find((o) => o.client === req.takeProfit.clientOrderId)?.id;
    if (!sl || !tp) throw new ExchangeError('bad_response', 'OCO answer without both order ids');
    return { stopLossOrderId: sl, takeProfitOrderId: tp };
  }

  async cancelOrder(creds: ExchangeCredentials, symbol: string, exchangeOrderId: string): Promise<void> {
    await this.call(creds, 'cancel', 'cancel order', (ex) => ex.cancelOrder(exchangeOrderId, toUnifiedSymbol(symbol)));
  }

  /** One ccxt call on the user's instance: weighed, retried when the failure is transient (unless `retry` is false). */
  private async call<T>(
    creds: ExchangeCredentials | undefined,
    weighed: WeighedCall,
    what: string,
    work: (ex: CcxtExchange) => Promise<T>,
    retry = true,
  ): Promise<T> {
    const attempts = retry ? this.config.exchangeMaxRetries + 1 : 1;
    const secrets = creds ? [creds.apiKey, creds.apiSecret] : [];
    for (let attempt = 0; ; attempt++) {
      try {
        const ex = await this.clients.client(this.exchange, creds, true);
        await this.budget.take(this.profile.weights[weighed] ?? 0);
        try {
          return await work(ex);
        } finally {
          this.observeWeight(ex);
        }
      } catch (e) {
        const err = toExchangeError(this.exchange, what, e, secrets);
        if (!RETRIABLE.has(err.kind) || attempt >= attempts - 1) throw err;
        await sleep(Math.min(100 * 2 ** attempt, 2000));
      }
    }
  }

  private observeWeight(ex: Ccxt.Exchange): void {
    const headers = (ex.last_response_headers ?? {}) as Record<string, string>;
    const key = Object.keys(headers).find((k) => k.toLowerCase() === 'x-mbx-used-weight-1m');
    if (key) this.budget.observe(Number(headers[key]));
  }
}

function parsed(orders: Ccxt.Order[]): Parsed<RemoteOrder> {
  const items: RemoteOrder[] = [];
  const skipped: SkippedRecord[] = [];
  for (const o of orders) {
    const r = toRemoteOrder(o);
    if (typeof r === 'string') skipped.push({ reason: r, ref: o?.id ? String(o.id) : null });
    else items.push(r);
  }
  return { items, skipped };
}
