import { Decimal } from '@kernel';
import { ExchangeCredentials, ExchangeCredentialsProvider } from '../../src/contexts/vault';
import type { Exchange } from '../../src/contexts/vault/domain/exchange-credentials';
import {
  AccountSnapshot,
  BinanceOrderRequest,
  BinanceTarget,
  BrokerOrderRecord,
  BrokerOrderRepository,
  ExchangeGateway,
  ExchangeOco,
  ExchangeOrder,
  IbkrGateway,
  KeyRestrictions,
  KillSwitchRepository,
  RequestPreview,
  WhatIfPreview,
} from '../../src/contexts/execution/domain/execution.ports';
import { KillSwitchState } from '../../src/contexts/execution/domain/risk';
import { SymbolRules } from '../../src/contexts/execution/domain/symbol-rules';
import { SAFE_KEY } from './binance/key-restrictions';

const d = (v: string) => new Decimal(v);

/** BTCUSDT as the Binance testnet lists it (lot step 0.00001, tick 0.01, min notional 5 USDT). */
export const BTCUSDT: SymbolRules = {
  symbol: 'BTCUSDT',
  status: 'TRADING',
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  lotSize: { minQty: d('0.00001'), maxQty: d('9000'), stepSize: d('0.00001') },
  priceFilter: { minPrice: d('0.01'), maxPrice: d('1000000'), tickSize: d('0.01') },
  notional: { min: d('5'), applyToMarket: true },
};

/** Credentials per user and exchange, as the vault would reveal them. */
export class StaticCredentials extends ExchangeCredentialsProvider {
  constructor(private readonly byUser: Record<string, Partial<Record<Exchange, ExchangeCredentials>>> = {}) {
    super();
  }
  async reveal(userId: string, exchange: Exchange) {
    return this.byUser[userId]?.[exchange] ?? null;
  }
  async hasCredentials(userId: string, exchange: Exchange) {
    return !!this.byUser[userId]?.[exchange];
  }
  async usersWith(exchange: Exchange) {
    return Object.keys(this.byUser).filter((u) => this.byUser[u][exchange]);
  }
}

/** A Binance gateway that answers from memory and records what it was asked. */
export class ScriptedBinanceGateway extends ExchangeGateway {
  rules = new Map<string, SymbolRules>([[BTCUSDT.symbol, BTCUSDT]]);
  price = d('60000');
  /** Thrown by testOrder when set. */
  failWith?: Error;
  /** A spot-only, IP-restricted key unless a spec says otherwise. */
  restrictions: KeyRestrictions = { ...SAFE_KEY };
  readonly calls: string[] = [];
  readonly testOrders: { target: BinanceTarget; creds: ExchangeCredentials; req: BinanceOrderRequest }[] = [];

  async exchangeInfo(target: BinanceTarget) {
    this.calls.push(`exchangeInfo:${target}`);
    return this.rules;
  }
  async lastPrice(target: BinanceTarget, symbol: string) {
    this.calls.push(`lastPrice:${target}:${symbol}`);
    return this.price;
  }
  async testOrder(target: BinanceTarget, creds: ExchangeCredentials, req: BinanceOrderRequest) {
    this.calls.push(`testOrder:${target}`);
    if (this.failWith) throw this.failWith;
    this.testOrders.push({ target, creds, req });
  }
  previewOrder(target: BinanceTarget, req: BinanceOrderRequest, test: boolean): RequestPreview {
    const path = test ? '/api/v3/order/test' : '/api/v3/order';
    const params: Record<string, string> = { symbol: req.symbol, side: req.side, type: req.type, quantity: req.qty };
    return { method: 'POST', url: `https://${target}.example${path}`, path, params, headers: {}, signed: true };
  }
  private unused(): never {
    throw new Error('not used by these specs');
  }
  ping(): Promise<{ serverTime: number }> {
    return this.unused();
  }
  placeOrder(): Promise<ExchangeOrder> {
    return this.unused();
  }
  placeOco(): Promise<ExchangeOco> {
    return this.unused();
  }
  cancelOrder(): Promise<ExchangeOrder> {
    return this.unused();
  }
  getOrder(): Promise<ExchangeOrder> {
    return this.unused();
  }
  findOrderByClientId(): Promise<ExchangeOrder | null> {
    return this.unused();
  }
  account(): Promise<AccountSnapshot> {
    return this.unused();
  }
  async keyRestrictions(target: BinanceTarget) {
    this.calls.push(`keyRestrictions:${target}`);
    return this.restrictions;
  }
}

/** IBKR: offline unless given a what-if answer. */
export class ScriptedIbkrGateway extends IbkrGateway {
  readonly asked: { symbol: string; side: string; qty: string }[] = [];
  constructor(private readonly answer?: WhatIfPreview & { accountId: string }) {
    super();
  }
  get configured() {
    return !!this.answer;
  }
  async whatIf(req: { symbol: string; side: 'BUY' | 'SELL'; qty: string }) {
    this.asked.push(req);
    if (!this.answer) throw new Error('IBKR is not configured');
    return this.answer;
  }
}

export class InMemoryKillSwitch extends KillSwitchRepository {
  state: KillSwitchState = { engaged: false, reason: null, changedBy: null, changedAt: null };
  async get() {
    return { ...this.state };
  }
  async set(state: KillSwitchState) {
    this.state = { ...state };
  }
}

/** The broker-order store as the risk checks read it: exposure per user and symbol, set by the spec. */
export class ExposureBrokerOrders extends BrokerOrderRepository {
  readonly exposure = new Map<string, Decimal>();
  async exposureUsd(userId: string, symbol: string) {
    return this.exposure.get(`${userId}:${symbol}`) ?? new Decimal(0);
  }
  private unused(): never {
    throw new Error('not used by these specs');
  }
  insert(): Promise<void> {
    return this.unused();
  }
  insertIntent(): Promise<boolean> {
    return this.unused();
  }
  findById(): Promise<BrokerOrderRecord | null> {
    return this.unused();
  }
  findByClientOrderId(): Promise<BrokerOrderRecord | null> {
    return this.unused();
  }
  findByExchangeOrderId(): Promise<BrokerOrderRecord | null> {
    return this.unused();
  }
  settle(): Promise<boolean> {
    return this.unused();
  }
  recordLatency(): Promise<void> {
    return this.unused();
  }
  unsettled(): Promise<BrokerOrderRecord[]> {
    return this.unused();
  }
}
