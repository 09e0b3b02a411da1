import { DataSource } from 'typeorm';
import { DocumentStore, OutboxDocument } from '@kernel';
import { TypeormDocumentStore } from '@platform/documents/typeorm-document-store';
import { MongoDocumentStore } from '@platform/documents/mongo-document-store';
import { DocumentCollections } from '@platform/documents/document-collections';
import { AUDIT_LOGS } from '../../src/contexts/audit';
import { FUND_TRANSACTIONS } from '../../src/contexts/funds';
import { createTestDatabase, TestDatabase } from '@testing/test-database';
import { MIGRATIONS } from '../../migrations';
import { startTestApp, TestApp } from '@testing/test-app';
import { OutboxRelay, RAW_DOCUMENT_STORE } from '@platform/documents/outbox-relay.service';

const collections = () => new DocumentCollections([AUDIT_LOGS, FUND_TRANSACTIONS]);

/** One contract, every adapter: Postgres JSONB always, MongoDB when MONGO_URL is set. */
function contract(name: string, make: () => Promise<{ store: DocumentStore; done: () => Promise<void> }>) {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore;
    let done: () => Promise<void>;
    const run = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const doc = (i: number, user: string): OutboxDocument => ({
      id: `${run}-${i}`,
      user_id: `${run}-${user}`,
      created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      amount: '125000',
      n: i,
    });

    beforeAll(async () => ({ store, done } = await make()));
    afterAll(() => done());

    it('upserts idempotently by id and filters, sorts, ranges and limits', async () => {
      const docs = [1, 2, 3, 4, 5].map((i) => doc(i, i % 2 ? 'a' : 'b'));
      await store.upsertMany('fund_transactions', docs);
      await store.upsertMany('fund_transactions', docs); // a resend changes nothing
      await store.upsertMany('fund_transactions', [{ ...doc(1, 'a'), amount: '75000' }]);
      const a = await store.find('fund_transactions', {
        where: { user_id: `${run}-a` },
        sort: [{ field: 'created_at', direction: 'desc' }],
      });
      expect(a.map((d) => d.n)).toEqual([5, 3, 1]);
      expect(a[2].amount).toBe('75000');
      const page = await store.find('fund_transactions', {
        where: { user_id: `${run}-a` },
        range: { field: 'n', lt: 5 },
        sort: [{ field: 'n', direction: 'desc' }],
        limit: 1,
      });
      expect(page.map((d) => d.n)).toEqual([3]);
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

let pgDb: TestDatabase;
contract('postgres-jsonb', async () => {
  pgDb = await createTestDatabase();
  const ds = new DataSource({ type: 'postgres', url: pgDb.url, migrations: MIGRATIONS, logging: false });
  await ds.initialize();
  await ds.runMigrations();
  return {
    store: new TypeormDocumentStore(ds, collections()),
    done: async () => {
      await ds.destroy();
      await pgDb.drop();
    },
  };
});

if (process.env.MONGO_URL) {
  contract('mongodb', async () => {
    const store = new MongoDocumentStore(process.env.MONGO_URL!, `fintech_test_${Date.now()}`, collections());
    return { store, done: () => store.onApplicationShutdown() };
  });
} else {
  describe('DocumentStore contract: mongodb', () => {
    it('is not run here: MONGO_URL is not set (no MongoDB server on this machine)', () => {
      expect(process.env.MONGO_URL).toBeUndefined(); // stated plainly, see the e2e header line
    });
  });
}

/** The store behind a switch, to take it "down" at the port boundary. */
class SwitchableStore extends DocumentStore {
  readonly kind = 'postgres' as const;
  down = false;
  constructor(private readonly inner: DocumentStore) {
    super();
  }
  private check() {
    if (this.down) throw new Error('document store unreachable (simulated)');
  }
  async upsertMany(...a: Parameters<DocumentStore['upsertMany']>) {
    this.check();
    return this.inner.upsertMany(...a);
  }
  async find(...a: Parameters<DocumentStore['find']>) {
    this.check();
    return this.inner.find(...a);
  }
  async ping() {
    this.check();
    return this.inner.ping();
  }
}

describe('outbox: document store down', () => {
  let t: TestApp;
  let store: SwitchableStore;
  beforeAll(async () => {
    t = await startTestApp({
      override: (b) =>
        b.overrideProvider(RAW_DOCUMENT_STORE).useFactory({
          inject: [DataSource, DocumentCollections],
          factory: (ds: DataSource, c: DocumentCollections) => (store = new SwitchableStore(new TypeormDocumentStore(ds, c))),
        }),
    });
  });
  afterAll(() => t.close());

  it('keeps business requests working, answers reads with a controlled 502, and catches up', async () => {
    const { token, id } = await t.register();
    store.down = true;
    const login = await t.http
      .post('/auth/login')
      .type('form')
      .send({ username: (await t.http.get('/auth/me').set('Authorization', `Bearer ${token}`)).body.email, password: 'Trader123!' });
    expect(login.status).toBe(200); // the change and its audit event committed to the outbox
    const read = await t.http.get('/ops/audit/me').set('Authorization', `Bearer ${token}`);
    expect(read.status).toBe(502);
    expect(read.body.code).toBe('document_store_unavailable');
    const ready = await t.http.get('/readyz');
    expect(ready.status).toBe(503);
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL');
    expect(n).toBeGreaterThan(0);

    store.down = false;
    await t.app.get(OutboxRelay).flush(); // what the periodic sweep does
    const after = await t.http.get('/ops/audit/me').set('Authorization', `Bearer ${token}`);
    expect(after.body.map((e: { event_type: string }) => e.event_type)).toEqual([
      'auth.login.success',
      'auth.login.success',
      'auth.register',
    ]);
    expect(after.body.every((e: { user_id: string }) => e.user_id === id)).toBe(true);
    const admin = await t.adminToken();
    expect((await t.http.get('/ops/audit/verify').set('Authorization', `Bearer ${admin}`)).body.valid).toBe(true);
  });
});

describe('outbox: a process that dies mid-relay', () => {
  it('leaves sealed documents in the outbox, and the next process delivers them once with the chain intact', async () => {
    let store!: SwitchableStore;
    const first = await startTestApp({
      override: (b) =>
        b.overrideProvider(RAW_DOCUMENT_STORE).useFactory({
          inject: [DataSource, DocumentCollections],
          factory: (ds: DataSource, c: DocumentCollections) => (store = new SwitchableStore(new TypeormDocumentStore(ds, c))),
        }),
    });
    const { token } = await first.register();
    store.down = true; // the relay seals (commits the chain) and then cannot deliver: as if killed right there
    await first.http
      .post('/auth/login')
      .type('form')
      .send({ username: (await first.http.get('/auth/me').set('Authorization', `Bearer ${token}`)).body.email, password: 'Trader123!' });
    await first.app
      .get(OutboxRelay)
      .flush()
      .catch(() => undefined);
    const [{ sealed }] = await first.dataSource.query(
      `SELECT count(*)::int AS sealed FROM outbox WHERE payload ? 'hash' AND relayed_at IS NULL`,
    );
    expect(sealed).toBeGreaterThan(0);
    await first.close(true); // keep the database: the next process starts on it

    const second = await startTestApp({ db: first.db });
    try {
      await second.app.get(OutboxRelay).flush();
      const [{ n }] = await second.dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL');
      expect(n).toBe(0);
      const admin = await second.adminToken();
      const verify = await second.http.get('/ops/audit/verify').set('Authorization', `Bearer ${admin}`);
      expect(verify.body.valid).toBe(true);
      const [{ dupes }] = await second.dataSource.query(`SELECT count(*) - count(DISTINCT doc->'chain_seq') AS dupes FROM doc_audit_logs`);
      expect(Number(dupes)).toBe(0);
      const events = (await second.http.get('/ops/audit/me').set('Authorization', `Bearer ${token}`)).body.map(
        (e: { event_type: string }) => e.event_type,
      );
      expect(events).toEqual(['auth.login.success', 'auth.login.success', 'auth.register']);
    } finally {
      await second.close();
    }
  });
});
