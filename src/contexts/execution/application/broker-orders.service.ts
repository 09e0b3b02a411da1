import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, DomainError, FieldError, RequestMeta, UnitOfWork } from '@kernel';
import { BrokerOrderRecord, BrokerOrderRepository, ExchangeGateway } from '../domain/execution.ports';
import { changed, outcomeOf } from '../domain/order-outcome';
import { parseOrderSpec } from '../domain/order-spec';
import { ExchangeUpstreamError, toDomainError } from '../domain/upstream-error';
import { OrderResult } from './broker.results';
import { BrokerSession } from './broker-session';
import { PaperBrokerService } from './paper-broker.service';

/** Seed 002's order status and cancel; the local record follows what the exchange says. */
@Injectable()
export class BrokerOrdersService {
  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly paper: PaperBrokerService,
    private readonly session: BrokerSession,
    private readonly orders: BrokerOrderRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async cancelOrder(userId: string, symbol: unknown, orderId: unknown, meta: RequestMeta): Promise<OrderResult> {
    const { sym, id } = orderRef(symbol, orderId);
    if (await this.paper.active(userId)) return this.paper.cancelOrder(userId, sym, id, meta);
    const creds = await this.session.creds(userId);
    const { target, mode } = this.session;
    try {
      const o = await this.gateway.cancelOrder(target, creds, sym, id);
      await this.uow.run(async () => {
        const mine = await this.orders.findByExchangeOrderId(userId, sym, id);
        if (mine) await this.orders.settle(mine.id, mine.status, outcomeOf(o), this.clock.now());
        await this.audit.record(
          { eventType: 'broker.order.cancel', outcome: 'success', userId, payload: { symbol: sym, order_id: id, status: o.status, mode } },
          meta,
        );
      });
      return { mode, order: o };
    } catch (e) {
      if (!(e instanceof ExchangeUpstreamError)) throw e;
      await this.audit.record(
        {
          eventType: 'broker.order.cancel',
          outcome: 'failure',
          userId,
          payload: { symbol: sym, order_id: id, reason: e.kind, upstream_code: e.upstreamCode },
        },
        meta,
      );
      throw toDomainError(e);
    }
  }

  async getOrder(userId: string, symbol: unknown, orderId: unknown): Promise<OrderResult> {
    const { sym, id } = orderRef(symbol, orderId);
    if (await this.paper.active(userId)) return this.paper.getOrder(userId, sym, id);
    const creds = await this.session.creds(userId);
    const o = await this.session.upstream(() => this.gateway.getOrder(this.session.target, creds, sym, id));
    const mine = await this.orders.findByExchangeOrderId(userId, sym, id);
    const now = outcomeOf(o);
    if (mine && changed(mine, now)) {
      await this.uow.run(async () => {
        if (!(await this.orders.settle(mine.id, mine.status, now, this.clock.now()))) return;
        await this.audit.record({
          eventType: 'broker.order.status',
          outcome: 'success',
          userId,
          payload: {
            client_order_id: mine.clientOrderId,
            order_id: id,
            symbol: sym,
            from: mine.status,
            to: now.status,
            filled_qty: now.filledQty,
          },
        });
      });
    }
    return { mode: this.session.mode, order: o };
  }

  /** Our record of an order, by our client order id (what a 502 order_status_unknown or 503 order_record_pending names). */
  async recorded(userId: string, clientOrderId: string): Promise<BrokerOrderRecord> {
    if (!/^[.A-Z:/a-z0-9_-]{1,36}$/.test(clientOrderId)) {
      throw DomainError.invalidField('client_order_id', 'must match ^[.A-Z:/a-z0-9_-]{1,36}$');
    }
    const mine = await this.orders.findByClientOrderId(userId, clientOrderId);
    if (!mine) throw DomainError.notFound('order_not_found', 'Order not found');
    return mine;
  }
}

function orderRef(symbol: unknown, orderId: unknown): { sym: string; id: string } {
  const errors: FieldError[] = [];
  let sym = '';
  try {
    sym = parseOrderSpec({ exchange: 'BINANCE', symbol, side: 'BUY', qty: 1 }).symbol;
  } catch (e) {
    const list = ((e as DomainError).details?.errors as typeof errors | undefined) ?? [];
    errors.push(...list.filter((x) => x.field === 'symbol'));
  }
  const id = typeof orderId === 'number' ? String(orderId) : orderId;
  if (typeof id !== 'string' || !/^\d{1,20}$/.test(id))
    errors.push({ field: 'order_id', messages: ['order_id must be the numeric Binance order id'] });
  if (errors.length) throw DomainError.validation(errors);
  return { sym, id: id as string };
}
