import { Injectable } from '@nestjs/common';
import { Fill } from '../../domain/performance';
import { FillQuery, PaperFills } from '../../domain/performance.ports';
import { PaperBook } from '../../domain/paper.ports';

/** Paper fills with their fee, the price seen at send (slippage) and the public price call's latency. */
@Injectable()
export class TypeormPaperFills extends PaperFills {
  constructor(private readonly book: PaperBook) {
    super();
  }

  async fills(q: FillQuery): Promise<Fill[]> {
    if (!q.modes.includes('paper') || (q.exchange && q.exchange !== 'BINANCE')) return [];
    return (await this.book.fills(q.userId, q.to)).map((o) => ({
      id: o.id,
      at: o.filledAt!,
      exchange: 'BINANCE',
      mode: 'paper',
      symbol: o.symbol,
      side: o.side,
      quantity: o.qty,
      price: o.fillPrice!,
      fee: o.fee ?? '0',
      referencePrice: o.referencePrice,
      latencyMs: o.latencyMs === null ? null : Number(o.latencyMs),
    }));
  }
}
