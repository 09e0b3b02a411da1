import fc from 'fast-check';
import { startTestApp, TestApp } from '@testing/test-app';
import { BinanceFake } from '../../fakes/binance-fake';
import { CryptoComFake } from '../../fakes/cryptocom-fake';
import { IbkrFake } from '../../fakes/ibkr-fake';

/**
 * Fuzzed bodies, path parameters and query strings against every route in the OpenAPI document, with the
 * exchanges served by the fakes and path parameters drawn from the caller's REAL records (loan, subscription,
 * secret, watchlist entry) so write routes get past the lookups. Bodies use each route's documented fields with
 * hostile values (NUL bytes, unpaired surrogates, huge numbers...). Whatever arrives, the answer is a JSON
 * error body or a success, and never a status >= 500.
 *
 * The operations are dealt out to `parts` spec files (fuzz-1, fuzz-2: every other operation, in the document's
 * order), each on its own app, so the e2e workers run them side by side; each operation gets the same number of
 * runs with the same seed as when one file did them all, so the files together send at least MIN_REQUESTS.
 */
const SKIP = new Set(['POST /auth/logout', 'POST /api/v1/auth/logout', 'POST /auth/revoke-all']); // would end the fuzzing session
const MIN_REQUESTS = 10_000;
const API_KEY = 'fuzzBinanceKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN';
const API_SECRET = 'fuzzBinanceSecret0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ';

interface Operation {
  method: string;
  path: string;
  fields: Record<string, unknown>; // documented body fields -> example
}
type Schema = { $ref?: string; properties?: Record<string, { example?: unknown }>; allOf?: Schema[] };

const NASTY = [
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfff',
  '\ud83d',
  '😀',
  "'; DROP TABLE users; --",
  '1e309',
  '-0',
  'NaN',
  '9'.repeat(40),
  '0.000000000000000000001',
  '-1',
  ' ',
  '%00',
  '\\u0000',
  'x'.repeat(5000),
];

/** A lone surrogate has no UTF-8 form: send the bytes a careless encoder would (invalid UTF-8 in the URL). */
const encodeSegment = (seg: string): string => {
  try {
    return encodeURIComponent(seg);
  } catch {
    return '%ED%A0%80' + encodeURIComponent(seg.replace(/[\uD800-\uDFFF]/g, ''));
  }
};

