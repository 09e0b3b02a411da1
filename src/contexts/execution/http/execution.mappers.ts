import { PaperCheckResult, PrepareResult, specSummary, TestOrderResult } from '../application/execution.results';
import { KillSwitchState } from '../domain/risk';
import { KillSwitchResponse, PaperCheckResponse, PrepareResponse, TestOrderResponse } from './execution.dto';

/** The execution use cases' results in the runbook's (seed 000) snake_case shapes. */
export const toPrepareResponse = (r: PrepareResult): PrepareResponse => ({
  mode: 'DRY_RUN',
  ...specSummary(r.spec),
  passed: r.passed,
  checks: r.checks,
  request_preview: r.requestPreview,
});

export const toTestOrderResponse = (r: TestOrderResult): TestOrderResponse => ({
  ...specSummary(r.spec),
  exchange: 'BINANCE',
  mode: 'testnet_order_test',
  client_order_id: r.clientOrderId,
  sent: true,
  latency_ms: r.latencyMs,
});

export const toPaperCheckResponse = (r: PaperCheckResult): PaperCheckResponse => ({
  exchange: 'IBKR',
  symbol: r.spec.symbol,
  side: r.spec.side,
  qty: r.spec.qty.toFixed(),
  mode: r.mode,
  sent: r.sent,
  account_id: r.accountId,
  note: r.note,
  checks: r.checks,
  preview: r.preview && {
    conid: r.preview.conid,
    commission: r.preview.commission,
    amount: r.preview.amount,
    margin_change: r.preview.marginChange,
    equity_change: r.preview.equityChange,
    warnings: r.preview.warnings,
  },
  latency_ms: r.latencyMs,
});

export const toKillSwitchResponse = (s: KillSwitchState): KillSwitchResponse => ({
  engaged: s.engaged,
  reason: s.reason,
  changed_by: s.changedBy,
  changed_at: s.changedAt ? s.changedAt.toISOString() : null,
});
