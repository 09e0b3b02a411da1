import { RequestPreview, WhatIfPreview } from '../domain/execution.ports';
import { OrderSpec } from '../domain/order-spec';
import { Check } from '../domain/risk';

/** The dry run: every check and the request that would be sent (http/execution.mappers.ts shapes the answer). */
export interface PrepareResult {
  spec: OrderSpec;
  passed: boolean;
  checks: Check[];
  requestPreview: RequestPreview;
}

/** The Binance testnet accepted the test order. */
export interface TestOrderResult {
  spec: OrderSpec;
  clientOrderId: string;
  latencyMs: number;
}

export interface PaperCheckResult {
  spec: OrderSpec;
  mode: 'PAPER_WHATIF' | 'OFFLINE_PAPER_CHECK';
  /** As the Binance test order: true when the order reached the IBKR gateway (what-if), false when checked offline. */
  sent: boolean;
  accountId: string | null;
  note: string | null;
  checks: Check[];
  preview: WhatIfPreview | null;
  latencyMs: number | null;
}

/** The order's fields as audit payloads (and the answers) name them. */
export const specSummary = (s: OrderSpec) => ({
  exchange: s.exchange,
  symbol: s.symbol,
  side: s.side,
  type: s.type,
  qty: s.qty.toFixed(),
  price: s.price?.toFixed() ?? null,
});