export function fuzzRoutes(part: number, parts: number): void {
  describe(`fuzzing every route (part ${part} of ${parts})`, () => {
    let t: TestApp;
    let token: string;
    let operations: Operation[];
    let records: string[];
    const binance = new BinanceFake();
    const ibkr = new IbkrFake();
    const cryptocom = new CryptoComFake();

    beforeAll(async () => {
      const [bUrl, iUrl, cUrl] = await Promise.all([binance.start(), ibkr.start(), cryptocom.start()]);
      binance.addAccount(API_KEY, API_SECRET);
      cryptocom.addAccount(API_KEY, API_SECRET, { BTC: '1', USDT: '1000' });
      t = await startTestApp({
        env: {
          BINANCE_TESTNET_BASE_URL: bUrl,
          CRYPTO_COM_BASE_URL: cUrl,
          IBKR_BASE_URL: iUrl,
          EXCHANGE_HTTP_TIMEOUT_MS: '2000',
          EXCHANGE_MAX_RETRIES: '0',
        },
      });
      token = await t.adminToken();
      const auth = { Authorization: `Bearer ${token}` };
      const spec = (await t.http.get('/docs-json')).body as {
        paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
        components: { schemas: Record<string, Schema> };
      };
      const resolve = (s?: Schema): Record<string, { example?: unknown }> => {
        if (!s) return {};
        if (s.$ref) return resolve(spec.components.schemas[s.$ref.split('/').pop()!]);
        return { ...(s.properties ?? {}), ...Object.assign({}, ...(s.allOf ?? []).map(resolve)) };
      };
      operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => {
          const props = resolve(op.requestBody?.content?.['application/json']?.schema);
          return { method: method.toUpperCase(), path, fields: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.example])) };
        }),
      );

      // The caller's own records, so fuzzed write routes reach them.
      for (const exchange of ['BINANCE', 'IBKR', 'CRYPTO_COM']) {
        await t.http.post('/users/exchange-secrets').set(auth).send({ exchange, api_key: API_KEY, api_secret: API_SECRET }).expect(201);
      }
      const loan = await t.http
        .post('/api/loans')
        .set(auth)
        .send({ principal: '1000.00', annual_rate: '12', term_months: 6, purpose: 'fuzz' });
      expect(loan.status).toBe(201);
      const sub = await t.http.post('/api/v1/subscriptions/2').set(auth).send({ amount: 125000 });
      expect(sub.status).toBe(201);
      expect((await t.http.post('/api/watchlist').set(auth).send({ symbol: 'BTC_USDT' })).status).toBeLessThan(300);
      const order = await t.http
        .post('/api/broker/order/create')
        .set(auth)
        .send({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 59000 });
      const [{ id: userId }] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'admin'`);
      records = [
        loan.body.id,
        sub.body.transaction_id ?? sub.body.id,
        'BINANCE',
        'IBKR',
        'CRYPTO_COM',
        'BTC_USDT',
        userId,
        String(order.body.id ?? '1'),
      ];
    });
    afterAll(async () => {
      await t.close();
      await Promise.all([binance.close(), ibkr.close(), cryptocom.stop()]);
    });

    it(`never answers any of its share of at least ${MIN_REQUESTS} fuzzed requests with a status >= 500`, async () => {
      expect(operations.length).toBeGreaterThan(50);
      const runs = Math.ceil(MIN_REQUESTS / (operations.length - SKIP.size)) + 1; // per operation, in every part
      const fuzzed = operations.filter((op) => !SKIP.has(`${op.method} ${op.path}`));
      const mine = fuzzed.filter((_, i) => i % parts === part - 1);
      const failures: string[] = [];
      const thrown: string[] = [];
      let sent = 0;
      const hostile = fc.oneof(
        fc.constantFrom(...NASTY),
        fc.string(),
        fc.string({ unit: 'binary' }),
        fc.anything(),
        fc.double().map(String),
      );
      const segment = fc.oneof(fc.constantFrom(...records), fc.constantFrom(...NASTY), fc.string(), fc.uuid(), fc.integer().map(String));
      const query = fc.dictionary(
        fc.constantFrom('limit', 'cursor', 'status', 'page', 'page_size', 'mode', 'symbol', 'since', 'user_id', 'event_type', 'from', 'to'),
        fc.oneof(fc.constantFrom(...NASTY), fc.string()),
      );
      for (const op of mine) {
        const keys = Object.keys(op.fields);
        // Documented fields: mostly their examples, some hostile, some missing; plus free-form JSON.
        const documented = keys.length
          ? fc.record(
              Object.fromEntries(
                keys.map((k) => [
                  k,
                  fc.oneof({ weight: 2, arbitrary: fc.constant(op.fields[k] ?? 'x') }, { weight: 3, arbitrary: hostile }),
                ]),
              ),
              { requiredKeys: [] },
            )
          : fc.object();
        const body = fc.oneof(
          { weight: 4, arbitrary: documented },
          { weight: 1, arbitrary: fc.json().map((j) => JSON.parse(j) as unknown) },
        );
        await fc
          .assert(
            fc.asyncProperty(body, segment, query, async (b, seg, q) => {
              const path = op.path.replace(/\{[^}]+\}/g, encodeSegment(seg) || 'x');
              const qs = new URLSearchParams(q).toString();
              const url = qs ? `${path}?${qs}` : path;
              const req = t.http[op.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](url).set('Authorization', `Bearer ${token}`);
              const res =
                op.method === 'GET' || op.method === 'DELETE'
                  ? await req
                  : await req.set('Content-Type', 'application/json').send(JSON.stringify(b));
              sent++;
              const unstructured = res.status >= 400 && (typeof res.body?.statusCode !== 'number' || typeof res.body?.detail !== 'string');
              if (res.status >= 500 || unstructured) {
                failures.push(
                  `${op.method} ${url.slice(0, 120)} ${JSON.stringify(b)?.slice(0, 200)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
                );
              }
              return res.status < 500;
            }),
            { numRuns: runs, seed: 20261201 },
          )
          .catch((e: Error) => thrown.push(`${op.method} ${op.path}: ${e.message.slice(0, 300)}`)); // collected below, all routes first
      }
      process.stdout.write(
        `[fuzz ${part}/${parts}] ${sent} fuzzed requests over ${mine.length} of ${operations.length} operations, ${failures.length} answered >= 500 or unstructured\n`,
      );
      expect(failures.slice(0, 30)).toEqual([]);
      expect(thrown.filter((m) => !m.includes('Property failed by returning false')).slice(0, 10)).toEqual([]);
      expect(sent).toBe(mine.length * runs); // every run of every operation of this part was sent
      expect(fuzzed.length * runs).toBeGreaterThanOrEqual(MIN_REQUESTS); // so the parts together send at least that
    }, 900_000);
  });
}
