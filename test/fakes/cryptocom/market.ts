import { Answer, answer } from './http';

export interface FakeCandle {
  t: number;
  o: string;
  h: string;
  l: string;
  c: string;
  v: string;
}

/** What the public endpoints serve; tests change it in-process. */
export interface FakeMarket {
  tickers: Record<string, string>;
  instruments: string[];
  /** 1h candles per instrument, oldest first, as `public/get-candlestick` serves them (strings, t in ms). */
  candles: Record<string, FakeCandle[]>;
}

/** Hourly candles ending at `endMs`, one per close (open = previous close). */
export function hourlyCandles(closes: string[], endMs: number): FakeCandle[] {
  const start = endMs - (closes.length - 1) * 3_600_000;
  return closes.map((c, i) => {
    const o = i === 0 ? c : closes[i - 1];
    const [lo, hi] = Number(o) < Number(c) ? [o, c] : [c, o];
    return { t: start + i * 3_600_000, o, h: hi, l: lo, c, v: '1' };
  });
}

/** `public/get-tickers`, `public/get-instruments`, `public/get-candlestick`; 404 for any other public method. */
export function publicAnswer(market: FakeMarket, method: string, url: URL): Answer {
  if (method === 'public/get-tickers') {
    return answer(200, {
      id: -1,
      method,
      code: 0,
      result: { data: Object.entries(market.tickers).map(([i, a]) => ({ i, a, b: a, k: a, t: Date.now() })) },
    });
  }
  if (method === 'public/get-instruments') {
    return answer(200, {
      id: -1,
      method,
      code: 0,
      result: {
        data: market.instruments.map((s) => ({
          symbol: s,
          inst_type: 'CCY_PAIR',
          base_ccy: s.split('_')[0],
          quote_ccy: s.split('_')[1],
          price_tick_size: '0.01',
          qty_tick_size: '0.00001',
        })),
      },
    });
  }
  if (method === 'public/get-candlestick') {
    const name = url.searchParams.get('instrument_name') ?? '';
    if (!market.instruments.includes(name)) return answer(400, { id: -1, method, code: 40004, message: 'Invalid instrument_name' });
    const count = Math.min(Number(url.searchParams.get('count') ?? 25), 300);
    const data = (market.candles[name] ?? []).slice(-count);
    return answer(200, {
      id: -1,
      method,
      code: 0,
      result: { interval: url.searchParams.get('timeframe'), instrument_name: name, data },
    });
  }
  return answer(404, { code: 40401, message: 'NOT_FOUND' });
}
