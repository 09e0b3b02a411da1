import { randomBytes } from 'node:crypto';
import * as speakeasy from 'speakeasy';
import { OpenApiDoc, parameterExamples, requestExamples } from '@testing/openapi-sample';
import { startTestApp, TEST_KEYS, TestApp } from '@testing/test-app';
import { RunningFakes, startFakes } from '../../scripts/fakes';

type Json = Record<string, any>;

/**
 * One operation replayed with what /docs pre-fills. `path` and `typed` are the values a user has to type
 * there because no example can hold them (ids of what the flow created, a TOTP code, a refresh token, the
 * current key); everything else is sent exactly as pre-filled.
 */
interface Step {
  op: string;
  as?: 'anon' | 'user' | 'admin';
  status?: number; // default: the operation's documented 2xx
  path?: () => Record<string, string>;
  typed?: () => Json;
  after?: (body: Json) => void;
}

/** Top-level `required` properties of the documented response schema that the answer lacks. */
function missingRequired(doc: OpenApiDoc, response: unknown, body: unknown): string[] {
  let schema = (response as { content?: Record<string, { schema?: Json }> })?.content?.['application/json']?.schema;
  if (schema?.type === 'array' && Array.isArray(body)) [schema, body] = [schema.items, body[0]];
  if (schema?.$ref) schema = doc.components.schemas[String(schema.$ref).split('/').pop()!] as Json;
  if (!schema?.required || body === undefined || typeof body !== 'object' || body === null) return [];
  return (schema.required as string[]).filter((k) => !(k in (body as Json)));
}

