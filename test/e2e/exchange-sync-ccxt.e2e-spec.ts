import { startTestApp, TestApp } from '@testing/test-app';
import { BinanceFake } from '../fakes/binance-fake';
import { CryptoComFake } from '../fakes/cryptocom-fake';
import { auth, saveSecret } from './support/exchange-sync';

let keySeq = 0;

interface Order {
  id: string;
  exchange: string;
  exchange_order_id: string | null;
  order_role: string | null;
  parent_order_id: string | null;
  status: string;
  simulated: boolean;
  oco_group_id: string | null;
  trigger_price: string | null;
  quantity: string;
}

async function save(t: TestApp, token: string, exchange: string, apiKey: string, secret: string) {
  const saved = await saveSecret(t, token, apiKey, secret, exchange);
  expect(saved.status).toBeLessThan(300);
}

async function cryptoComUser(t: TestApp, fake: CryptoComFake, token?: string) {
  const u = token ? { token, id: '' } : await t.register();
  const apiKey = `cx-${process.pid}-${++keySeq}`;
  const secret = `cxs-${keySeq}-0123456789abcdef`;
  fake.addAccount(apiKey, secret, { BTC: '0.5', USDT: '1000' });
  await save(t, u.token, 'CRYPTO_COM', apiKey, secret);
  return { ...u, apiKey, secret };
}

async function binanceUser(t: TestApp, fake: BinanceFake, token?: string) {
  const u = token ? { token, id: '' } : await t.register();
  const apiKey = `bx-${process.pid}-${++keySeq}`;
  const secret = `bxs-${keySeq}-0123456789abcdef`;
  fake.addAccount(apiKey, secret);
  await save(t, u.token, 'BINANCE', apiKey, secret);
  return { ...u, apiKey, secret };
}

const sync = (t: TestApp, token: string) => t.http.post('/ops/exchange-sync/run').set(auth(token)).expect(200);
const dashboard = async (t: TestApp, token: string) => (await t.http.get('/api/dashboard/state').set(auth(token)).expect(200)).body;

/** Every exchange order id at most once per user (the upsert never duplicates). */
async function duplicates(t: TestApp): Promise<unknown[]> {
  return t.dataSource.query(
    `SELECT user_id, exchange, exchange_order_id, count(*)::int AS n FROM exchange_orders
      WHERE exchange_order_id IS NOT NULL GROUP BY 1, 2, 3 HAVING count(*) > 1`,
  );
}

