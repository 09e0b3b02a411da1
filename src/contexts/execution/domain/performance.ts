import DecimalJs from 'decimal.js';

/** Wide precision for the ratios; every sum of fills is exact long before 40 digits. */
const D = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_EVEN });
type Dec = InstanceType<typeof D>;

export type FillMode = 'paper' | 'testnet' | 'live';

/** One execution, whatever recorded it (broker order, synced exchange order, paper fill). Decimals as strings. */
export interface Fill {
  id: string;
  at: Date;
  exchange: string;
  mode: FillMode;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: string;
  price: string;
  /** In the quote currency; '0' when the exchange reported none. */
  fee: string;
  /** The limit price, or the price seen at send: slippage is measured against it. */
  referencePrice: string | null;
  /** Exchange round trip of the call that produced the fill. */
  latencyMs: number | null;
}

export interface ClosedTrade {
  at: Date;
  symbol: string;
  quantity: string;
  pnl: string;
}

export interface EquityPoint {
  at: Date;
  pnl: string;
  equity: string;
}

export interface Performance {
  fills: number;
  trades: number;
  wins: number;
  losses: number;
  realizedPnl: string;
  fees: string;
  grossProfit: string;
  grossLoss: string;
  winRatePct: string | null;
  profitFactor: string | null;
  maxDrawdown: string;
  maxDrawdownPct: string | null;
  sharpe: string | null;
  sharpeDays: number;
  avgSlippageBps: string | null;
  avgLatencyMs: string | null;
  equityCurve: EquityPoint[];
  closedTrades: ClosedTrade[];
  openPositions: { exchange: string; symbol: string; quantity: string; cost: string }[];
  unmatchedSellQuantity: { exchange: string; symbol: string; quantity: string }[];
}

const RATIO_DP = 8;
const r = (d: Dec): string => d.toDecimalPlaces(RATIO_DP).toFixed();
const DAY_MS = 86_400_000;
const split = (key: string) => ({ exchange: key.slice(0, key.indexOf(':')), symbol: key.slice(key.indexOf(':') + 1) });
const dayOf = (d: Date): number => Math.floor(d.getTime() / DAY_MS);

interface Lot {
  qty: Dec;
  price: Dec;
  feePerUnit: Dec;
}

/**
 * Trading performance from fills, oldest first. FIFO lots per exchange and symbol (spot: a SELL
 * closes the oldest open BUY quantity; a SELL beyond the open quantity is reported
 * as unmatched, not as a short). A trade is one SELL's matched quantity; its P&L
 * is (sell - buy) x quantity minus the buy fees of the lots it closes (pro rata)
 * and its own fee (pro rata to the matched part). Only trades closing at or after
 * `from` count; earlier fills still build the lots.
 *
 * - win rate: wins / trades, in %; null without trades. Break-even trades are neither.
 * - profit factor: gross profit / gross loss; null when there is no losing trade.
 * - max drawdown on the realized equity curve (cumulative P&L from 0): the largest fall
 *   from a running peak; % of that peak, null while the peak is not above 0.
 * - Sharpe: mean / sample standard deviation of daily realized P&L (UTC days from the
 *   first to the last closing day, days without trades count as 0) x sqrt(365); null with
 *   fewer than 2 days or no variation. Daily P&L over a constant capital is the same ratio.
 * - slippage: per fill with a reference price, in bps, positive when worse than the
 *   reference (a BUY above it, a SELL below it); average over those fills.
 * - latency: average over fills that carry one.
 */
