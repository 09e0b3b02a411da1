import { createHmac, timingSafeEqual } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { BinanceError, missing } from './http';

export interface FakeBalance {
  asset: string;
  free: string;
  locked: string;
}

export interface FakeAccount {
  secret: string;
  balances: FakeBalance[];
}

export const DEFAULT_BALANCES: FakeBalance[] = [
  { asset: 'BTC', free: '1.00000000', locked: '0.00000000' },
  { asset: 'USDT', free: '10000.00000000', locked: '0.00000000' },
  { asset: 'ETH', free: '0.00000000', locked: '0.00000000' },
];

/** Binance's SIGNED rule: signature = hex HMAC-SHA256(secret, queryString + body) without the signature itself. */
export function authenticate(
  accounts: Map<string, FakeAccount>,
  req: IncomingMessage,
  query: string,
  body: string,
  params: URLSearchParams,
): { apiKey: string } | BinanceError {
  const apiKey = String(req.headers['x-mbx-apikey'] ?? '');
  if (!apiKey || !/^[A-Za-z0-9_-]{4,128}$/.test(apiKey)) return { status: 401, code: -2014, msg: 'API-key format invalid.' };
  const account = accounts.get(apiKey);
  if (!account) return { status: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' };
  const signature = params.get('signature');
  if (!signature) return missing('signature');
  const strip = (s: string) =>
    s
      .split('&')
      .filter((p) => p && !p.startsWith('signature='))
      .join('&');
  const expected = Buffer.from(
    createHmac('sha256', account.secret)
      .update(strip(query) + strip(body))
      .digest('hex'),
  );
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { status: 400, code: -1022, msg: 'Signature for this request is not valid.' };
  const timestamp = Number(params.get('timestamp'));
  const recvWindow = Number(params.get('recvWindow') ?? 5000);
  if (!Number.isFinite(timestamp)) return missing('timestamp');
  if (!(recvWindow > 0 && recvWindow <= 60000)) return { status: 400, code: -1131, msg: 'recvWindow must be less than 60000' };
  const now = Date.now();
  if (timestamp > now + 1000 || now - timestamp > recvWindow) {
    return { status: 400, code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' };
  }
  return { apiKey };
}

export function accountPayload(account: FakeAccount) {
  return {
    makerCommission: 10,
    takerCommission: 10,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
    canTrade: true,
    canWithdraw: false,
    canDeposit: false,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: Date.now(),
    accountType: 'SPOT',
    balances: account.balances,
    permissions: ['SPOT'],
    uid: 1,
  };
}
