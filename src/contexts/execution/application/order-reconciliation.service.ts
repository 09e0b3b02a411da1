import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuditTrail, Clock, JobQueue, UnitOfWork } from '@kernel';
import { ExchangeCredentialsProvider } from '../../vault';
import { AppConfig } from '@platform/config/app-config';
import { BrokerOrderRecord, BrokerOrderRepository, ExchangeGateway, OrderOutcome } from '../domain/execution.ports';
import { changed, notSent, OPEN_STATUSES, outcomeOf } from '../domain/order-outcome';
import { RECONCILE_ORDER_JOB } from './order-journal';

export const RECONCILE_SWEEP_JOB = 'execution.reconcile-sweep';
const SWEEP_BATCH = 500;

export interface ReconcileReport {
  status: string;
  changed?: boolean;
  skipped?: string;
  next_check_seconds?: number;
}

/**
 * Settles broker orders whose outcome we do not know, the way Hummingbot's lost-order tracker and Freqtrade's
 * order refresh do: a PENDING order is looked up by its client order id (found: its status and fills; still
 * unknown after the grace period: NOT_SENT, since Binance refuses a request older than recvWindow); open
 * orders are refreshed by their exchange id. Jobs on the job port: one per order, and a periodic sweep.
 */
@Injectable()
export class OrderReconciliationService implements OnModuleInit {
  private readonly logger = new Logger('Broker');

  constructor(
    private readonly orders: BrokerOrderRepository,
    private readonly gateway: ExchangeGateway,
    private readonly credentials: ExchangeCredentialsProvider,
    private readonly jobs: JobQueue,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.define<{ orderId: string }>(
      { name: RECONCILE_ORDER_JOB, retryLimit: 8, retryDelaySeconds: 5, timeoutSeconds: 60, concurrency: 4 },
      (d) => this.reconcile(d.orderId),
    );
    this.jobs.schedule(
      { name: RECONCILE_SWEEP_JOB, retryLimit: 2, retryDelaySeconds: 10, timeoutSeconds: 120 },
      { every: this.config.brokerReconcileIntervalSeconds },
      () => this.sweep(),
    );
  }

  /** One reconciliation job per PENDING order past its first look-up delay and per open order. */
  async sweep(): Promise<{ enqueued: number }> {
    const now = this.clock.now().getTime();
    const rows = await this.orders.unsettled(new Date(now - this.config.brokerReconcileDelaySeconds * 1000), SWEEP_BATCH);
    const slot = Math.floor(now / (this.config.brokerReconcileIntervalSeconds * 1000));
    await this.jobs.enqueueMany(
      RECONCILE_ORDER_JOB,
      rows.map((r) => ({ data: { orderId: r.id }, key: `order:${r.id}:sweep:${slot}` })),
    );
    return { enqueued: rows.length };
  }

  /** Idempotent: a settled order is left alone; an update applies only from the status it was read in. */
  async reconcile(orderId: string): Promise<ReconcileReport> {
    const row = await this.orders.findById(orderId);
    if (!row) return { status: 'UNKNOWN', skipped: 'no such order' };
    if (row.status !== 'PENDING' && !(OPEN_STATUSES.includes(row.status) && row.exchangeOrderId)) return { status: row.status };
    const creds = await this.credentials.reveal(row.userId, 'BINANCE');
    if (!creds) {
      this.logger.warn({ message: 'broker order not reconciled: no Binance credentials', order_id: row.id });
      return { status: row.status, skipped: 'missing_credentials' };
    }
    if (row.status !== 'PENDING') {
      const now = outcomeOf(await this.gateway.getOrder(row.target, creds, row.symbol, row.exchangeOrderId!));
      return changed(row, now) ? this.apply(row, now, 'broker.order.status') : { status: row.status };
    }
    const found = await this.gateway.findOrderByClientId(row.target, creds, row.symbol, row.clientOrderId);
    if (found) return this.apply(row, outcomeOf(found), 'broker.order.reconciled');
    const graceMs = this.config.brokerOrderGraceSeconds * 1000;
    const age = this.clock.now().getTime() - row.createdAt.getTime();
    if (age >= graceMs) {
      const reason = `not found on Binance by client order id ${this.config.brokerOrderGraceSeconds}s after it was recorded: never reached the exchange`;
      return this.apply(row, notSent(reason), 'broker.order.reconciled');
    }
    // Not there yet, and a request can still arrive within recvWindow: look again when the grace period is over.
    const next = Math.ceil((graceMs - age) / 1000) + 1;
    await this.jobs.enqueue(RECONCILE_ORDER_JOB, { orderId }, { key: `order:${orderId}:grace`, delaySeconds: next });
    return { status: 'PENDING', next_check_seconds: next };
  }

  private async apply(row: BrokerOrderRecord, outcome: OrderOutcome, eventType: string): Promise<ReconcileReport> {
    const done = await this.uow.run(async () => {
      if (!(await this.orders.settle(row.id, row.status, outcome, this.clock.now()))) return false;
      await this.audit.record({
        eventType,
        outcome: 'success',
        userId: row.userId,
        payload: {
          client_order_id: row.clientOrderId,
          order_id: outcome.exchangeOrderId,
          symbol: row.symbol,
          role: row.role,
          from: row.status,
          to: outcome.status,
          filled_qty: outcome.filledQty,
          reason: outcome.reason,
        },
      });
      return true;
    });
    return { status: outcome.status, changed: done };
  }
}
