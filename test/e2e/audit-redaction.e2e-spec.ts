import { randomBytes } from 'node:crypto';
import * as speakeasy from 'speakeasy';
import { OutboxRelay } from '@platform/documents/outbox-relay.service';
import { startTestApp, TEST_KEYS, TestApp } from '@testing/test-app';
import { BinanceFake } from '../fakes/binance-fake';
import { IbkrFake } from '../fakes/ibkr-fake';

const API_KEY = 'redactBinanceKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ';
const API_SECRET = 'redactBinanceSecret0123456789abcdefghijklmnopqrstuvwxyzABCDEF';
const PASSWORD = 'Redact-Pass-123!';

// The fields the issue names as secret (plus the obvious kin); nothing else may be masked.
const SECRET_FIELDS = new Set([
  'password',
  'api_secret',
  'api_key',
  'secret',
  'token',
  'access_token',
  'refresh_token',
  'otp',
  'totp_secret',
  'old_key',
  'new_key',
  'authorization',
]);
const isSensitiveField = (name: string) => SECRET_FIELDS.has(name);

/** Every [REDACTED] must sit under a sensitive field name; returns the paths that break that. */
function overRedacted(value: unknown, path: string, out: string[] = []): string[] {
  if (value === '[REDACTED]' && !isSensitiveField(path.split('.').pop() ?? '')) out.push(path);
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) overRedacted(v, `${path}.${k}`, out);
  return out;
}

