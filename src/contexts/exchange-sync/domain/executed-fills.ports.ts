/** An executed (fully or partly filled) order synced from the exchange, as a fill for performance metrics. */
export interface ExecutedFill {
  id: string;
  at: Date;
  exchange: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  quantity: string;
  price: string;
  limitPrice: string | null;
}

/** exchange-sync's read contract for other contexts (exported from index.ts). Never includes simulated legs. */
export abstract class ExecutedOrderFills {
  abstract list(userId: string, to: Date, exchange?: string): Promise<ExecutedFill[]>;
}