describe('exchange-sync through ccxt: crypto.com and Binance behind one port (issue 13)', () => {
  const cryptoCom = new CryptoComFake();
  const binance = new BinanceFake();
  let t: TestApp;

  beforeAll(async () => {
    await Promise.all([cryptoCom.start(), binance.start()]);
    t = await startTestApp({
      env: { CRYPTO_COM_BASE_URL: cryptoCom.url, BINANCE_TESTNET_BASE_URL: binance.url, EXCHANGE_MAX_RETRIES: '0' },
    });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([cryptoCom.stop(), binance.close()]);
  });

  it('syncs a crypto.com user through ccxt: orders, portfolio by exchange, one simulated OCO pair; no duplicates after another cycle', async () => {
    const u = await cryptoComUser(t, cryptoCom);
    const buy = cryptoCom.addOrder(u.apiKey, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.2', limit_price: '30000' });
    cryptoCom.addOrder(u.apiKey, { instrument_name: 'ETH_USDT', side: 'SELL', quantity: '1', limit_price: '2500' });
    await sync(t, u.token);
    cryptoCom.fillOrder(buy, { price: '30000' });
    await sync(t, u.token);
    await sync(t, u.token);

    const s = await dashboard(t, u.token);
    expect(s.portfolio.total_usd).toBe('16000.00');
    expect(s.portfolio.by_exchange).toEqual([
      {
        exchange: 'CRYPTO_COM',
        total_usd: '16000.00',
        last_sync_at: expect.any(String),
        balances: [
          { exchange: 'CRYPTO_COM', currency: 'BTC', quantity: '0.5', usd_price: '30000', usd_value: '15000' },
          { exchange: 'CRYPTO_COM', currency: 'USDT', quantity: '1000', usd_price: '1', usd_value: '1000' },
        ],
      },
    ]);
    const entry = s.executed_orders.find((o: Order) => o.exchange_order_id === buy);
    expect(entry).toMatchObject({ exchange: 'CRYPTO_COM', status: 'FILLED', cumulative_quantity: '0.2', avg_price: '30000' });
    const legs = s.open_orders.filter((o: Order) => o.parent_order_id === entry.id);
    expect(legs.map((l: Order) => `${l.exchange}:${l.order_role}:${l.trigger_price}:${l.simulated}`).sort()).toEqual([
      'CRYPTO_COM:STOP_LOSS:29400:true',
      'CRYPTO_COM:TAKE_PROFIT:31200:true',
    ]);
    expect(s.open_orders.filter((o: Order) => !o.order_role)).toHaveLength(1);
    expect(await duplicates(t)).toEqual([]);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM exchange_orders WHERE user_id = $1`, [u.id]);
    expect(n).toBe(4); // entry, the open ETH order, two legs
    // ccxt called what the hand-written client did: balances, open orders, history; the private calls are signed (the fake checks).
    expect(cryptoCom.callsFor(u.apiKey, 'private/user-balance')).toBe(3);
    expect(cryptoCom.callsFor(u.apiKey, 'private/get-order-history')).toBe(3);
  });

  it('syncs a Binance (testnet) user through ccxt: balances in USD, open orders, per-symbol history, OCO simulated; no duplicates', async () => {
    const u = await binanceUser(t, binance);
    await t.http.post('/api/watchlist').set(auth(u.token)).send({ symbol: 'ETH_USDT' }).expect(201);
    const resting = binance.addOrder(u.apiKey, { symbol: 'BTCUSDT', side: 'BUY', quantity: '0.01000000', price: '50000.00' });
    const entry = binance.addOrder(u.apiKey, { symbol: 'BTCUSDT', side: 'BUY', quantity: '0.02000000', price: '59000.00' });
    const before = binance.requests.length;
    await sync(t, u.token);
    const first = binance.requests.slice(before);
    const history = first.filter((r) => r.path === '/api/v3/allOrders').map((r) => new URLSearchParams(r.query).get('symbol'));
    expect(history.sort()).toEqual(['BTCUSDT', 'ETHUSDT']); // the BTC balance and the watchlist; never a symbol-less allOrders
    expect(first.filter((r) => r.path === '/api/v3/openOrders')).toHaveLength(1);
    expect(first.every((r) => !r.path.startsWith('/api/v3/order') || r.method === 'GET')).toBe(true); // DRY_RUN places nothing

    binance.fillOrder(entry, { quantity: '0.01000000' }); // partial first
    await sync(t, u.token);
    let s = await dashboard(t, u.token);
    expect(s.open_orders.find((o: Order) => o.exchange_order_id === String(entry))).toMatchObject({
      exchange: 'BINANCE',
      symbol: 'BTC_USDT',
      status: 'ACTIVE',
      quantity: '0.02',
      cumulative_quantity: '0.01',
    });

    binance.fillOrder(entry);
    await sync(t, u.token);
    await sync(t, u.token);
    s = await dashboard(t, u.token);
    const filled = s.executed_orders.find((o: Order) => o.exchange_order_id === String(entry));
    expect(filled).toMatchObject({ exchange: 'BINANCE', status: 'FILLED', cumulative_quantity: '0.02', avg_price: '59000' });
    const legs = s.open_orders.filter((o: Order) => o.parent_order_id === filled.id);
    expect(legs.map((l: Order) => `${l.order_role}:${l.trigger_price}:${l.quantity}:${l.simulated}`).sort()).toEqual([
      'STOP_LOSS:57820:0.02:true',
      'TAKE_PROFIT:61360:0.02:true',
    ]);
    expect(s.open_orders.find((o: Order) => o.exchange_order_id === String(resting))).toMatchObject({ status: 'ACTIVE' });
    expect(s.portfolio.by_exchange).toEqual([
      {
        exchange: 'BINANCE',
        total_usd: '70000.00',
        last_sync_at: expect.any(String),
        balances: [
          { exchange: 'BINANCE', currency: 'BTC', quantity: '1', usd_price: '60000', usd_value: '60000' },
          { exchange: 'BINANCE', currency: 'USDT', quantity: '10000', usd_price: '1', usd_value: '10000' },
        ],
      },
    ]);
    expect(await duplicates(t)).toEqual([]);

    // The price crosses the take-profit: the simulated leg fills and its sibling is cancelled.
    binance.prices.set('BTCUSDT', '61400.00');
    await sync(t, u.token);
    const rows = await t.dataSource.query(`SELECT order_role, status FROM exchange_orders WHERE parent_order_id = $1 ORDER BY order_role`, [
      filled.id,
    ]);
    expect(rows).toEqual([
      { order_role: 'STOP_LOSS', status: 'CANCELED' },
      { order_role: 'TAKE_PROFIT', status: 'FILLED' },
    ]);
    binance.prices.set('BTCUSDT', '60000.00');
  });

  it('shows every connected exchange on one dashboard: both exchanges, each order and balance naming its exchange', async () => {
    const c = await cryptoComUser(t, cryptoCom);
    const b = await binanceUser(t, binance, c.token);
    cryptoCom.addOrder(c.apiKey, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.1', limit_price: '29000' });
    binance.addOrder(b.apiKey, { symbol: 'ETHUSDT', side: 'SELL', quantity: '0.5000', price: '3500.00' });
    const run = await t.http.post('/ops/exchange-sync/run').set(auth(c.token)).expect(200);
    expect(run.body).toMatchObject({ users_ok: 1, users_failed: 0, open_orders: 2, balances: 4 });
    const s = await dashboard(t, c.token);
    expect(s.open_orders.map((o: Order & { symbol: string }) => `${o.exchange}:${o.symbol}`).sort()).toEqual([
      'BINANCE:ETH_USDT',
      'CRYPTO_COM:BTC_USDT',
    ]);
    expect(s.portfolio.by_exchange.map((p: { exchange: string; total_usd: string }) => `${p.exchange}:${p.total_usd}`)).toEqual([
      'CRYPTO_COM:16000.00',
      'BINANCE:70000.00',
    ]);
    expect(s.portfolio.total_usd).toBe('86000.00');
    expect(s.summary.total_usd).toBe('86000.00');
    // One line per currency across exchanges; the price differs between them, so it is not one figure.
    expect(s.portfolio.balances).toEqual([
      { currency: 'BTC', quantity: '1.5', usd_price: null, usd_value: '75000' },
      { currency: 'USDT', quantity: '11000', usd_price: '1', usd_value: '11000' },
    ]);

    // A bad Binance key fails Binance only: crypto.com still syncs, the failure names Binance.
    binance.addAccount(b.apiKey, 'another-secret-entirely');
    const partial = await t.http.post('/ops/exchange-sync/run').set(auth(c.token)).expect(200);
    expect(partial.body).toMatchObject({ users_ok: 0, users_failed: 1 });
    expect(partial.body.failures[0].error).toMatch(/^auth: Binance rejected the API key/);
    const status = await t.http.get('/ops/exchange-sync/status').set(auth(c.token));
    expect(status.body.me).toMatchObject({ last_status: 'failed' });
    const after = await dashboard(t, c.token);
    expect(after.portfolio.by_exchange.map((p: { exchange: string }) => p.exchange)).toEqual(['CRYPTO_COM', 'BINANCE']);
    expect(JSON.stringify(partial.body)).not.toContain(b.secret);
  });

  it('refuses a run for a user with no credentials on any synced exchange, as before', async () => {
    const nobody = await t.register();
    const res = await t.http.post('/ops/exchange-sync/run').set(auth(nobody.token));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Missing credentials for CRYPTO_COM');
  });
});

describe('exchange-sync through ccxt with LIVE_TRADING: a real Binance order-list OCO', () => {
  const binance = new BinanceFake();
  let t: TestApp;

  beforeAll(async () => {
    await binance.start();
    // LIVE: the sync talks to BINANCE_BASE_URL (here the fake), never the testnet URL.
    t = await startTestApp({
      env: { LIVE_TRADING: 'true', BINANCE_BASE_URL: binance.url, BINANCE_TESTNET_BASE_URL: 'http://127.0.0.1:9' },
    });
  });
  afterAll(async () => {
    await t.close();
    await binance.close();
  });

  it('places one OCO list for a newly filled entry, once; when the stop fills Binance expires the take-profit and we record it', async () => {
    const u = await binanceUser(t, binance);
    const entry = binance.addOrder(u.apiKey, { symbol: 'BTCUSDT', side: 'BUY', quantity: '0.01000000', price: '59000.00' });
    await sync(t, u.token);
    binance.fillOrder(entry);
    for (let i = 0; i < 3; i++) await sync(t, u.token);

    const oco = binance.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/orderList/oco');
    expect(oco).toHaveLength(1);
    const sent = new URLSearchParams(oco[0].body || oco[0].query);
    expect(
      Object.fromEntries(
        ['symbol', 'side', 'quantity', 'aboveType', 'abovePrice', 'belowType', 'belowStopPrice'].map((k) => [k, sent.get(k)]),
      ),
    ).toEqual({
      symbol: 'BTCUSDT',
      side: 'SELL',
      quantity: '0.01',
      aboveType: 'LIMIT_MAKER',
      abovePrice: '61360',
      belowType: 'STOP_LOSS',
      belowStopPrice: '57820',
    });
    expect(sent.get('aboveClientOrderId')).toMatch(/^tp-/);
    expect(sent.get('belowClientOrderId')).toMatch(/^sl-/);

    const s = await dashboard(t, u.token);
    expect(s.mode).toBe('LIVE');
    const legs = s.open_orders.filter((o: Order) => o.order_role);
    expect(legs).toHaveLength(2);
    expect(legs.every((l: Order) => l.exchange === 'BINANCE' && !l.simulated && l.exchange_order_id)).toBe(true);
    const sl = legs.find((l: Order) => l.order_role === 'STOP_LOSS');

    binance.fillOrder(Number(sl.exchange_order_id), { price: '57820.00' });
    await sync(t, u.token);
    const rows = await t.dataSource.query(`SELECT order_role, status FROM exchange_orders WHERE oco_group_id = $1 ORDER BY order_role`, [
      sl.oco_group_id,
    ]);
    expect(rows).toEqual([
      { order_role: 'STOP_LOSS', status: 'FILLED' },
      { order_role: 'TAKE_PROFIT', status: 'EXPIRED' },
    ]);
    expect(binance.requests.filter((r) => r.method === 'DELETE')).toEqual([]); // the exchange cancelled the sibling itself
    expect(await duplicates(t)).toEqual([]);
  });
});
