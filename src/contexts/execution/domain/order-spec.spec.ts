import { DomainError } from '@kernel';
import { parseOrderSpec } from './order-spec';

const fields = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    return ((e as DomainError).details?.errors as { field: string }[]).map((x) => x.field);
  }
  throw new Error('expected a validation error');
};

describe('parseOrderSpec', () => {
  it('accepts the runbook order with exact quantities', () => {
    const s = parseOrderSpec({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 });
    expect(s).toMatchObject({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET' });
    expect(s.qty.toFixed()).toBe('0.01');
    expect(parseOrderSpec({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'SELL', qty: '0.1', price: '60000.5' }).type).toBe('LIMIT');
    expect(parseOrderSpec({ exchange: 'IBKR', symbol: 'BRK.B', side: 'BUY', qty: 1 }).symbol).toBe('BRK.B');
  });

  it.each([
    [{ qty: 'abc' }, 'qty'],
    [{ qty: -1 }, 'qty'],
    [{ qty: 0 }, 'qty'],
    [{ qty: 1e308 }, 'qty'],
    [{ qty: Number.NaN }, 'qty'],
    [{ qty: '1e3' }, 'qty'],
    [{ qty: 0.123456789 }, 'qty'],
    [{ qty: {} }, 'qty'],
    [{ symbol: 'BTC/USDT' }, 'symbol'],
    [{ symbol: 'btcusdt' }, 'symbol'],
    [{ symbol: 'X'.repeat(200) }, 'symbol'],
    [{ side: 'HOLD' }, 'side'],
    [{ exchange: 'KRAKEN' }, 'exchange'],
    [{ type: 'MARKET', price: 1 }, 'price'],
    [{ type: 'LIMIT' }, 'price'],
    [{ type: 'STOP' }, 'type'],
  ])('refuses %j naming %s', (patch, field) => {
    expect(fields(() => parseOrderSpec({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 1, ...patch }))).toContain(field);
  });

  it('lists every bad field at once', () => {
    expect(fields(() => parseOrderSpec({ exchange: 'BINANCE', symbol: 'btc', side: 'X', qty: 'abc' }))).toEqual(['symbol', 'side', 'qty']);
  });
});
