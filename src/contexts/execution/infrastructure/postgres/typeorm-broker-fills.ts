import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { Decimal } from '@kernel';
import { Fill, FillMode } from '../../domain/performance';
import { BrokerFills, FillQuery } from '../../domain/performance.ports';

const modeOf = (target: string): FillMode => (target === 'live' ? 'live' : 'testnet');

/**
 * FILLED broker orders (LIMIT GTC, so the fill price is the limit price and the
 * slippage against it is 0; Binance's fee is not recorded on them), with the measured round trip of the call that placed each.
 */
@Injectable()
export class TypeormBrokerFills extends BrokerFills {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async fills(q: FillQuery): Promise<Fill[]> {
    const targets = q.modes.filter((m) => m !== 'paper');
    if (!targets.length || (q.exchange && q.exchange !== 'BINANCE')) return [];
    const rows: Record<string, unknown>[] = await this.txHost.tx.query(
      `SELECT id, exchange, target, symbol, side, qty, price, updated_at, send_latency_ms FROM execution_orders
        WHERE user_id = $1 AND status = 'FILLED' AND price IS NOT NULL AND updated_at <= $2 AND target = ANY($3)
        ORDER BY updated_at, id`,
      [q.userId, q.to, targets],
    );
    return rows.map((r) => {
      const price = new Decimal(String(r.price)).toFixed();
      return {
        id: r.id as string,
        at: r.updated_at instanceof Date ? r.updated_at : new Date(String(r.updated_at)),
        exchange: r.exchange as string,
        mode: modeOf(r.target as string),
        symbol: r.symbol as string,
        side: r.side as 'BUY' | 'SELL',
        quantity: new Decimal(String(r.qty)).toFixed(),
        price,
        fee: '0',
        referencePrice: price,
        latencyMs: r.send_latency_ms === null || r.send_latency_ms === undefined ? null : Number(r.send_latency_ms),
      };
    });
  }
}
