import { ExchangeCredentialsProvider } from '../../src/contexts/vault';
import { startTestApp, TestApp } from '@testing/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('vault: exchange credentials (seed 000 section 2)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('runs the runbook: save BINANCE and IBKR, list them masked, reveal only through the port', async () => {
    const { token, id } = await t.register();
    const binance = await t.http
      .post('/users/exchange-secrets')
      .set(auth(token))
      .send({ exchange: 'BINANCE', api_key: 'TU_BINANCE_API_KEY', api_secret: 'TU_BINANCE_API_SECRET' });
    expect(binance.status).toBe(201);
    expect(binance.body).toEqual({
      exchange: 'BINANCE',
      api_key_masked: '****_KEY',
      key_id: expect.stringMatching(/^[0-9a-f]{8}$/),
      created_at: expect.any(String),
      updated_at: expect.any(String),
      // No Binance here: the key's restrictions could not be read, and the answer says so (issue 13 item 5).
      key_permissions: expect.objectContaining({ checked: false, withdrawals_enabled: null, warnings: [expect.any(String)] }),
    });
    const ibkr = await t.http
      .post('/users/exchange-secrets')
      .set(auth(token))
      .send({ exchange: 'IBKR', api_key: 'TU_IBKR_API_KEY', api_secret: 'TU_IBKR_API_SECRET' });
    expect(ibkr.status).toBe(201);

    const list = await t.http.get('/users/exchange-secrets').set(auth(token));
    expect(list.status).toBe(200);
    expect(list.body.map((s: { exchange: string }) => s.exchange)).toEqual(['BINANCE', 'IBKR']);
    expect(JSON.stringify(list.body)).not.toMatch(/API_SECRET|TU_BINANCE_API_KEY|api_secret/);

    const provider = t.app.get(ExchangeCredentialsProvider);
    expect(await provider.reveal(id, 'BINANCE')).toEqual({ apiKey: 'TU_BINANCE_API_KEY', apiSecret: 'TU_BINANCE_API_SECRET' });
    expect(await provider.reveal(id, 'CRYPTO_COM')).toBeNull();
    expect(await provider.hasCredentials(id, 'IBKR')).toBe(true);
    expect(await provider.hasCredentials(id, 'CRYPTO_COM')).toBe(false);
    expect(await provider.usersWith('IBKR')).toContain(id);

    // At rest: AES-GCM ciphertext only, with the key id beside it.
    const rows = await t.dataSource.query('SELECT key_id, ciphertext FROM exchange_secrets WHERE user_id = $1', [id]);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.key_id).toBe(binance.body.key_id);
      expect(Buffer.from(r.ciphertext, 'base64').toString('latin1')).not.toMatch(/TU_/);
    }
  });

  it('upserts per user and exchange, deletes, and audits without the secret', async () => {
    const { token, id } = await t.register();
    const first = await t.http
      .post('/users/exchange-secrets')
      .set(auth(token))
      .send({ exchange: 'CRYPTO_COM', api_key: 'key-one-000000AAAA', api_secret: 's3cr3t-one' });
    const second = await t.http
      .post('/users/exchange-secrets')
      .set(auth(token))
      .send({ exchange: 'CRYPTO_COM', api_key: 'key-two-000000WXYZ', api_secret: 's3cr3t-two' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.api_key_masked).toBe('****WXYZ');
    expect(second.body.created_at).toBe(first.body.created_at);
    expect(await t.app.get(ExchangeCredentialsProvider).reveal(id, 'CRYPTO_COM')).toEqual({
      apiKey: 'key-two-000000WXYZ',
      apiSecret: 's3cr3t-two',
    });
    const list = await t.http.get('/users/exchange-secrets').set(auth(token));
    expect(list.body).toHaveLength(1);

    const del = await t.http.delete('/users/exchange-secrets/CRYPTO_COM').set(auth(token));
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ exchange: 'CRYPTO_COM', deleted: true });
    expect((await t.http.delete('/users/exchange-secrets/crypto_com').set(auth(token))).status).toBe(404);
    expect((await t.http.get('/users/exchange-secrets').set(auth(token))).body).toEqual([]);

    const audit = await t.http.get('/ops/audit/me').set(auth(token));
    const types = audit.body.map((e: { event_type: string }) => e.event_type);
    expect(types.filter((x: string) => x === 'vault.exchange_secret.saved')).toHaveLength(2);
    expect(types).toContain('vault.exchange_secret.deleted');
    expect(audit.body.find((e: { event_type: string }) => e.event_type === 'vault.exchange_secret.saved').payload).toMatchObject({
      exchange: 'CRYPTO_COM',
    });
    expect(JSON.stringify(audit.body)).not.toMatch(/s3cr3t|key-one|key-two/);
  });

  it('keeps users apart: a ciphertext moved to another user does not decrypt, and says which key', async () => {
    const a = await t.register();
    const b = await t.register();
    await t.http
      .post('/users/exchange-secrets')
      .set(auth(a.token))
      .send({ exchange: 'BINANCE', api_key: 'AAAAAAAAAAAAAAAA', api_secret: 'secret-of-a' });
    await t.http
      .post('/users/exchange-secrets')
      .set(auth(b.token))
      .send({ exchange: 'BINANCE', api_key: 'BBBBBBBBBBBBBBBB', api_secret: 'secret-of-b' });
    expect((await t.http.get('/users/exchange-secrets').set(auth(b.token))).body[0].api_key_masked).toBe('****BBBB');
    expect((await t.http.delete('/users/exchange-secrets/IBKR').set(auth(b.token))).status).toBe(404);

    // Copy a's sealed value into b's row: AES-GCM with owner+exchange as AAD refuses it.
    await t.dataSource.query(
      `UPDATE exchange_secrets SET ciphertext = (SELECT ciphertext FROM exchange_secrets WHERE user_id = $1 AND exchange = 'BINANCE')
       WHERE user_id = $2 AND exchange = 'BINANCE'`,
      [a.id, b.id],
    );
    const provider = t.app.get(ExchangeCredentialsProvider);
    const err = await provider.reveal(b.id, 'BINANCE').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/key [0-9a-f]{8}/);
    expect((err as Error).message).not.toMatch(/secret-of/);
    expect(await provider.reveal(a.id, 'BINANCE')).toEqual({ apiKey: 'AAAAAAAAAAAAAAAA', apiSecret: 'secret-of-a' });

    // A key id that is not in the keyring is named.
    await t.dataSource.query(`UPDATE exchange_secrets SET key_id = 'deadbeef' WHERE user_id = $1`, [a.id]);
    await expect(provider.reveal(a.id, 'BINANCE')).rejects.toThrow(/deadbeef is not in the keyring/);
  });

  it('refuses bad input with a 4xx naming the field, and changes nothing', async () => {
    const { token, id } = await t.register();
    const post = (body: object) => t.http.post('/users/exchange-secrets').set(auth(token)).send(body);
    const cases: [object, string][] = [
      [{ exchange: 'KRAKEN', api_key: 'k', api_secret: 's' }, 'exchange'],
      [{ exchange: 'BINANCE', api_key: '', api_secret: 's' }, 'api_key'],
      [{ exchange: 'BINANCE', api_key: 'k'.repeat(10 * 1024), api_secret: 's' }, 'api_key'],
      [{ exchange: 'BINANCE', api_key: 'has space', api_secret: 's' }, 'api_key'],
      [{ exchange: 'BINANCE', api_key: 'k' }, 'api_secret'],
      [{ exchange: 'BINANCE', api_key: 'k', api_secret: 's', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors ?? res.body.message)).toContain(field);
      expect(JSON.stringify(res.body)).not.toContain('k'.repeat(100));
    }
    expect((await t.http.delete('/users/exchange-secrets/KRAKEN').set(auth(token))).status).toBe(400);
    expect((await t.http.get('/users/exchange-secrets')).status).toBe(401);
    expect((await t.http.post('/users/exchange-secrets').send({ exchange: 'BINANCE', api_key: 'k', api_secret: 's' })).status).toBe(401);
    expect(await t.dataSource.query('SELECT 1 FROM exchange_secrets WHERE user_id = $1', [id])).toEqual([]);
  });
});
