import { startTestApp, TestApp } from '@testing/test-app';
import { BinanceFake } from '../fakes/binance-fake';
import { API_KEY, API_SECRET, saveSecrets as saveSecretsIn, startExecutionApp } from './support/execution';

describe('execution: seed 000 sections 2-4 and the Binance error paths', () => {
  let t: TestApp;
  let binance: BinanceFake;
  let token: string;
  let close: () => Promise<void>;
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const saveSecrets = (tok: string, exchange: string, api_key: string, api_secret: string) =>
    saveSecretsIn(t, tok, exchange, api_key, api_secret);

  beforeAll(async () => {
    ({ t, binance, token, close } = await startExecutionApp());
  });
  afterAll(() => close());

  it('runs the runbook: missing credentials, save, prepare, test-order, paper-check, audit', async () => {
    const operator = await t.register();
    const auth = () => ({ Authorization: `Bearer ${operator.token}` });
    const token = operator.token;
    const missing = await t.http
      .post('/ops/execution/prepare')
      .set(auth())
      .send({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe('Missing credentials for BINANCE');
    const missingIbkr = await t.http.post('/ops/execution/ibkr/paper-check').set(auth()).send({ symbol: 'AAPL', side: 'BUY', qty: 1 });
    expect(missingIbkr.status).toBe(400);
    expect(missingIbkr.body.detail).toBe('Missing credentials for IBKR');

    await saveSecrets(token, 'BINANCE', API_KEY, API_SECRET);
    await saveSecrets(token, 'IBKR', 'TU_IBKR_API_KEY', 'TU_IBKR_API_SECRET');

    const before = binance.requests.length;
    const prep = await t.http
      .post('/ops/execution/prepare')
      .set(auth())
      .send({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 });
    expect(prep.status).toBe(200);
    // A dry run sends no order: its one call is the read of the key's restrictions (issue 13 item 5).
    expect(binance.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /sapi/v1/account/apiRestrictions']);
    expect(prep.body).toMatchObject({ mode: 'DRY_RUN', exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: '0.01', passed: true });
    expect(prep.body.checks.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['credentials', 'kill_switch', 'exchange_filters']),
    );
    expect(prep.body.request_preview).toMatchObject({
      method: 'POST',
      path: '/api/v3/order/test',
      params: { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' },
    });
    const prepText = JSON.stringify(prep.body);
    expect(prepText).not.toContain(API_KEY);
    expect(prepText).not.toContain(API_SECRET);
    expect(prepText).not.toMatch(/signature=/);

    const order = await t.http.post('/ops/execution/binance/test-order').set(auth()).send({ symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 });
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({
      exchange: 'BINANCE',
      mode: 'testnet_order_test',
      symbol: 'BTCUSDT',
      side: 'BUY',
      qty: '0.01',
      sent: true,
    });
    expect(order.body.latency_ms).toEqual(expect.any(Number));
    const sent = binance.requests.filter((r) => r.path === '/api/v3/order/test');
    expect(sent).toHaveLength(1);
    expect(sent[0].method).toBe('POST');
    expect(sent[0].headers['x-mbx-apikey']).toBe(API_KEY);
    const form = new URLSearchParams(sent[0].body);
    expect(form.get('signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(form.get('recvWindow')).toBe('5000');
    expect(form.get('newClientOrderId')).toBe(order.body.client_order_id);
    // The dry run's preview is the request sent: the same parameters, our strings as they are (no number in between).
    const bare = (p: Record<string, string>) =>
      Object.fromEntries(Object.entries(p).filter(([k]) => !['timestamp', 'signature', 'newClientOrderId'].includes(k)));
    expect(bare(Object.fromEntries(form))).toEqual(bare(prep.body.request_preview.params));
    expect(form.get('quantity')).toBe('0.01');
    expect(JSON.stringify(order.body)).not.toContain(API_KEY);

    // the filters are now cached: the dry run checks them without calling out
    const prep2 = await t.http
      .post('/ops/execution/prepare')
      .set(auth())
      .send({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 0.000001 });
    expect(prep2.status).toBe(200);
    expect(prep2.body.passed).toBe(false);
    expect(prep2.body.checks.find((c: { name: string }) => c.name === 'lot_size')).toMatchObject({
      passed: false,
      message: expect.stringContaining('LOT_SIZE'),
    });

    const paper = await t.http.post('/ops/execution/ibkr/paper-check').set(auth()).send({ symbol: 'AAPL', side: 'BUY', qty: 1 });
    expect(paper.status).toBe(200);
    expect(paper.body).toMatchObject({
      exchange: 'IBKR',
      mode: 'PAPER_WHATIF',
      account_id: 'DU1234567',
      preview: { conid: '265598', commission: '1.00', margin_change: '47.63', warnings: [] },
    });
    const alias = await t.http.post('/ops/execution/ibkr/test-order').set(auth()).send({ symbol: 'AAPL', side: 'SELL', qty: 2 });
    expect(alias.status).toBe(200);

    const audit = await t.http.get('/ops/audit/me?limit=100').set(auth());
    const types = audit.body.map((e: { event_type: string; outcome: string }) => `${e.event_type}:${e.outcome}`);
    expect(types).toEqual(
      expect.arrayContaining([
        'execution.prepare:success',
        'execution.prepare:failure',
        'execution.test_order:success',
        'execution.ibkr.paper_check:success',
      ]),
    );
    const auditText = JSON.stringify(audit.body);
    expect(auditText).not.toContain(API_KEY);
    expect(auditText).not.toContain(API_SECRET);
  });

  it.each([
    [{ exchange: 'KRAKEN', symbol: 'BTCUSDT', side: 'BUY', qty: 1 }, 'exchange'],
    [{ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 'abc' }, 'qty'],
    [{ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: -1 }, 'qty'],
    [{ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 0 }, 'qty'],
    [{ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 1e308 }, 'qty'],
    [{ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 'NaN' }, 'qty'],
    [{ exchange: 'BINANCE', symbol: 'BTC/USDT', side: 'BUY', qty: 1 }, 'symbol'],
    [{ exchange: 'BINANCE', symbol: 'B'.repeat(200), side: 'BUY', qty: 1 }, 'symbol'],
    [{ exchange: 'BINANCE', symbol: 'btcusdt', side: 'BUY', qty: 1 }, 'symbol'],
    [{ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'HOLD', qty: 1 }, 'side'],
    [{ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 1, type: 'MARKET', price: 100 }, 'price'],
  ])('refuses bad input %j naming %s, with no upstream call', async (body, field) => {
    const before = binance.requests.length;
    for (const [path, payload] of [
      ['/ops/execution/prepare', body],
      ['/ops/execution/binance/test-order', { ...body, exchange: undefined }],
    ] as const) {
      if (path.includes('test-order') && field === 'exchange') continue;
      const res = await t.http.post(path).set(auth()).send(payload);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(binance.requests.length).toBe(before);
  });

  const testOrder = (body: object = { symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 }, tok = token) =>
    t.http.post('/ops/execution/binance/test-order').set('Authorization', `Bearer ${tok}`).send(body);

  it('maps -2015 / 401 to "check the API key", audited, nothing secret echoed', async () => {
    binance.failNext('/api/v3/order/test', {
      status: 401,
      code: -2015,
      msg: `Invalid API-key, IP, or permissions for action. key=${API_KEY}`,
    });
    const res = await testOrder();
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ exchange: 'BINANCE', upstream_status: 401, code: -2015 });
    expect(res.body.message).toMatch(/check the API key format\/permissions/);
    expect(JSON.stringify(res.body)).not.toContain(API_KEY);
    const magic = await testOrder({ symbol: 'FAILAUTHUSDT', side: 'BUY', qty: 10 });
    expect(magic.status).toBe(502);
    expect(magic.body.code).toBe(-2015);
  });

  it('maps a wrong secret to -1022 (signature), -1013 (filter), -1021 (clock skew)', async () => {
    const other = await t.register();
    await saveSecrets(other.token, 'BINANCE', API_KEY, 'not-the-right-secret-value');
    const sig = await testOrder(undefined, other.token);
    expect(sig.status).toBe(502);
    expect(sig.body).toMatchObject({ exchange: 'BINANCE', upstream_status: 400, code: -1022 });

    const filter = await testOrder({ symbol: 'FAILFILTERUSDT', side: 'BUY', qty: 10 });
    expect(filter.status).toBe(502);
    expect(filter.body).toMatchObject({ code: -1013, upstream_status: 400 });
    expect(filter.body.message).toContain('Filter failure: PERCENT_PRICE_BY_SIDE');

    binance.failNext('/api/v3/order/test', { status: 400, code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    const skew = await testOrder();
    expect(skew.status).toBe(502);
    expect(skew.body.code).toBe(-1021);
    expect(skew.body.message).toMatch(/clock skew/);
  });

  it('honours Retry-After on 429/418 with bounded retries', async () => {
    binance.failNext('/api/v3/order/test', { status: 429, code: -1003, msg: 'Too many requests.', retryAfter: 1 });
    const before = binance.count('POST', '/api/v3/order/test');
    const ok = await testOrder();
    expect(ok.status).toBe(200);
    expect(binance.count('POST', '/api/v3/order/test') - before).toBe(2);

    binance.failNext('/api/v3/order/test', { status: 418, code: -1003, msg: 'IP banned.', retryAfter: 0, times: 10 });
    const before2 = binance.count('POST', '/api/v3/order/test');
    const banned = await testOrder();
    expect(banned.status).toBe(502);
    expect(banned.body).toMatchObject({ upstream_status: 418, retry_after_seconds: 0 });
    expect(binance.count('POST', '/api/v3/order/test') - before2).toBe(3); // 1 + EXCHANGE_MAX_RETRIES
    binance.failNext('*', { status: 0 }); // consumed below
    (binance as unknown as { failures: unknown[] }).failures.length = 0;
  });

  it('answers 502 binance_upstream_unreachable when Binance is down, audited', async () => {
    binance.failNext('/api/v3/order/test', { status: 0, destroy: true });
    const res = await testOrder();
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ exchange: 'BINANCE', upstream_status: null, code: 'binance_upstream_unreachable' });
    const audit = await t.http.get('/ops/audit/me?limit=100').set(auth());
    const failures = audit.body.filter(
      (e: { event_type: string; outcome: string }) => e.event_type === 'execution.test_order' && e.outcome === 'failure',
    );
    expect(failures.map((e: { payload: { reason: string } }) => e.payload.reason)).toEqual(
      expect.arrayContaining(['auth', 'filter', 'clock', 'rate_limit', 'unreachable']),
    );
  });
});

describe('execution: offline IBKR and unreachable gateways', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { BINANCE_TESTNET_BASE_URL: 'http://127.0.0.1:9', EXCHANGE_HTTP_TIMEOUT_MS: '2000' } });
  });
  afterAll(() => t.close());

  it('says OFFLINE_PAPER_CHECK without IBKR_BASE_URL, and 502 binance_upstream_unreachable on ping', async () => {
    const { token } = await t.register();
    await t.http
      .post('/users/exchange-secrets')
      .set('Authorization', `Bearer ${token}`)
      .send({ exchange: 'IBKR', api_key: 'k-ibkr-1234', api_secret: 's-ibkr-1234' });
    const paper = await t.http
      .post('/ops/execution/ibkr/paper-check')
      .set('Authorization', `Bearer ${token}`)
      .send({ symbol: 'AAPL', side: 'BUY', qty: 1 });
    expect(paper.status).toBe(200);
    expect(paper.body).toMatchObject({ mode: 'OFFLINE_PAPER_CHECK', preview: null });
    expect(paper.body.note).toMatch(/IBKR_BASE_URL is not set/);
    const ping = await t.http.get('/api/broker/ping').set('Authorization', `Bearer ${token}`);
    expect(ping.status).toBe(502);
    expect(ping.body.code).toBe('binance_upstream_unreachable');
  });
});