/** Issue 12 item 3: redaction by exact field names, over the audit events the API writes. */
describe('audit redaction: no secret value anywhere, every other field readable', () => {
  let t: TestApp;
  const binance = new BinanceFake();
  const ibkr = new IbkrFake();
  const secrets = new Set<string>([API_KEY, API_SECRET, PASSWORD, TEST_KEYS.ENCRYPTION_KEY]);

  beforeAll(async () => {
    const [bUrl, iUrl] = await Promise.all([binance.start(), ibkr.start()]);
    binance.addAccount(API_KEY, API_SECRET);
    t = await startTestApp({ fakeClock: true, env: { BINANCE_TESTNET_BASE_URL: bUrl, IBKR_BASE_URL: iUrl, EXCHANGE_MAX_RETRIES: '0' } });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([binance.close(), ibkr.close()]);
  });

  it('writes every event type of the API flows with no secret in it and no readable field masked', async () => {
    const admin = await t.adminToken();
    const A = { Authorization: `Bearer ${admin}` };
    const u = await t.register(undefined, PASSWORD, { full_name: 'Redact Me' });
    const U = { Authorization: `Bearer ${u.token}` };
    secrets.add(u.token).add(admin);
    await t.http.post('/auth/login').send({ username: u.email, password: 'wrong-password-1' }).expect(401);
    const login = await t.http.post('/auth/login').send({ username: u.email, password: PASSWORD }).expect(200);
    secrets.add(login.body.access_token).add(login.body.refresh_token);
    const refreshed = await t.http.post('/auth/refresh').send({ refresh_token: login.body.refresh_token }).expect(200);
    secrets.add(refreshed.body.access_token).add(refreshed.body.refresh_token);
    await t.http.post('/auth/refresh').send({ refresh_token: login.body.refresh_token }).expect(401); // reuse
    await t.http.get('/auth/me').set('Authorization', 'Bearer not.a.token').expect(401);

    const setup = await t.http.post('/auth/2fa/setup').set(U).expect(200);
    secrets.add(setup.body.secret).add(setup.body.otpauth_url);
    const code = () => speakeasy.totp({ secret: setup.body.secret, encoding: 'base32', time: Math.floor(t.clock!.now().getTime() / 1000) });
    await t.http.post('/auth/2fa/enable').set(U).send({ otp: '000000' });
    await t.http.post('/auth/2fa/enable').set(U).send({ otp: code() }).expect(200);
    t.clock!.advance(60_000);
    await t.http.post('/auth/2fa/disable').set(U).send({ otp: code(), password: PASSWORD }).expect(200);
    await t.http.post(`/ops/admin/users/${u.id}/2fa/reset`).set(A).expect(200);

    for (const exchange of ['BINANCE', 'IBKR']) {
      await t.http.post('/users/exchange-secrets').set(U).send({ exchange, api_key: API_KEY, api_secret: API_SECRET }).expect(201);
    }
    const order = { exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 };
    const prep = await t.http.post('/ops/execution/prepare').set(U).send(order).expect(200);
    expect(prep.body.passed).toBe(true);
    await t.http.post('/ops/execution/binance/test-order').set(U).send({ symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 }).expect(200);
    await t.http.post('/ops/execution/ibkr/paper-check').set(U).send({ symbol: 'AAPL', side: 'BUY', qty: 1 });
    const placed = await t.http
      .post('/api/broker/order/create')
      .set(U)
      .send({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 20000 });
    await t.http
      .post('/api/broker/order/cancel')
      .set(U)
      .send({ symbol: 'BTCUSDT', order_id: placed.body.order_id ?? '1' });
    await t.http.post('/ops/execution/kill-switch').set(A).send({ engaged: true, reason: 'audit redaction drill' }).expect(200);
    await t.http.post('/ops/execution/kill-switch').set(A).send({ engaged: false, reason: 'audit redaction drill over' }).expect(200);

    const sub = await t.http.post('/api/v1/subscriptions/2').set(U).send({ amount: 125000 }).expect(201);
    await t.http.post(`/api/v1/subscriptions/${sub.body.transaction_id}/cancel`).set(U);
    const loan = await t.http
      .post('/api/loans')
      .set(U)
      .send({ principal: '1000.00', annual_rate: '12', term_months: 2, purpose: 'redaction' });
    await t.http.post(`/api/loans/${loan.body.id}/approve`).set(A).expect(200);
    await t.http.post(`/api/loans/${loan.body.id}/disburse`).set(A).expect(200);
    await t.http.post(`/api/loans/${loan.body.id}/payments`).set(U).send({ amount: '10.00', reference: 'R-1' });
    await t.http.post('/api/watchlist').set(U).send({ symbol: 'BTC_USDT' });
    await t.http
      .put('/api/watchlist')
      .set(U)
      .send({ symbols: ['ETH_USDT'] });
    await t.http.delete('/api/watchlist/ETH_USDT').set(U);
    await t.http.put('/api/exchange-sync/oco-settings').set(U).send({ stop_loss_pct: '2', take_profit_pct: '4' });
    await t.http.delete('/users/exchange-secrets/IBKR').set(U).expect(200);

    const NEW = randomBytes(32).toString('base64');
    secrets.add(NEW);
    const rotate = (dry_run: boolean) =>
      t.http.post('/ops/security/reencrypt-exchange-secrets').set(A).send({ old_key: TEST_KEYS.ENCRYPTION_KEY, new_key: NEW, dry_run });
    await rotate(true).expect(200);
    await rotate(false).expect(200);
    await t.http.post('/auth/revoke-all').set(U).expect(200);
    await t.http.post('/auth/logout').set(A).expect(200);

    await t.app.get(OutboxRelay).flush();
    const docs: { event_type: string; payload: Record<string, unknown> }[] = (
      await t.dataSource.query(`SELECT doc FROM doc_audit_logs`)
    ).map((r: { doc: unknown }) => r.doc);
    const types = new Set(docs.map((d) => d.event_type));
    for (const type of [
      'auth.register',
      'auth.login.failed',
      'auth.login.success',
      'auth.refresh',
      'auth.refresh.reuse_detected',
      'auth.token.rejected',
      'auth.2fa.setup',
      'auth.2fa.enabled',
      'auth.2fa.disabled',
      'auth.2fa.reset',
      'auth.logout',
      'auth.revoke_all',
      'vault.exchange_secret.saved',
      'vault.exchange_secret.deleted',
      'security.key_rotation.reencrypt',
      'execution.prepare',
      'execution.test_order',
      'execution.ibkr.paper_check',
      'execution.kill_switch',
      'broker.order.intent',
      'broker.order.create',
      'broker.order.cancel',
      'funds.subscribe',
      'funds.cancel',
      'loans.apply',
      'loans.disburse',
      'loans.payment',
      'watchlist.add',
      'watchlist.replace',
      'watchlist.remove',
      'exchange_sync.oco.settings',
    ]) {
      expect({ type, seen: types.has(type) }).toEqual({ type, seen: true });
    }
    const text = JSON.stringify(docs);
    for (const s of secrets) expect({ leaked: text.includes(s) ? s.slice(0, 6) : null }).toEqual({ leaked: null });
    expect(docs.flatMap((d) => overRedacted(d.payload, d.event_type))).toEqual([]);

    // The two payloads substring matching used to mask: the prepare result and the rotation counts.
    const prepared = docs.find((d) => d.event_type === 'execution.prepare' && d.payload.passed !== undefined)!;
    expect(prepared.payload.passed).toBe(true);
    const rotation = docs.filter((d) => d.event_type === 'security.key_rotation.reencrypt');
    expect(rotation.every((d) => Object.values(d.payload).every((v) => v !== '[REDACTED]'))).toBe(true);
    expect(
      rotation.some((d) => typeof d.payload.reencrypted === 'number' || Object.values(d.payload).some((v) => typeof v === 'number')),
    ).toBe(true);
  });
});