describe('OpenAPI request examples: every operation replayed as /docs pre-fills it', () => {
  let t: TestApp;
  let fakes: RunningFakes;
  let doc: OpenApiDoc;
  const s: Json = {}; // what the flow captured
  const code = (secret: string, offsetSeconds = 0) =>
    speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(t.clock!.now().getTime() / 1000) + offsetSeconds });

  beforeAll(async () => {
    fakes = await startFakes();
    t = await startTestApp({ fakeClock: new Date().toISOString(), env: { ...fakes.env, SCHEDULER_ENABLED: 'false' } });
    s.admin = await t.adminToken();
    doc = (await t.http.get('/docs-json').expect(200)).body as OpenApiDoc;
  });
  afterAll(async () => {
    await t.close();
    await fakes.stop();
  });

  const saveSecret = async (exchange: string, api_key: string, api_secret: string) =>
    t.http.post('/users/exchange-secrets').set('Authorization', `Bearer ${s.user}`).send({ exchange, api_key, api_secret }).expect(201);
  const freshLogin = async () => (s.user = await t.login('operador@example.com', 'Trader123!'));

  /** The flow, in an order a /docs user would follow; setup calls that are not examples sit in `after`. */
  const steps = (): (Step | (() => Promise<unknown>))[] => [
    { op: 'GET /healthz', as: 'anon' },
    { op: 'GET /readyz', as: 'anon' },
    { op: 'POST /auth/register', as: 'anon', after: (b) => (s.userId = b.id) },
    { op: 'POST /api/v1/auth/register', as: 'anon', status: 409 }, // the same example: its email is taken now
    { op: 'POST /auth/login', as: 'anon', after: (b) => ((s.user = b.access_token), (s.refresh = b.refresh_token)) },
    { op: 'POST /api/v1/auth/login', as: 'anon' },
    { op: 'POST /api/auth/token', as: 'anon' },
    { op: 'GET /auth/me' },
    { op: 'GET /users/me' },
    { op: 'POST /auth/refresh', as: 'anon', typed: () => ({ refresh_token: s.refresh }), after: (b) => (s.user = b.access_token) },
    { op: 'POST /auth/2fa/setup', after: (b) => (s.secret = b.secret) },
    { op: 'POST /auth/2fa/enable', typed: () => ({ otp: code(s.secret) }) },
    { op: 'POST /auth/2fa/disable', typed: () => ({ otp: code(s.secret, 30) }) },
    async () => t.clock!.advance(90_000), // the next codes come from later time steps (a code is accepted once)
    { op: 'POST /auth/2fa/setup', after: (b) => (s.secret = b.secret) },
    { op: 'POST /auth/2fa/verify-enable', typed: () => ({ otp: code(s.secret) }) },
    { op: 'POST /ops/admin/users/{id}/2fa/reset', as: 'admin', path: () => ({ id: s.userId }) },
    async () => {
      const res = await t.http.post('/auth/login').send({ username: 'operador@example.com', password: 'Trader123!' }).expect(200);
      Object.assign(s, { enrolment: res.body.enrolment_token, secret: res.body.secret });
      t.clock!.advance(60_000);
    },
    {
      op: 'POST /auth/2fa/enrol',
      as: 'anon',
      typed: () => ({ enrolment_token: s.enrolment, otp: code(s.secret) }),
      after: (b) => (s.user = b.access_token),
    },
    async () => {
      t.clock!.advance(60_000);
      await t.http
        .post('/auth/2fa/disable')
        .set('Authorization', `Bearer ${s.user}`)
        .send({ otp: code(s.secret), password: 'Trader123!' })
        .expect(200);
    },
    { op: 'POST /users/exchange-secrets', status: 201 },
    async () => {
      await saveSecret('IBKR', 'TU_IBKR_API_KEY', 'TU_IBKR_API_SECRET');
      await saveSecret('CRYPTO_COM', 'CRYPTO_COM_DEMO_KEY', 'CRYPTO_COM_DEMO_SECRET');
    },
    { op: 'GET /users/exchange-secrets' },
    {
      op: 'POST /ops/security/reencrypt-exchange-secrets',
      as: 'admin',
      typed: () => ({ old_key: TEST_KEYS.ENCRYPTION_KEY, new_key: randomBytes(32).toString('base64') }),
    },
    { op: 'POST /ops/execution/prepare' },
    { op: 'POST /ops/execution/binance/test-order' },
    { op: 'POST /ops/execution/ibkr/paper-check' },
    { op: 'POST /ops/execution/ibkr/test-order' },
    { op: 'GET /ops/execution/kill-switch' },
    { op: 'GET /api/broker/ping' },
    { op: 'GET /api/broker/balance' },
    { op: 'GET /api/broker/positions' },
    { op: 'GET /api/broker/account/info' },
    {
      op: 'POST /api/broker/order/create',
      after: (b) => ((s.orderId = String(b.order_id ?? b.order?.order_id)), (s.clientOrderId = String(b.order?.client_order_id))),
    },
    { op: 'GET /api/broker/order/{id}', path: () => ({ id: s.orderId }) },
    { op: 'GET /api/broker/orders/{client_order_id}', path: () => ({ client_order_id: s.clientOrderId }) },
    { op: 'POST /api/broker/order/cancel' },
    { op: 'GET /api/broker/performance' },
    { op: 'GET /api/broker/mode' },
    { op: 'PUT /api/broker/mode' }, // the example is paper
    { op: 'POST /api/broker/paper/reset' },
    async () => t.http.put('/api/broker/mode').set('Authorization', `Bearer ${s.user}`).send({ mode: 'testnet' }).expect(200),
    { op: 'POST /ops/exchange-sync/run', after: (b) => (s.runId = b.id ?? b.run_id) },
    { op: 'GET /ops/exchange-sync/runs/{id}', path: () => ({ id: s.runId }) },
    { op: 'GET /ops/exchange-sync/status' },
    { op: 'POST /ops/exchange-sync/alerts/run', as: 'admin' },
    { op: 'GET /api/dashboard/state' },
    { op: 'POST /api/watchlist' },
    { op: 'PUT /api/watchlist' },
    { op: 'GET /api/watchlist' },
    { op: 'DELETE /api/watchlist/{symbol}', path: () => ({ symbol: 'ETH_USDT' }) },
    { op: 'GET /api/exchange-sync/oco-settings' },
    { op: 'PUT /api/exchange-sync/oco-settings' },
    { op: 'POST /ops/signals/run', as: 'admin' },
    { op: 'GET /api/signals' },
    { op: 'GET /api/signals/{symbol}', path: () => ({ symbol: 'BTC_USDT' }) },
    { op: 'GET /api/v1/funds' },
    { op: 'POST /api/v1/subscriptions/{fund_id}', after: (b) => (s.txId = b.transaction_id) },
    { op: 'POST /api/v1/subscriptions/{tx_id}/cancel', path: () => ({ tx_id: s.txId }) },
    { op: 'GET /api/v1/transactions' },
    { op: 'GET /api/v1/account' },
    { op: 'GET /api/v1/reports/exclusive-product-clients', as: 'admin' },
    { op: 'POST /api/loans/quote' },
    { op: 'POST /api/loans', after: (b) => (s.loanId = b.id) },
    { op: 'GET /api/loans' },
    { op: 'GET /api/loans/{id}', path: () => ({ id: s.loanId }) },
    { op: 'POST /api/loans/{id}/approve', as: 'admin', path: () => ({ id: s.loanId }) },
    { op: 'POST /api/loans/{id}/disburse', as: 'admin', path: () => ({ id: s.loanId }) },
    { op: 'GET /api/loans/{id}/installments', path: () => ({ id: s.loanId }) },
    { op: 'POST /api/loans/{id}/payments', path: () => ({ id: s.loanId }) },
    { op: 'GET /api/loans/{id}/payments', path: () => ({ id: s.loanId }) },
    async () => (s.loanId = (await t.http.post('/api/loans').set('Authorization', `Bearer ${s.user}`).send(loanTerms).expect(201)).body.id),
    { op: 'POST /api/loans/{id}/reject', as: 'admin', path: () => ({ id: s.loanId }) },
    async () => (s.loanId = (await t.http.post('/api/loans').set('Authorization', `Bearer ${s.user}`).send(loanTerms).expect(201)).body.id),
    { op: 'POST /api/loans/{id}/withdraw', path: () => ({ id: s.loanId }) },
    { op: 'GET /ops/audit/me' },
    { op: 'GET /ops/audit/all', as: 'admin' },
    { op: 'GET /ops/audit/verify', as: 'admin' },
    { op: 'GET /ops/jobs/failed', as: 'admin' },
    { op: 'GET /metrics', as: 'anon' },
    { op: 'POST /ops/execution/kill-switch', as: 'admin' },
    async () =>
      t.http
        .post('/ops/execution/kill-switch')
        .set('Authorization', `Bearer ${s.admin}`)
        .send({ engaged: false, reason: 'released after the replay' })
        .expect(200),
    { op: 'DELETE /users/exchange-secrets/{exchange}', path: () => ({ exchange: 'BINANCE' }) },
    { op: 'POST /api/v1/auth/logout' },
    freshLogin,
    { op: 'POST /auth/revoke-all' },
    freshLogin,
    { op: 'POST /auth/logout' },
  ];
  const loanTerms = { principal: '1000.00', annual_rate: '10', term_months: 6 };

  it('answers every pre-filled example with its documented success status', async () => {
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const step of steps()) {
      if (typeof step === 'function') {
        await step();
        continue;
      }
      const [method, template] = step.op.split(' ');
      const op = doc.paths[template]?.[method.toLowerCase()];
      if (!op) {
        failures.push(`${step.op}: not in /docs-json (update the replay list)`);
        continue;
      }
      seen.add(step.op);
      const params = parameterExamples(op);
      Object.assign(params.path, step.path?.());
      const path = template.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params.path[k] ?? `{${k}}`));
      const expected = step.status ?? Number(Object.keys(op.responses).find((c) => /^2\d\d$/.test(c)));
      const bodies = requestExamples(doc, op);
      for (const example of bodies.length ? bodies : [undefined]) {
        let req = t.http[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path).query(params.query);
        const token = step.as === 'anon' ? undefined : step.as === 'admin' ? s.admin : s.user;
        if (token) req = req.set('Authorization', `Bearer ${token}`);
        for (const [k, v] of Object.entries(params.header)) req = req.set(k, v);
        let sent: unknown;
        if (example) {
          sent = step.typed && typeof example.body === 'object' ? { ...(example.body as Json), ...step.typed() } : example.body;
          req = req.type(example.contentType === 'application/x-www-form-urlencoded' ? 'form' : 'json').send(sent as object);
        }
        const res = await req;
        if (res.status !== expected) {
          failures.push(
            `${step.op} (${example?.contentType ?? 'no body'}): ${res.status}, expected ${expected}; sent ${JSON.stringify(sent)}; got ${JSON.stringify(res.body).slice(0, 300)}`,
          );
        } else {
          const missing = missingRequired(doc, op.responses[String(expected)], res.body);
          if (missing.length) failures.push(`${step.op}: the answer lacks documented required fields ${missing.join(', ')}`);
          step.after?.(res.body as Json);
        }
      }
    }
    const documented = Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
    const notReplayed = documented.filter((o) => !seen.has(o));
    expect({ failures, notReplayed }).toEqual({ failures: [], notReplayed: [] });
    expect(seen.size).toBe(documented.length);
  }, 120_000);
});
