import { Decimal } from '@kernel';
import { RemoteBalance, Ticker } from './exchange-account-gateway.ports';

/** Currencies valued 1:1 in USD. */
export const USD_LIKE = new Set(['USD', 'USDT', 'USDC', 'DAI', 'TUSD', 'FDUSD']);

export interface ValuedBalance {
  currency: string;
  quantity: string;
  usdPrice: string | null;
  usdValue: string | null; // null: no ticker to value it with
}

export interface Portfolio {
  balances: ValuedBalance[];
  totalUsd: string;
}

/** Last price of `currency` in USD from the exchange's tickers (X_USD, then X_USDT, then X_USDC). */
export function usdPrice(currency: string, tickers: Map<string, string>): string | null {
  if (USD_LIKE.has(currency)) return '1';
  for (const quote of ['USD', 'USDT', 'USDC']) {
    const last = tickers.get(`${currency}_${quote}`);
    if (last !== undefined) return last;
  }
  return null;
}

export const tickerMap = (tickers: Ticker[]): Map<string, string> => new Map(tickers.map((t) => [t.symbol, t.last]));

/** Values each balance exactly (decimal), sums what can be valued. Zero balances are dropped. */
export function valuePortfolio(balances: RemoteBalance[], tickers: Map<string, string>): Portfolio {
  let total = new Decimal(0);
  const out: ValuedBalance[] = [];
  for (const b of balances) {
    const qty = new Decimal(b.quantity);
    if (qty.isZero()) continue;
    const price = usdPrice(b.currency, tickers);
    const value = price === null ? null : qty.times(price).toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN);
    if (value) total = total.plus(value);
    out.push({ currency: b.currency, quantity: qty.toFixed(), usdPrice: price, usdValue: value ? value.toFixed() : null });
  }
  out.sort((a, b) => a.currency.localeCompare(b.currency));
  return { balances: out, totalUsd: total.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2) };
}

export interface ExchangePortfolio extends Portfolio {
  exchange: string;
}

/**
 * Every exchange's portfolio as one: quantities and USD values summed per currency
 * (exact), the USD price kept where every exchange valued it alike (null otherwise),
 * the total over everything valued.
 */
export function combinePortfolios(parts: ExchangePortfolio[]): Portfolio {
  const byCurrency = new Map<string, { qty: Decimal; value: Decimal | null; prices: Set<string | null> }>();
  let total = new Decimal(0);
  for (const part of parts) {
    for (const b of part.balances) {
      const acc = byCurrency.get(b.currency) ?? { qty: new Decimal(0), value: null, prices: new Set<string | null>() };
      acc.qty = acc.qty.plus(b.quantity);
      if (b.usdValue !== null) {
        acc.value = (acc.value ?? new Decimal(0)).plus(b.usdValue);
        total = total.plus(b.usdValue);
      }
      acc.prices.add(b.usdPrice === null ? null : new Decimal(b.usdPrice).toFixed());
      byCurrency.set(b.currency, acc);
    }
  }
  const balances: ValuedBalance[] = [...byCurrency.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, acc]) => ({
      currency,
      quantity: acc.qty.toFixed(),
      usdPrice: acc.prices.size === 1 ? [...acc.prices][0] : null,
      usdValue: acc.value ? acc.value.toFixed() : null,
    }));
  return { balances, totalUsd: total.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2) };
}
