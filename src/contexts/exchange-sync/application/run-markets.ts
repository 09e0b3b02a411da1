import { Logger } from '@nestjs/common';
import { ExchangeAccountGateways, Instrument } from '../domain/exchange-account-gateway.ports';
import { tickerMap } from '../domain/valuation';
import { failureMessage } from './sync-failure';
import { MarketSnapshot } from './user-sync.service';

/** Snapshots (run and exchange) an instance keeps at once: a run's go when it completes, this bounds the ones it never saw complete. */
const MAX_KEPT = 16;

/** Tickers (for USD valuation and simulated legs) and instruments (tick sizes), once per run and exchange on this instance. */
export class RunMarkets {
  private readonly snapshots = new Map<string, Promise<MarketSnapshot>>();

  constructor(
    private readonly gateways: ExchangeAccountGateways,
    private readonly logger: Logger,
  ) {}

  get(runId: string, exchange: string): Promise<MarketSnapshot> {
    const key = `${runId}|${exchange}`;
    let m = this.snapshots.get(key);
    const gateway = this.gateways.get(exchange);
    if (!m && gateway) {
      m = Promise.all([
        gateway.fetchTickers().catch((e: unknown) => {
          this.logger.warn({
            message: 'Tickers unavailable: portfolio values and simulated legs wait for the next cycle',
            exchange,
            error: failureMessage(e),
          });
          return [];
        }),
        gateway.fetchInstruments().catch(() => [] as Instrument[]),
      ]).then(([tickers, instruments]) => ({ prices: tickerMap(tickers), instruments: new Map(instruments.map((i) => [i.symbol, i])) }));
      this.snapshots.set(key, m);
      if (this.snapshots.size > MAX_KEPT) this.snapshots.delete(this.snapshots.keys().next().value!);
    }
    return m ?? Promise.resolve({ prices: new Map(), instruments: new Map() });
  }

  /** A completed run's snapshots go. */
  forget(runId: string): void {
    for (const key of [...this.snapshots.keys()]) if (key.startsWith(`${runId}|`)) this.snapshots.delete(key);
  }
}