export function computePerformance(all: Fill[], from?: Date): Performance {
  const fills = [...all].sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id));
  const lots = new Map<string, Lot[]>();
  const unmatched = new Map<string, Dec>();
  const trades: ClosedTrade[] = [];
  let fees = new D(0);
  let counted = 0;
  const slippages: Dec[] = [];
  const latencies: number[] = [];
  const inRange = (f: { at: Date }) => !from || f.at.getTime() >= from.getTime();

  for (const f of fills) {
    const qty = new D(f.quantity);
    const price = new D(f.price);
    const fee = new D(f.fee);
    if (qty.lte(0)) continue;
    if (inRange(f)) {
      counted++;
      fees = fees.plus(fee);
      if (f.referencePrice !== null && new D(f.referencePrice).gt(0)) {
        const ref = new D(f.referencePrice);
        const diff = f.side === 'BUY' ? price.minus(ref) : ref.minus(price);
        slippages.push(diff.div(ref).times(10_000));
      }
      if (f.latencyMs !== null && Number.isFinite(f.latencyMs)) latencies.push(f.latencyMs);
    }
    const key = `${f.exchange}:${f.symbol}`;
    const book = lots.get(key) ?? [];
    lots.set(key, book);
    if (f.side === 'BUY') {
      book.push({ qty, price, feePerUnit: fee.div(qty) });
      continue;
    }
    let left = qty;
    let pnl = new D(0);
    let matched = new D(0);
    while (left.gt(0) && book.length) {
      const lot = book[0];
      const take = D.min(left, lot.qty);
      pnl = pnl.plus(price.minus(lot.price).times(take)).minus(lot.feePerUnit.times(take));
      matched = matched.plus(take);
      lot.qty = lot.qty.minus(take);
      left = left.minus(take);
      if (lot.qty.isZero()) book.shift();
    }
    if (left.gt(0)) unmatched.set(key, (unmatched.get(key) ?? new D(0)).plus(left));
    if (matched.isZero()) continue;
    pnl = pnl.minus(fee.times(matched).div(qty));
    if (inRange(f)) trades.push({ at: f.at, symbol: f.symbol, quantity: matched.toFixed(), pnl: pnl.toFixed() });
  }

  let equity = new D(0);
  let peak = new D(0);
  let maxDd = new D(0);
  let maxDdPeak = new D(0);
  let grossProfit = new D(0);
  let grossLoss = new D(0);
  let wins = 0;
  let losses = 0;
  const curve: EquityPoint[] = [];
  const daily = new Map<number, Dec>();
  for (const t of trades) {
    const pnl = new D(t.pnl);
    if (pnl.gt(0)) {
      wins++;
      grossProfit = grossProfit.plus(pnl);
    } else if (pnl.lt(0)) {
      losses++;
      grossLoss = grossLoss.plus(pnl.neg());
    }
    equity = equity.plus(pnl);
    curve.push({ at: t.at, pnl: t.pnl, equity: equity.toFixed() });
    if (equity.gt(peak)) peak = equity;
    const dd = peak.minus(equity);
    if (dd.gt(maxDd)) {
      maxDd = dd;
      maxDdPeak = peak;
    }
    const day = dayOf(t.at);
    daily.set(day, (daily.get(day) ?? new D(0)).plus(pnl));
  }

  let sharpe: string | null = null;
  let sharpeDays = 0;
  if (trades.length) {
    const first = dayOf(trades[0].at);
    const last = dayOf(trades[trades.length - 1].at);
    sharpeDays = last - first + 1;
    if (sharpeDays >= 2) {
      const values = Array.from({ length: sharpeDays }, (_, i) => daily.get(first + i) ?? new D(0));
      const mean = values.reduce((a, v) => a.plus(v), new D(0)).div(sharpeDays);
      const variance = values.reduce((a, v) => a.plus(v.minus(mean).pow(2)), new D(0)).div(sharpeDays - 1);
      if (variance.gt(0)) sharpe = r(mean.div(variance.sqrt()).times(new D(365).sqrt()));
    }
  }

  const open = [...lots.entries()]
    .map(([key, book]) => ({
      key,
      quantity: book.reduce((a, l) => a.plus(l.qty), new D(0)),
      cost: book.reduce((a, l) => a.plus(l.qty.times(l.price.plus(l.feePerUnit))), new D(0)),
    }))
    .filter((p) => p.quantity.gt(0))
    .map((p) => ({ ...split(p.key), quantity: p.quantity.toFixed(), cost: r(p.cost) }));

  const avg = (xs: Dec[]) => (xs.length ? r(xs.reduce((a, v) => a.plus(v), new D(0)).div(xs.length)) : null);
  return {
    fills: counted,
    trades: trades.length,
    wins,
    losses,
    realizedPnl: equity.toFixed(),
    fees: fees.toFixed(),
    grossProfit: grossProfit.toFixed(),
    grossLoss: grossLoss.toFixed(),
    winRatePct: trades.length ? r(new D(wins).div(trades.length).times(100)) : null,
    profitFactor: grossLoss.gt(0) ? r(grossProfit.div(grossLoss)) : null,
    maxDrawdown: maxDd.toFixed(),
    maxDrawdownPct: maxDd.gt(0) && maxDdPeak.gt(0) ? r(maxDd.div(maxDdPeak).times(100)) : maxDd.isZero() && trades.length ? '0' : null,
    sharpe,
    sharpeDays,
    avgSlippageBps: avg(slippages),
    avgLatencyMs: latencies.length ? r(new D(latencies.reduce((a, v) => a + v, 0)).div(latencies.length)) : null,
    equityCurve: curve,
    closedTrades: trades,
    openPositions: open,
    unmatchedSellQuantity: [...unmatched.entries()].map(([key, q]) => ({ ...split(key), quantity: q.toFixed() })),
  };
}
