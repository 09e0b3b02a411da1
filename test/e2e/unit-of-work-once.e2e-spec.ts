import { Client } from 'pg';
import { UnitOfWork } from '@kernel';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { startTestApp, TestApp } from '@testing/test-app';

/**
 * UnitOfWork.once against PostgreSQL (issue 16): a use case's writes as ONE autocommit statement, all or
 * nothing, its guarded writes ("the row is still as read") required to change a row.
 */
describe('UnitOfWork.once: one statement, all or nothing', () => {
  let t: TestApp;
  let uow: UnitOfWork;
  let host: TransactionHost;
  beforeAll(async () => {
    t = await startTestApp();
    uow = t.app.get(UnitOfWork);
    host = t.app.get(TransactionHost);
    await t.dataSource.query('CREATE TABLE once_probe (id text PRIMARY KEY, n int NOT NULL)');
    await t.dataSource.query(`INSERT INTO once_probe (id, n) VALUES ('row', 1)`);
  });
  afterAll(() => t.close());

  const rows = async () => (await t.dataSource.query('SELECT id, n FROM once_probe ORDER BY id')) as { id: string; n: number }[];
  const bumpIf = (n: number) => host.guard(`UPDATE once_probe SET n = n + 1 WHERE id = 'row' AND n = $1`, [n]);
  const insert = (id: string) => host.write('INSERT INTO once_probe (id, n) VALUES ($1, 0)', [id]);

  /**
   * What `work` sent about once_probe over any pooled connection (the app's background work, the outbox
   * relay's say, is left out): each statement's text and, when prepared, its name.
   */
  async function sent(work: () => Promise<unknown>): Promise<{ text: string; name?: string }[]> {
    const out: { text: string; name?: string }[] = [];
    const query = Client.prototype.query as (...args: unknown[]) => unknown;
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const q = args[0] as string | { text: string; name?: string };
      const text = typeof q === 'string' ? q : q.text;
      if (text.includes('once_probe')) out.push(typeof q === 'string' ? { text } : { text, name: q.name });
      return query.apply(this, args);
    } as typeof Client.prototype.query;
    try {
      await work();
    } finally {
      Client.prototype.query = query as typeof Client.prototype.query;
    }
    return out;
  }

  it('commits the guarded update and the other writes together in one statement', async () => {
    let r: unknown;
    const all = await sent(async () => {
      r = await uow.once(async () => {
        await bumpIf(1);
        await insert('a');
        await uow.run(() => insert('b')); // a nested run joins the statement
        return 'done';
      });
    });
    expect(r).toBe('done');
    const statements = all.map((x) => x.text);
    expect(statements).toHaveLength(1);
    expect(all[0].name).toMatch(/^uow_\d+_\d+$/); // a named prepared statement: parsed and planned once per connection
    expect(statements[0]).toMatch(
      /^WITH w0 AS \(UPDATE once_probe .* RETURNING 1\), w1 AS \(INSERT INTO once_probe .*\) SELECT uow_guard\(/,
    );
    expect(await rows()).toEqual([
      { id: 'a', n: 0 },
      { id: 'b', n: 0 },
      { id: 'row', n: 2 },
    ]);
  });

  it('names the first 64 statement texts it sends and sends the rest unnamed, so no connection keeps plans without end', async () => {
    const all = await sent(async () => {
      for (let k = 1; k <= 70; k++) {
        // 70 texts of one shape but for a literal: 70 distinct statement texts.
        await uow.once(async () => {
          await host.write(`UPDATE once_probe SET n = n + ${k} - ${k} WHERE id = $1`, ['row']);
          await host.write(`UPDATE once_probe SET n = n WHERE id = $1`, ['a']);
          return 'ok';
        });
      }
    });
    expect(all).toHaveLength(70);
    const named = all.filter((x) => x.name).length;
    expect(named).toBeGreaterThan(0);
    expect(named).toBeLessThanOrEqual(64);
    expect(all.slice(named).every((x) => x.name === undefined)).toBe(true); // the first ones named, none after
    const again = await sent(() =>
      uow.once(async () => {
        await host.write(`UPDATE once_probe SET n = n + 1 - 1 WHERE id = $1`, ['row']);
        await host.write(`UPDATE once_probe SET n = n WHERE id = $1`, ['a']);
        return 'ok';
      }),
    );
    // A text sent again keeps its name (the part before the pooled connection's number).
    const textName = (name?: string) => name?.replace(/_\d+$/, '');
    expect(again.map((x) => [x.text, textName(x.name)])).toEqual([[all[0].text, textName(all[0].name)]]);
  });

  it('writes nothing and answers undefined when a guard matches no row (the row changed after the read)', async () => {
    const r = await uow.once(async () => {
      await insert('c');
      await bumpIf(1); // n is 2 now: stale
      return 'done';
    });
    expect(r).toBeUndefined();
    expect((await rows()).map((x) => x.id)).toEqual(['a', 'b', 'row']);
    expect((await rows()).find((x) => x.id === 'row')!.n).toBe(2);
  });

  it('writes nothing when a write a mapper recognises fails, and sends nothing when the work answers undefined', async () => {
    const refused = await uow.once(async () => {
      await bumpIf(2);
      await host.write('INSERT INTO once_probe (id, n) VALUES ($1, 0)', ['a'], () => new Error('taken')); // duplicate key
      return 'done';
    });
    expect(refused).toBeUndefined();
    const skipped = await uow.once(async () => {
      await bumpIf(2);
      return undefined;
    });
    expect(skipped).toBeUndefined();
    expect((await rows()).find((x) => x.id === 'row')!.n).toBe(2);
  });

  it('inside a transaction answers undefined without running the work; in a batch a stale guard rolls back', async () => {
    let ran = false;
    const inside = await uow.run(() =>
      uow.once(async () => {
        ran = true;
        return 'done';
      }),
    );
    expect([inside, ran]).toEqual([undefined, false]);
    await expect(
      uow.run(async () => {
        await insert('d');
        await uow.batch(() => bumpIf(1));
      }),
    ).rejects.toThrow('a guarded row changed after it was read');
    expect((await rows()).map((x) => x.id)).toEqual(['a', 'b', 'row']);
  });
});
