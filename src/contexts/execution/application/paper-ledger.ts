import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, Decimal, DomainError, newId } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { ExchangeOrder } from '../domain/execution.ports';
import { buyReserve, feeOf, unfilled } from '../domain/paper';
import { PaperBook, PaperOrder } from '../domain/paper.ports';

const ZERO = new Decimal(0);

export const paperView = (o: PaperOrder): ExchangeOrder => ({
  orderId: o.orderId,
  clientOrderId: o.clientOrderId,
  symbol: o.symbol,
  side: o.side,
  type: o.type,
  status: o.status,
  price: o.fillPrice ?? o.price,
  origQty: o.qty,
  executedQty: o.executedQty,
  cumulativeQuoteQty: o.fillPrice === null ? '0' : new Decimal(o.qty).times(o.fillPrice).toFixed(),
  transactTime: String((o.filledAt ?? o.createdAt).getTime()),
});

export const insufficient = (need: Decimal, asset: string, free: Decimal) =>
  DomainError.invalid(
    'insufficient_paper_balance',
    `insufficient paper balance: ${need.toFixed()} ${asset} needed, ${free.toFixed()} ${asset} available`,
  );

/**
 * The money side of paper trading, inside the caller's transaction (the account row is
 * locked by the caller): holds, releases, fills with fees, and the OCO protection a
 * filled entry gets. Every fill is audited as `broker.paper.fill`.
 */
@Injectable()
export class PaperLedger {
  constructor(
    private readonly book: PaperBook,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  get feeBps(): Decimal {
    return new Decimal(this.config.paperFeeBps);
  }

  /** 400 insufficient_paper_balance when the user's free `asset` is short of `need`. */
  private async requireFree(userId: string, asset: string, need: Decimal): Promise<void> {
    const b = (await this.book.balances(userId)).find((x) => x.asset === asset);
    const free = b ? new Decimal(b.free) : ZERO;
    if (free.lt(need)) throw insufficient(need, asset, free);
  }

  /** Moves `amount` of `asset` from free to locked; 400 when the free balance is short. */
  async hold(userId: string, asset: string, amount: Decimal): Promise<void> {
    await this.requireFree(userId, asset, amount);
    await this.book.adjust(userId, asset, amount.neg(), amount);
  }

  /** What an open order (or OCO pair) holds goes back to free. */
  async release(o: PaperOrder): Promise<void> {
    const r = new Decimal(o.reserved);
    if (o.reservedAsset && r.gt(0)) await this.book.adjust(o.userId, o.reservedAsset, r, r.neg());
  }

  /** Fills `o` whole at `price`: balances settled (fee in the quote currency), the fill audited, protection placed. */
  async fill(o: PaperOrder, price: Decimal, latencyMs: number | null, releaseFirst: boolean): Promise<PaperOrder> {
    if (releaseFirst) await this.release(o);
    const qty = new Decimal(o.qty);
    const fee = feeOf(qty, price, this.feeBps);
    const notional = qty.times(price);
    if (o.side === 'BUY') {
      const need = notional.plus(fee);
      await this.requireFree(o.userId, o.quoteAsset, need);
      await this.book.adjust(o.userId, o.quoteAsset, need.neg(), ZERO);
      await this.book.adjust(o.userId, o.baseAsset, qty, ZERO);
    } else {
      await this.requireFree(o.userId, o.baseAsset, qty);
      await this.book.adjust(o.userId, o.baseAsset, qty.neg(), ZERO);
      await this.book.adjust(o.userId, o.quoteAsset, notional.minus(fee), ZERO);
    }
    const now = this.clock.now();
    const filled: PaperOrder = {
      ...o,
      status: 'FILLED',
      executedQty: o.qty,
      fillPrice: price.toFixed(),
      fee: fee.toFixed(),
      latencyMs: latencyMs === null ? null : latencyMs.toFixed(3),
      filledAt: now,
      updatedAt: now,
    };
    await this.book.update(filled);
    await this.audit.record({
      eventType: 'broker.paper.fill',
      outcome: 'success',
      userId: o.userId,
      payload: {
        order_id: o.orderId,
        client_order_id: o.clientOrderId,
        symbol: o.symbol,
        side: o.side,
        type: o.type,
        role: o.role,
        quantity: o.qty,
        price: filled.fillPrice,
        fee: filled.fee,
        fee_asset: o.quoteAsset,
        reference_price: o.referencePrice,
        oco_group_id: o.ocoGroupId,
      },
    });
    if (o.role !== 'ENTRY' && o.ocoGroupId) await this.cancelSiblings(filled);
    return filled;
  }

  /** One leg of an OCO pair traded or was cancelled: the other is cancelled (their shared hold was released once). */
  async cancelSiblings(leg: PaperOrder): Promise<void> {
    for (const s of await this.book.group(leg.userId, leg.ocoGroupId!)) {
      if (s.id === leg.id || s.status !== 'NEW') continue;
      await this.book.update({ ...s, status: 'CANCELED', updatedAt: this.clock.now() });
    }
  }

  /** The OCO pair on the opposite side of a filled entry: take profit (LIMIT_MAKER) and stop (STOP_LOSS_LIMIT), one shared hold. */
  async protect(entry: PaperOrder): Promise<PaperOrder[]> {
    if (!entry.stopLoss || !entry.takeProfit) return [];
    const side = entry.side === 'BUY' ? 'SELL' : 'BUY';
    const qty = new Decimal(entry.qty);
    const [sl, tp] = [new Decimal(entry.stopLoss), new Decimal(entry.takeProfit)];
    const reserveAsset = side === 'SELL' ? entry.baseAsset : entry.quoteAsset;
    const reserve = side === 'SELL' ? qty : buyReserve(qty, Decimal.max(sl, tp), this.feeBps);
    await this.hold(entry.userId, reserveAsset, reserve);
    const group = `${entry.clientOrderId.slice(0, 60)}-oco`;
    const now = this.clock.now();
    const legs: PaperOrder[] = [];
    for (const [role, type, price, stop] of [
      ['STOP_LOSS', 'STOP_LOSS_LIMIT', sl, sl],
      ['TAKE_PROFIT', 'LIMIT_MAKER', tp, null],
    ] as const) {
      const leg: PaperOrder = {
        ...entry,
        id: newId(),
        orderId: await this.book.nextOrderId(),
        clientOrderId: `${group}-${role === 'STOP_LOSS' ? 'sl' : 'tp'}`,
        side,
        type,
        price: price.toFixed(),
        stopPrice: stop?.toFixed() ?? null,
        role,
        ocoGroupId: group,
        stopLoss: null,
        takeProfit: null,
        reserved: reserve.toFixed(),
        reservedAsset: reserveAsset,
        referencePrice: price.toFixed(),
        ...unfilled(now),
      };
      await this.book.insert(leg);
      legs.push(leg);
    }
    await this.book.update({ ...entry, status: 'FILLED', ocoGroupId: group, updatedAt: now });
    return legs;
  }
}
