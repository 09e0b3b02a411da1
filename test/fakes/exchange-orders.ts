import { RemoteOrder } from '../../src/contexts/exchange-sync/domain/exchange-account-gateway.ports';
import { ExchangeOrder } from '../../src/contexts/exchange-sync/domain/exchange-order';

const AT = new Date('2026-01-05T12:00:00Z');

/** The order the exchange-sync domain specs start from: an ACTIVE LIMIT BUY of 1 BTC_USDT at 30000, nothing filled yet. */
const ORDER = {
  exchangeOrderId: 'X1',
  clientOrderId: null,
  symbol: 'BTC_USDT',
  side: 'BUY',
  type: 'LIMIT',
  status: 'ACTIVE',
  quantity: '1',
  price: '30000',
  triggerPrice: null,
  cumulativeQuantity: '0',
  avgPrice: null,
} as const;

/** That order as the exchange lists it. */
export const remoteOrder = (over: Partial<RemoteOrder> = {}): RemoteOrder => ({ ...ORDER, createdAt: null, updatedAt: null, ...over });

/** That order as we store it: u1's on crypto.com, row-1. */
export const storedOrder = (over: Partial<ExchangeOrder> = {}): ExchangeOrder => ({
  id: 'row-1',
  userId: 'u1',
  exchange: 'CRYPTO_COM',
  ...ORDER,
  role: null,
  ocoGroupId: null,
  parentOrderId: null,
  simulated: false,
  exchangeCreatedAt: null,
  exchangeUpdatedAt: null,
  createdAt: AT,
  updatedAt: AT,
  ...over,
});
