import { Decimal } from '@kernel';
import { isTerminal, OrderSide, OrderStatus, RemoteOrder } from './exchange-account-gateway.ports';

export type OrderRole = 'STOP_LOSS' | 'TAKE_PROFIT';

/** Our OCO legs' client order ids (oco.ts `legClientOrderId`): `sl-`/`tp-` and 30 hex digits. */
export const isLegClientOrderId = (id: string | null): boolean => !!id && /^(sl|tp)-[0-9a-f]{30}$/.test(id);

/** An order row of `exchange_orders`: synced from the exchange, or an OCO leg we created. */
export interface ExchangeOrder {
  id: string;
  userId: string;
  exchange: string;
  /** null until the order exists on the exchange (simulated legs, legs not yet placed). */
  exchangeOrderId: string | null;
  clientOrderId: string | null;
  symbol: string;
  side: OrderSide;
  type: string;
  status: OrderStatus;
  quantity: string;
  price: string | null;
  triggerPrice: string | null;
  cumulativeQuantity: string;
  avgPrice: string | null;
  role: OrderRole | null; // null = an entry / ordinary order
  ocoGroupId: string | null;
  parentOrderId: string | null;
  simulated: boolean;
  exchangeCreatedAt: Date | null;
  exchangeUpdatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReconcileInput {
  userId: string;
  exchange: string;
  /** The user's rows that the incoming data may touch (all non-terminal rows + rows matching incoming ids). */
  existing: ExchangeOrder[];
  open: RemoteOrder[];
  history: RemoteOrder[];
  /** Orders resolved one by one (vanished from the open list, absent from history). */
  details: RemoteOrder[];
  /** false on the user's very first sync: fills seen then are history, not news. */
  protectNewFills: boolean;
  now: Date;
  newId: () => string;
}

export interface ReconcileResult {
  inserts: ExchangeOrder[];
  updates: ExchangeOrder[];
  /** Entry orders that became FILLED in this sync: they get OCO protection. */
  newlyFilledEntries: ExchangeOrder[];
  /** Non-terminal rows the exchange no longer lists and could not resolve: left as they are. */
  unresolved: ExchangeOrder[];
  /**
   * OCO legs on the account that no row of this user claims (another user of the same exchange
   * account placed them): never rows of their own, never protected as entries; this user's own
   * legs for that entry adopt them (same deterministic client order ids).
   */
  foreignLegs: RemoteOrder[];
}

const rank = (s: OrderStatus): number => (isTerminal(s) ? 2 : s === 'ACTIVE' ? 1 : 0);

/**
 * Merges what the exchange says into our rows. Rules:
 * - one row per (user, exchange, exchange order id); a leg we placed is recognised by its client order id;
 * - the cumulative filled quantity never goes down (a stale answer does not undo a fill);
 * - a terminal status is final (an open list fetched before a fill cannot reopen it);
 * - an open row missing from the open list is resolved only from history or the order's detail.
 */
export function reconcileOrders(input: ReconcileInput): ReconcileResult {
  const byExchangeId = new Map<string, ExchangeOrder>();
  const byClientId = new Map<string, ExchangeOrder>();
  for (const row of input.existing) {
    if (row.exchangeOrderId) byExchangeId.set(row.exchangeOrderId, row);
    if (row.clientOrderId) byClientId.set(row.clientOrderId, row);
  }
  // Later sources win for the same order: open < history < details (more recent knowledge).
  const incoming = new Map<string, RemoteOrder>();
  for (const o of [...input.open, ...input.history, ...input.details]) {
    const prev = incoming.get(o.exchangeOrderId);
    incoming.set(o.exchangeOrderId, prev ? mergeRemote(prev, o) : o);
  }
  const openIds = new Set(input.open.map((o) => o.exchangeOrderId));

  const inserts: ExchangeOrder[] = [];
  const updates: ExchangeOrder[] = [];
  const newlyFilledEntries: ExchangeOrder[] = [];
  const touched = new Set<string>();
  const foreignLegs: RemoteOrder[] = [];

  for (const remote of incoming.values()) {
    const current = byExchangeId.get(remote.exchangeOrderId) ?? (remote.clientOrderId ? byClientId.get(remote.clientOrderId) : undefined);
    if (!current && isLegClientOrderId(remote.clientOrderId)) {
      foreignLegs.push(remote);
      continue;
    }
    if (!current) {
      const row: ExchangeOrder = {
        id: input.newId(),
        userId: input.userId,
        exchange: input.exchange,
        exchangeOrderId: remote.exchangeOrderId,
        clientOrderId: remote.clientOrderId,
        symbol: remote.symbol,
        side: remote.side,
        type: remote.type,
        status: remote.status,
        quantity: remote.quantity,
        price: remote.price,
        triggerPrice: remote.triggerPrice,
        cumulativeQuantity: remote.cumulativeQuantity,
        avgPrice: remote.avgPrice,
        role: null,
        ocoGroupId: null,
        parentOrderId: null,
        simulated: false,
        exchangeCreatedAt: remote.createdAt,
        exchangeUpdatedAt: remote.updatedAt,
        createdAt: input.now,
        updatedAt: input.now,
      };
      inserts.push(row);
      if (row.status === 'FILLED' && input.protectNewFills) newlyFilledEntries.push(row);
      continue;
    }
    touched.add(current.id);
    const next = applyRemote(current, remote, input.now);
    if (next) {
      updates.push(next);
      if (next.role === null && next.status === 'FILLED' && current.status !== 'FILLED') newlyFilledEntries.push(next);
    }
  }

  const unresolved = input.existing.filter(
    (row) =>
      !isTerminal(row.status) &&
      !row.simulated &&
      row.exchangeOrderId !== null &&
      !touched.has(row.id) &&
      !openIds.has(row.exchangeOrderId),
  );
  return { inserts, updates, newlyFilledEntries, unresolved, foreignLegs };
}

/** The updated row, or null when nothing changed. */
export function applyRemote(current: ExchangeOrder, remote: RemoteOrder, now: Date): ExchangeOrder | null {
  if (isTerminal(current.status) && current.exchangeOrderId === remote.exchangeOrderId) {
    // Final already; only a larger cumulative fill (late fill report) is still news.
    if (!new Decimal(remote.cumulativeQuantity).greaterThan(current.cumulativeQuantity)) return null;
  }
  const cumulative = Decimal.max(new Decimal(current.cumulativeQuantity), new Decimal(remote.cumulativeQuantity));
  const status = rank(remote.status) >= rank(current.status) || current.status === 'PENDING' ? remote.status : current.status;
  const next: ExchangeOrder = {
    ...current,
    exchangeOrderId: remote.exchangeOrderId,
    status: isTerminal(current.status) ? current.status : status,
    quantity: remote.quantity,
    price: remote.price ?? current.price,
    triggerPrice: remote.triggerPrice ?? current.triggerPrice,
    cumulativeQuantity: cumulative.toFixed(),
    avgPrice: remote.avgPrice ?? current.avgPrice,
    exchangeCreatedAt: remote.createdAt ?? current.exchangeCreatedAt,
    exchangeUpdatedAt: remote.updatedAt ?? current.exchangeUpdatedAt,
  };
  const changed =
    next.exchangeOrderId !== current.exchangeOrderId ||
    next.status !== current.status ||
    !new Decimal(next.cumulativeQuantity).equals(current.cumulativeQuantity) ||
    !new Decimal(next.quantity).equals(current.quantity) ||
    next.avgPrice !== current.avgPrice ||
    next.price !== current.price;
  return changed ? { ...next, updatedAt: now } : null;
}

function mergeRemote(a: RemoteOrder, b: RemoteOrder): RemoteOrder {
  const status = rank(b.status) >= rank(a.status) ? b.status : a.status;
  const cumulative = Decimal.max(new Decimal(a.cumulativeQuantity), new Decimal(b.cumulativeQuantity)).toFixed();
  return { ...a, ...b, status, cumulativeQuantity: cumulative, avgPrice: b.avgPrice ?? a.avgPrice };
}
