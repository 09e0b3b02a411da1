import { combineWrites } from './transaction-host';

describe('combineWrites (one statement for a batch of writes)', () => {
  it('sends a single write as it is', () => {
    const w = { sql: 'INSERT INTO t (a) VALUES ($1)', params: [1] };
    expect(combineWrites([w])).toEqual(w);
  });

  it('joins rows for the same INSERT into one multi-row INSERT, in order, renumbering the placeholders', () => {
    const out = combineWrites([
      { sql: 'INSERT INTO outbox (id, payload) VALUES ($1, $2::jsonb)', params: ['a', '{}'] },
      { sql: 'INSERT INTO outbox (id, payload) VALUES ($1, $2::jsonb)', params: ['b', '[]'] },
    ]);
    expect(out).toEqual({
      sql: 'INSERT INTO outbox (id, payload) VALUES ($1, $2::jsonb), ($3, $4::jsonb)',
      params: ['a', '{}', 'b', '[]'],
    });
  });

  it('puts different statements into data-modifying CTEs, a repeated placeholder renumbered alike', () => {
    const out = combineWrites([
      { sql: 'INSERT INTO a (x, created_at, updated_at) VALUES ($1, $2, $2)', params: [1, 'now'] },
      { sql: 'INSERT INTO b (y) VALUES ($1) ON CONFLICT (y) DO NOTHING', params: [2] },
      { sql: 'INSERT INTO a (x, created_at, updated_at) VALUES ($1, $2, $2)', params: [3, 'later'] },
      { sql: 'WITH d AS (SELECT $1::int AS v) INSERT INTO c (v) SELECT v FROM d', params: [4] },
    ]);
    expect(out.sql).toBe(
      'WITH w0 AS (INSERT INTO a (x, created_at, updated_at) VALUES ($1, $2, $2), ($4, $5, $5)), ' +
        'w1 AS (INSERT INTO b (y) VALUES ($3) ON CONFLICT (y) DO NOTHING), ' +
        'w2 AS (WITH d AS (SELECT $6::int AS v) INSERT INTO c (v) SELECT v FROM d) SELECT 1',
    );
    expect(out.params).toEqual([1, 'now', 2, 3, 'later', 4]);
  });

  it('returns a row from each guarded write and ends by requiring them all (uow_guard)', () => {
    const guard = { sql: 'UPDATE acc SET n = n + 1 WHERE id = $1 AND n = $2', params: ['u', 3], guard: true };
    expect(combineWrites([guard]).sql).toBe(
      'WITH w0 AS (UPDATE acc SET n = n + 1 WHERE id = $1 AND n = $2 RETURNING 1) SELECT uow_guard(EXISTS (SELECT 1 FROM w0))',
    );
    const out = combineWrites([guard, { sql: 'INSERT INTO t (a) VALUES ($1)', params: [1] }, { ...guard, params: ['v', 4] }]);
    expect(out.sql).toBe(
      'WITH w0 AS (UPDATE acc SET n = n + 1 WHERE id = $1 AND n = $2 RETURNING 1), w1 AS (INSERT INTO t (a) VALUES ($3)), ' +
        'w2 AS (UPDATE acc SET n = n + 1 WHERE id = $4 AND n = $5 RETURNING 1) SELECT uow_guard(EXISTS (SELECT 1 FROM w0) AND EXISTS (SELECT 1 FROM w2))',
    );
    expect(out.params).toEqual(['u', 3, 1, 'v', 4]);
  });
});
