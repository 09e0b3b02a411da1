import { computePerformance, Fill } from './performance';

let seq = 0;
const fill = (
  at: string,
  symbol: string,
  side: 'BUY' | 'SELL',
  quantity: string,
  price: string,
  fee: string,
  ref: string | null,
  latency: number | null,
): Fill => ({
  id: `f${++seq}`,
  at: new Date(at),
  exchange: 'BINANCE',
  mode: 'paper',
  symbol,
  side,
  quantity,
  price,
  fee,
  referencePrice: ref,
  latencyMs: latency,
});

/*
 * The sequence, worked by hand:
 *  D1 10:00 BUY  1   BTC @ 100, fee 0.1    (ref 99.9,  100 ms)  lot A: 1 @ 100, fee 0.1/unit
 *  D1 12:00 SELL 1   BTC @ 110, fee 0.11   (ref 110.2, 200 ms)  closes A: 10 - 0.1 - 0.11             = 9.79
 *  D2 09:00 BUY  1   BTC @ 100, fee 0.1    (ref 100,   300 ms)  lot B: 1 @ 100, 0.1/unit
 *  D2 10:00 BUY  1   BTC @ 104, fee 0.104  (no ref, no latency) lot C: 1 @ 104, 0.104/unit
 *  D2 11:00 BUY  0.5 ETH @ 2000, fee 1     (ref 1990,  no latency) stays open: cost 1000 + 1
 *  D2 15:00 SELL 1.5 BTC @ 95,  fee 0.1425 (ref 95.5,  400 ms)  B: -5 - 0.1; half of C: -4.5 - 0.052;
 *                                                                 own fee 0.1425                       = -9.7945
 *  D4 11:00 SELL 0.5 BTC @ 120, fee 0.06   (ref 119,   100 ms)  rest of C: 8 - 0.052 - 0.06          = 7.888
 * Trades 9.79, -9.7945, 7.888: realized 7.8835; wins 2, losses 1 -> 66.66666667 %;
 * profit factor (9.79 + 7.888) / 9.7945 = 17.678 / 9.7945 = 1.80489050.
 * Equity 9.79 -> -0.0045 -> 7.8835: the peak 9.79 falls by 9.7945, 9.7945 / 9.79 = 100.04596527 %.
 * Daily P&L D1..D4: 9.79, -9.7945, 0, 7.888; mean 7.8835 / 4 = 1.970875; squared deviations
 * 7.819125^2 + 11.765375^2 + 1.970875^2 + 5.917125^2 = 238.45948118..., / 3 = 79.48649372916...;
 * Sharpe = 1.970875 / sqrt(79.486493729) * sqrt(365) = 4.22336720.
 * Slippage bps: BUY 100 vs 99.9 = 10.01001001; SELL 110 vs 110.2 = 18.14882033; BUY at ref = 0;
 * ETH BUY 2000 vs 1990 = 50.25125628; SELL 95 vs 95.5 = 52.35602094; SELL 120 vs 119 = -84.03361345 (better);
 * mean of the six = 7.78874902. Latency (100 + 200 + 300 + 400 + 100) / 5 = 220.
 * Fees 0.1 + 0.11 + 0.1 + 0.104 + 1 + 0.1425 + 0.06 = 1.6165.
 */
const SEQUENCE = [
  fill('2026-01-01T10:00:00Z', 'BTC_USDT', 'BUY', '1', '100', '0.1', '99.9', 100),
  fill('2026-01-01T12:00:00Z', 'BTC_USDT', 'SELL', '1', '110', '0.11', '110.2', 200),
  fill('2026-01-02T09:00:00Z', 'BTC_USDT', 'BUY', '1', '100', '0.1', '100', 300),
  fill('2026-01-02T10:00:00Z', 'BTC_USDT', 'BUY', '1', '104', '0.104', null, null),
  fill('2026-01-02T11:00:00Z', 'ETH_USDT', 'BUY', '0.5', '2000', '1', '1990', null),
  fill('2026-01-02T15:00:00Z', 'BTC_USDT', 'SELL', '1.5', '95', '0.1425', '95.5', 400),
  fill('2026-01-04T11:00:00Z', 'BTC_USDT', 'SELL', '0.5', '120', '0.06', '119', 100),
];

