import { DataSource } from 'typeorm';
import { RAW_DOCUMENT_STORE } from '@platform/documents/outbox-relay.service';
import { TypeormDocumentStore } from '@platform/documents/typeorm-document-store';
import { DocumentCollections } from '@platform/documents/document-collections';
import { AppMetrics } from '@platform/metrics/app-metrics';
import { startTestApp, TestApp } from '@testing/test-app';
import { CryptoComFake } from '../fakes/cryptocom-fake';
import { sample } from './support/metrics';

const TOKEN = 'metrics-token-0123456789abcdef';
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Counters live on prom-client's default registry, which every app booted in one process shares (the e2e runner
 * keeps a worker's modules across spec files): the counting tests assert what their own requests added.
 */
async function delta(scrape: () => Promise<{ text: string }>, act: () => Promise<unknown>, series: [string, string?][]): Promise<number[]> {
  const before = (await scrape()).text;
  await act();
  const after = (await scrape()).text;
  return series.map(([name, labels]) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0));
}

/** A document store that is down: outbox rows stay, so the backlog is observable. */
class DownStore extends TypeormDocumentStore {
  override async upsertMany(): Promise<void> {
    throw new Error('document store down (test)');
  }
}

describe('GET /metrics (Prometheus)', () => {
  let fake: CryptoComFake;
  let t: TestApp;

  beforeAll(async () => {
    fake = new CryptoComFake();
    await fake.start();
    t = await startTestApp({
      env: { METRICS_TOKEN: TOKEN, CRYPTO_COM_BASE_URL: fake.url, EXCHANGE_HTTP_TIMEOUT_MS: '1000', EXCHANGE_MAX_RETRIES: '0' },
      override: (b) =>
        b.overrideProvider(RAW_DOCUMENT_STORE).useFactory({
          inject: [DataSource, DocumentCollections],
          factory: (ds: DataSource, c: DocumentCollections) => new DownStore(ds, c),
        }),
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const scrape = () => t.http.get('/metrics').set(auth(TOKEN));

  it('refuses a missing or wrong METRICS_TOKEN with a 401 JSON error', async () => {
    for (const headers of [{}, auth('wrong-token-0123456789abcdef'), { Authorization: TOKEN }]) {
      const res = await t.http.get('/metrics').set(headers);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'metrics_token_invalid', request_id: expect.any(String) });
      expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    }
  });

  it('times HTTP requests by route template, method and status', async () => {
    const { token } = await t.register();
    const added = await delta(scrape, async () => {
      await t.http.get('/api/v1/funds').set(auth(token)).expect(200);
      await t.http.get('/api/loans/00000000-0000-4000-8000-000000000000').set(auth(token)).expect(404);
    }, [
      ['http_request_duration_seconds_count', '{method="GET",route="/api/v1/funds",status_code="200"}'],
      ['http_request_duration_seconds_count', '{method="GET",route="/api/loans/:id",status_code="404"}'],
    ]);
    expect(added).toEqual([1, 1]);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).not.toContain('00000000-0000-4000-8000-000000000000');
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  it('reports the outbox backlog and the age of its oldest row, and the database pool', async () => {
    await t.register(); // its audit event stays in the outbox: the store is down
    await t.dataSource.query(`UPDATE outbox SET created_at = now() - interval '90 seconds'`);
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL');
    const res = await scrape();
    expect(n).toBeGreaterThan(0);
    expect(sample(res.text, 'outbox_backlog')).toBe(n);
    expect(sample(res.text, 'outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(90);
    expect(sample(res.text, 'db_pool_connections', '{state="max"}')).toBe(t.config.databasePoolSize);
    expect(sample(res.text, 'db_pool_connections', '{state="in_use"}')).toBeGreaterThanOrEqual(0);
    expect(sample(res.text, 'db_pool_connections', '{state="idle"}')).toBeGreaterThanOrEqual(0);
  });

  it('records the exchange-sync cycle duration and the users that failed', async () => {
    const u = await t.register();
    // Credentials the exchange does not know: this user's sync fails, the cycle completes.
    await t.http
      .post('/users/exchange-secrets')
      .set(auth(u.token))
      .send({ exchange: 'CRYPTO_COM', api_key: 'unknown-key-123456', api_secret: 'unknown-secret-123456' })
      .expect((r) => expect(r.status).toBeLessThan(300));
    const added = await delta(
      scrape,
      async () => expect((await t.http.post('/ops/exchange-sync/run').set(auth(u.token))).status).toBeLessThan(300),
      [['exchange_sync_cycle_duration_seconds_count'], ['exchange_sync_user_failures_total']],
    );
    expect(added).toEqual([1, 1]);
    expect(sample((await scrape()).text, 'exchange_sync_cycle_users_failed')).toBe(1); // a gauge: the last cycle's figure
  });

  it('counts jobs, their durations and failures by queue through the AppMetrics hook', async () => {
    const metrics = t.app.get(AppMetrics);
    await metrics.timeJob('metrics-probe', async () => 'ok');
    await expect(
      metrics.timeJob('metrics-probe', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const res = await scrape();
    expect(sample(res.text, 'jobs_processed_total', '{queue="metrics-probe",outcome="completed"}')).toBe(1);
    expect(sample(res.text, 'jobs_processed_total', '{queue="metrics-probe",outcome="failed"}')).toBe(1);
    expect(sample(res.text, 'job_failures_total', '{queue="metrics-probe"}')).toBe(1);
    expect(sample(res.text, 'job_duration_seconds_count', '{queue="metrics-probe",outcome="completed"}')).toBe(1);
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('is open (for an internal network) and needs no JWT', async () => {
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
  });
});
