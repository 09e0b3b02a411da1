import { Injectable } from '@nestjs/common';
import { Candle } from '../../domain/signals';
import { CandleSource } from '../../domain/signals.ports';
import { ExchangeError } from '../../domain/exchange-account-gateway.ports';
import { CcxtClients, guard } from './ccxt-clients';

/** Public 1h candles from crypto.com through ccxt's fetchOHLCV (markets shared, no key). */
@Injectable()
export class CcxtCandleSource extends CandleSource {
  readonly exchange = 'CRYPTO_COM';

  constructor(private readonly clients: CcxtClients) {
    super();
  }

  async fetchCandles(symbol: string, timeframe: string, limit: number): Promise<Candle[]> {
    const ex = await this.clients.client('CRYPTO_COM');
    const market = Object.values(ex.markets ?? {}).find((m) => m?.id === symbol);
    if (!market) throw new ExchangeError('not_found', `Unknown symbol ${symbol} on CRYPTO_COM`);
    const rows = await guard('CRYPTO_COM', 'candles', () => ex.fetchOHLCV(market.symbol, timeframe, undefined, limit));
    const candles: Candle[] = [];
    for (const [t, , , , c] of rows) {
      if (typeof t !== 'number' || typeof c !== 'number' || !Number.isFinite(c)) continue;
      candles.push({ openTime: new Date(t), close: String(c) });
    }
    return candles.sort((a, b) => a.openTime.getTime() - b.openTime.getTime());
  }
}