describe('computePerformance (FIFO lots, fees, the seed 002 metrics)', () => {
  it('pins every figure of the hand-worked sequence', () => {
    const p = computePerformance([...SEQUENCE].reverse()); // order of the input does not matter
    expect(p.closedTrades.map((t) => [t.symbol, t.quantity, t.pnl])).toEqual([
      ['BTC_USDT', '1', '9.79'],
      ['BTC_USDT', '1.5', '-9.7945'],
      ['BTC_USDT', '0.5', '7.888'],
    ]);
    expect(p).toMatchObject({
      fills: 7,
      trades: 3,
      wins: 2,
      losses: 1,
      realizedPnl: '7.8835',
      fees: '1.6165',
      grossProfit: '17.678',
      grossLoss: '9.7945',
      winRatePct: '66.66666667',
      profitFactor: '1.8048905',
      maxDrawdown: '9.7945',
      maxDrawdownPct: '100.04596527',
      sharpe: '4.2233672',
      sharpeDays: 4,
      avgSlippageBps: '7.78874902',
      avgLatencyMs: '220',
      openPositions: [{ exchange: 'BINANCE', symbol: 'ETH_USDT', quantity: '0.5', cost: '1001' }],
      unmatchedSellQuantity: [],
    });
    expect(p.equityCurve.map((e) => e.equity)).toEqual(['9.79', '-0.0045', '7.8835']);
  });

  it('from: earlier fills still build the lots, only later trades and fills count', () => {
    const p = computePerformance(SEQUENCE, new Date('2026-01-02T12:00:00Z'));
    expect(p.closedTrades.map((t) => t.pnl)).toEqual(['-9.7945', '7.888']);
    expect(p).toMatchObject({ fills: 2, trades: 2, wins: 1, losses: 1, realizedPnl: '-1.9065', fees: '0.2025', avgLatencyMs: '250' });
    // Equity -9.7945 then -1.9065: the peak never rose above 0, so the drawdown has no percentage; 7.888 / 9.7945 = 0.80534994.
    expect(p).toMatchObject({ maxDrawdown: '9.7945', maxDrawdownPct: null, profitFactor: '0.80534994' });
  });

  it('no fills: zeros and nulls, never NaN or Infinity', () => {
    const p = computePerformance([]);
    expect(p).toEqual({
      fills: 0,
      trades: 0,
      wins: 0,
      losses: 0,
      realizedPnl: '0',
      fees: '0',
      grossProfit: '0',
      grossLoss: '0',
      winRatePct: null,
      profitFactor: null,
      maxDrawdown: '0',
      maxDrawdownPct: null,
      sharpe: null,
      sharpeDays: 0,
      avgSlippageBps: null,
      avgLatencyMs: null,
      equityCurve: [],
      closedTrades: [],
      openPositions: [],
      unmatchedSellQuantity: [],
    });
  });

  it('only winners: profit factor null (no loss to divide by), one day: no Sharpe; a SELL with no lot is unmatched', () => {
    const p = computePerformance([
      fill('2026-02-01T10:00:00Z', 'BTC_USDT', 'BUY', '1', '100', '0', null, null),
      fill('2026-02-01T11:00:00Z', 'BTC_USDT', 'SELL', '2', '101', '0', null, null),
    ]);
    expect(p).toMatchObject({ trades: 1, realizedPnl: '1', winRatePct: '100', profitFactor: null, sharpe: null, sharpeDays: 1 });
    expect(p).toMatchObject({
      maxDrawdown: '0',
      maxDrawdownPct: '0',
      unmatchedSellQuantity: [{ exchange: 'BINANCE', symbol: 'BTC_USDT', quantity: '1' }],
    });
    expect(JSON.stringify(p)).not.toMatch(/NaN|Infinity/);
  });
});
