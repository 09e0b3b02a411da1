import { Injectable } from '@nestjs/common';
import { Clock, DomainError, FieldError } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { ExecutedOrderFills } from '../../exchange-sync';
import { computePerformance, Fill, FillMode, Performance } from '../domain/performance';
import { BrokerFills, FillSource, PaperFills } from '../domain/performance.ports';

export const PERFORMANCE_EXCHANGES = ['BINANCE', 'CRYPTO_COM'] as const;
export const FILL_MODES: FillMode[] = ['paper', 'testnet', 'live'];

export interface PerformanceQuery {
  from?: unknown;
  to?: unknown;
  exchange?: unknown;
  mode?: unknown;
}

export interface PerformanceReport extends Performance {
  from: Date | null;
  to: Date;
  exchange: string | null;
  modes: FillMode[];
}

const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * GET /api/broker/performance: the caller's recorded fills (FILLED broker orders,
 * executed orders synced from the exchanges and, with mode=paper, paper fills)
 * through FIFO lots into the seed 002 metrics (see domain/performance.ts).
 */
@Injectable()
export class PerformanceService {
  private readonly sources: FillSource[];

  constructor(
    broker: BrokerFills,
    paper: PaperFills,
    private readonly synced: ExecutedOrderFills,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.sources = [broker, paper];
  }

  async report(userId: string, q: PerformanceQuery): Promise<PerformanceReport> {
    const { from, to, exchange, modes } = this.parse(q);
    const fills: Fill[] = [];
    for (const s of this.sources) fills.push(...(await s.fills({ userId, to, exchange: exchange ?? undefined, modes })));
    // Synced exchange orders are the account's own executions: testnet or live as LIVE_TRADING says.
    const syncedMode: FillMode = this.config.liveTrading ? 'live' : 'testnet';
    if (modes.includes(syncedMode)) {
      for (const f of await this.synced.list(userId, to, exchange ?? undefined)) {
        fills.push({ ...f, mode: syncedMode, fee: '0', referencePrice: f.limitPrice, latencyMs: null });
      }
    }
    return { ...computePerformance(fills, from ?? undefined), from, to, exchange, modes };
  }

  private parse(q: PerformanceQuery): { from: Date | null; to: Date; exchange: string | null; modes: FillMode[] } {
    const errors: FieldError[] = [];
    const date = (field: string, v: unknown): Date | null => {
      if (v === undefined || v === '') return null;
      const d = typeof v === 'string' && ISO.test(v) ? new Date(v) : null;
      if (!d || Number.isNaN(d.getTime())) {
        errors.push({ field, messages: [`${field} must be an ISO 8601 date such as 2026-01-31 or 2026-01-31T12:00:00Z`] });
        return null;
      }
      return d;
    };
    const from = date('from', q.from);
    const to = date('to', q.to) ?? this.clock.now();
    if (from && to && from.getTime() > to.getTime()) errors.push({ field: 'from', messages: ['from must not be after to'] });
    let exchange: string | null = null;
    if (q.exchange !== undefined && q.exchange !== '') {
      const e = typeof q.exchange === 'string' ? q.exchange.toUpperCase() : '';
      if ((PERFORMANCE_EXCHANGES as readonly string[]).includes(e)) exchange = e;
      else errors.push({ field: 'exchange', messages: [`exchange must be one of ${PERFORMANCE_EXCHANGES.join(', ')}`] });
    }
    // Paper results are kept apart from real ones unless asked for.
    let modes: FillMode[] = ['testnet', 'live'];
    if (q.mode !== undefined && q.mode !== '') {
      const m = typeof q.mode === 'string' ? (q.mode.toLowerCase() as FillMode) : undefined;
      if (m && FILL_MODES.includes(m)) modes = [m];
      else errors.push({ field: 'mode', messages: [`mode must be one of ${FILL_MODES.join(', ')}`] });
    }
    if (errors.length) throw DomainError.validation(errors);
    return { from, to, exchange, modes };
  }
}
