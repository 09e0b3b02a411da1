import { RequestPreview } from '../domain/execution.ports';
import { OrderSpec, Venue } from '../domain/order-spec';
import { Check } from '../domain/risk';

export interface PrepareResult {
  mode: 'DRY_RUN';
  exchange: Venue;
  symbol: string;
  side: string;
  type: string;
  qty: string;
  price: string | null;
  passed: boolean;
  checks: Check[];
  request_preview: RequestPreview;
}

export interface TestOrderResult {
  exchange: 'BINANCE';
  mode: 'testnet_order_test';
  symbol: string;
  side: string;
  type: string;
  qty: string;
  price: string | null;
  client_order_id: string;
  sent: true;
  latency_ms: number;
}

export interface PaperCheckResult {
  exchange: 'IBKR';
  mode: 'PAPER_WHATIF' | 'OFFLINE_PAPER_CHECK';
  /** As the Binance test order: true when the order reached the IBKR gateway (what-if), false when checked offline. */
  sent: boolean;
  symbol: string;
  side: string;
  qty: string;
  account_id: string | null;
  note: string | null;
  checks: Check[];
  preview: {
    conid: string;
    commission: string | null;
    amount: string | null;
    margin_change: string | null;
    equity_change: string | null;
    warnings: string[];
  } | null;
  latency_ms: number | null;
}

export const specSummary = (s: OrderSpec) => ({
  exchange: s.exchange,
  symbol: s.symbol,
  side: s.side,
  type: s.type,
  qty: s.qty.toFixed(),
  price: s.price?.toFixed() ?? null,
});
