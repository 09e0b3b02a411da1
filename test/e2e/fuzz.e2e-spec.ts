import fc from 'fast-check';
import { startTestApp, TestApp } from '@testing/test-app';

/**
 * Fuzzed bodies, path parameters and query strings against every route in the
 * OpenAPI document: whatever arrives, the answer is JSON and never an internal
 * error (5xx other than a controlled 502/503 from an unreachable exchange).
 */
const SKIP = new Set(['POST /auth/logout', 'POST /api/v1/auth/logout', 'POST /auth/revoke-all']); // would end the fuzzing session
const RUNS_PER_ROUTE = 20;

interface Operation {
  method: string;
  path: string;
}

describe('fuzzing every route', () => {
  let t: TestApp;
  let token: string;
  let operations: Operation[];

  beforeAll(async () => {
    // Exchanges point at a closed port: calls out fail fast and must come back as controlled 502s.
    t = await startTestApp({
      env: {
        BINANCE_TESTNET_BASE_URL: 'http://127.0.0.1:9',
        CRYPTO_COM_BASE_URL: 'http://127.0.0.1:9',
        IBKR_BASE_URL: 'http://127.0.0.1:9',
        EXCHANGE_HTTP_TIMEOUT_MS: '500',
        EXCHANGE_MAX_RETRIES: '0',
      },
    });
    token = await t.adminToken();
    const spec = (await t.http.get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
    );
  });
  afterAll(() => t.close());

  it('never answers a fuzzed request with an internal error', async () => {
    expect(operations.length).toBeGreaterThan(50);
    const failures: string[] = [];
    const body = fc.oneof(
      fc.json(),
      fc.object(),
      fc.dictionary(
        fc.constantFrom('amount', 'qty', 'symbol', 'email', 'password', 'exchange', 'side', 'principal', 'otp', 'old_key', 'api_key'),
        fc.anything(),
      ),
    );
    const segment = fc.oneof(fc.string(), fc.uuid(), fc.integer().map(String), fc.constantFrom('BINANCE', '..', '%00', 'x'.repeat(300)));
    const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'status', 'page', 'mode', 'symbol', 'since', 'user_id'), fc.string());
    for (const op of operations) {
      if (SKIP.has(`${op.method} ${op.path}`)) continue;
      await fc
        .assert(
          fc.asyncProperty(body, segment, query, async (b, seg, q) => {
            const path = op.path.replace(/\{[^}]+\}/g, encodeURIComponent(seg) || 'x');
            const qs = new URLSearchParams(q).toString();
            const url = qs ? `${path}?${qs}` : path;
            const req = t.http[op.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](url).set('Authorization', `Bearer ${token}`);
            const res =
              op.method === 'GET' || op.method === 'DELETE'
                ? await req
                : await req.set('Content-Type', 'application/json').send(JSON.stringify(b));
            const internal = res.status >= 500 && !(res.status === 502 || res.status === 503);
            const unstructured = res.status >= 400 && (typeof res.body?.statusCode !== 'number' || typeof res.body?.detail !== 'string');
            if (internal || unstructured) failures.push(`${op.method} ${url} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
            return !internal;
          }),
          { numRuns: RUNS_PER_ROUTE, seed: 20261122 },
        )
        .catch(() => undefined); // collected below, all routes first
    }
    expect(failures).toEqual([]);
  });
});
