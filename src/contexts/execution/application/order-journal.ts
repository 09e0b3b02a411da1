import { Injectable, Logger } from '@nestjs/common';
import { AuditTrail, Clock, DomainError, JobQueue, RequestMeta, UnitOfWork } from '@kernel';
import { BrokerOrderRecord, BrokerOrderRepository, ExchangeOrder } from '../domain/execution.ports';
import { outcomeOf, refusal } from '../domain/order-outcome';
import { ExchangeUpstreamError } from '../domain/upstream-error';
import { AppConfig } from '@platform/config/app-config';

export const RECONCILE_ORDER_JOB = 'execution.reconcile-order';

/** Writes retried while the database is briefly away, before the reconciliation job is left to record it. */
const RECORD_ATTEMPTS = 3;
const RECORD_BACKOFF_MS = 250;

/**
 * The broker orders' write-ahead journal (Hummingbot's "in-flight orders", Freqtrade's order table): an order is
 * recorded PENDING, with a reconciliation job, in a committed transaction BEFORE it is sent; its outcome is
 * recorded after. Whatever happens in between (timeout, crash, database away), the job finds it by client order id.
 */
@Injectable()
export class OrderJournal {
  private readonly logger = new Logger('Broker');

  constructor(
    private readonly orders: BrokerOrderRepository,
    private readonly jobs: JobQueue,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** One transaction: the PENDING rows, their audit event, their reconciliation jobs. 409 when the client id is taken. */
  async intend(rows: BrokerOrderRecord[], userId: string, payload: Record<string, unknown>, meta: RequestMeta): Promise<void> {
    await this.uow.run(async () => {
      for (const row of rows) {
        if (!(await this.orders.insertIntent(row))) {
          throw DomainError.conflict(
            'order_already_submitted',
            `An order with client order id ${row.clientOrderId} was already submitted (same Idempotency-Key): see GET /api/broker/orders/${row.clientOrderId}`,
            { client_order_id: row.clientOrderId },
          );
        }
        await this.jobs.enqueue(
          RECONCILE_ORDER_JOB,
          { orderId: row.id },
          { key: `order:${row.id}`, delaySeconds: this.config.brokerReconcileDelaySeconds },
        );
      }
      await this.audit.record(
        {
          eventType: 'broker.order.intent',
          outcome: 'success',
          userId,
          payload: { ...payload, orders: rows.map((r) => ({ role: r.role, client_order_id: r.clientOrderId, status: r.status })) },
        },
        meta,
      );
    });
  }

  /** The exchange refused it (a 4xx): REJECTED with the reason, audited; the caller rethrows. */
  async refused(rows: BrokerOrderRecord[], e: ExchangeUpstreamError, event: string, payload: Record<string, unknown>, meta: RequestMeta) {
    await this.record(async () => {
      for (const row of rows) await this.orders.settle(row.id, 'PENDING', refusal(e), this.clock.now());
      await this.audit.record(
        { eventType: event, outcome: 'failure', userId: rows[0].userId, payload: { ...payload, status: 'REJECTED' } },
        meta,
      );
    });
  }

  /** Timeout, dropped connection, 5xx: the order may be live. It stays PENDING; the job settles it. */
  async unknown(rows: BrokerOrderRecord[], event: string, payload: Record<string, unknown>, meta: RequestMeta): Promise<void> {
    await this.record(() =>
      this.audit.record(
        {
          eventType: event,
          outcome: 'error',
          userId: rows[0].userId,
          payload: { ...payload, status: 'PENDING', reconciliation: 'scheduled' },
        },
        meta,
      ),
    ).catch(() => undefined); // best effort: the reconciliation's own event records the outcome
  }

  /**
   * The exchange's answer for each row (matched by client order id), in one transaction with `after` (audit, ...).
   * Retried briefly; if the database stays away, 503 order_record_pending: the order is live and the job records it.
   */
  async confirmed(pairs: [BrokerOrderRecord, ExchangeOrder][], after: () => Promise<void>, latencyMs?: number): Promise<void> {
    try {
      await this.record(async () => {
        for (const [row, o] of pairs) await this.orders.settle(row.id, 'PENDING', outcomeOf(o), this.clock.now());
        if (latencyMs !== undefined && pairs.length)
          await this.orders.recordLatency(
            pairs.map(([r]) => r.id),
            latencyMs,
          );
        await after();
      });
    } catch (e) {
      if (e instanceof DomainError) throw e;
      const ids = pairs.map(([r]) => r.clientOrderId);
      this.logger.error({
        message: 'broker order placed but its outcome was not recorded: left to reconciliation',
        client_order_ids: ids,
        error: (e as Error).message,
      });
      throw new DomainError(
        'unavailable',
        'order_record_pending',
        `The order reached Binance but could not be recorded yet; it is PENDING under client order id ${ids[0]} and the reconciliation job records it`,
        { client_order_id: ids[0], exchange_order_id: pairs[0][1].orderId, order_status: 'PENDING' },
      );
    }
  }

  private async record(work: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.uow.run(work);
        return;
      } catch (e) {
        if (e instanceof DomainError || attempt >= RECORD_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, RECORD_BACKOFF_MS * 2 ** (attempt - 1)));
      }
    }
  }
}
