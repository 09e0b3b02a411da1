import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ExchangeCredentialsProvider } from '../../src/contexts/vault';
import { startTestApp, TEST_KEYS, TestApp } from '@testing/test-app';
import { createTestDatabase } from '@testing/test-database';
import { KeyInventoryService, REWRAP_JOB } from '../../src/contexts/vault/application/key-inventory.service';
import { keyIdOf } from '../../src/contexts/vault/domain/envelope';
import { vaultKeyFindings } from '../../scripts/security-check';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const newKey = () => randomBytes(32).toString('base64');
const idOf = (b64: string) => keyIdOf(Buffer.from(b64, 'base64'));
const K1 = TEST_KEYS.ENCRYPTION_KEY;

async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function saveSecret(t: TestApp, token: string, n: number) {
  const res = await t.http
    .post('/users/exchange-secrets')
    .set(auth(token))
    .send({ exchange: 'BINANCE', api_key: `vault-keys-key-${n}`, api_secret: `vault-keys-secret-${n}` });
  expect(res.status).toBeLessThan(300);
  return res.body as { key_id: string };
}

/** Issue 12 item 2: rotation compares key ids; unknown key ids are loud at boot; a job rewraps previous keys; prepare decrypts. */
describe('vault keyring: rotation guard, boot inventory, rewrap, prepare', () => {
  afterEach(() => jest.restoreAllMocks());

  it('refuses an old_key that is not the active key, even on an empty vault, and keeps the active key', async () => {
    const t = await startTestApp();
    try {
      const admin = await t.adminToken();
      const wrong = newKey();
      for (const dry_run of [false, true]) {
        const res = await t.http
          .post('/ops/security/reencrypt-exchange-secrets')
          .set(auth(admin))
          .send({ old_key: wrong, new_key: newKey(), dry_run });
        expect({ status: res.status, code: res.body.code, field: res.body.errors?.[0]?.field }).toEqual({
          status: 400,
          code: 'old_key_not_active',
          field: 'old_key',
        });
        expect(res.body.message).toContain(idOf(wrong));
      }
      const u = await t.register();
      expect((await saveSecret(t, u.token, 1)).key_id).toBe(idOf(K1)); // still sealing with ENCRYPTION_KEY
    } finally {
      await t.close();
    }
  });

  it('at boot names a key id the keyring lacks (error log, /readyz 503, security:check); prepare fails its credentials check', async () => {
    const db = await createTestDatabase();
    const first = await startTestApp({ db });
    const u = await first.register();
    await saveSecret(first, u.token, 2);
    await first.close(true);

    const K2 = newKey();
    const errors = jest.spyOn(Logger.prototype, 'error');
    const t = await startTestApp({ db, env: { ENCRYPTION_KEY: K2 } });
    try {
      const logged = errors.mock.calls.map((c) => String(c[0])).join('\n');
      expect(logged).toContain(`1 exchange secret(s) and 0 TOTP secret(s) are sealed with key id ${idOf(K1)}`);
      const ready = await t.http.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.details.vault_keys).toMatchObject({ status: 'down', unknown_keys: [{ key_id: idOf(K1), exchange_secrets: 1 }] });
      expect(ready.body.details.vault_keys.message).toContain(idOf(K1));

      const findings = await vaultKeyFindings(db.url, { ENCRYPTION_KEY: K2 });
      expect(findings).toEqual([
        { level: 'FAIL', message: expect.stringContaining(`1 exchange secret(s) sealed with key id ${idOf(K1)}`) },
      ]);
      expect(await vaultKeyFindings(db.url, { ENCRYPTION_KEY: K2, ENCRYPTION_KEYS_PREVIOUS: K1 })).not.toContainEqual(
        expect.objectContaining({ level: 'FAIL' }),
      );

      const token = await t.login(u.email, 'Trader123!');
      const prep = await t.http
        .post('/ops/execution/prepare')
        .set(auth(token))
        .send({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 });
      expect(prep.status).toBe(200);
      expect(prep.body.passed).toBe(false);
      expect(prep.body.checks.find((c: { name: string }) => c.name === 'credentials')).toMatchObject({
        passed: false,
        message: expect.stringContaining(idOf(K1)),
      });
    } finally {
      await t.close();
    }
  });

  it('after a rotation with two instances and the restart, the job rewraps what the lagging instance wrote and reports none left', async () => {
    const db = await createTestDatabase();
    const a = await startTestApp({ db });
    const b = await startTestApp({ db });
    const admin = await a.adminToken();
    const users = [await a.register(), await a.register()];
    await saveSecret(a, users[0].token, 3);
    const K2 = newKey();
    const rotated = await a.http
      .post('/ops/security/reencrypt-exchange-secrets')
      .set(auth(admin))
      .send({ old_key: K1, new_key: K2, dry_run: false });
    expect(rotated.status).toBe(200);
    expect((await saveSecret(b, users[1].token, 4)).key_id).toBe(idOf(K1)); // instance b has not restarted yet
    await Promise.all([a.close(true), b.close(true)]);

    const logs = jest.spyOn(Logger.prototype, 'log');
    const t = await startTestApp({ db, env: { ENCRYPTION_KEY: K2, ENCRYPTION_KEYS_PREVIOUS: K1 } });
    try {
      const jobs = t.app.get(KeyInventoryService);
      expect((await t.http.get('/readyz')).status).toBe(200);
      // The boot enqueued the rewrap on the job port (pg-boss); its worker ran it and kept the report as the job's output.
      const done = await pollUntil('the vault.rewrap job', async () => {
        const rows: { state: string; output: unknown }[] = await t.dataSource.query(
          `SELECT state, output FROM pgboss.job WHERE name = $1 UNION ALL SELECT state, output FROM pgboss.archive WHERE name = $1`,
          [REWRAP_JOB],
        );
        return rows.some((r) => r.state === 'completed') ? rows : undefined;
      });
      expect(done).toEqual([{ state: 'completed', output: { rewrapped: 1, remaining_previous: 0, unknown_key_ids: [] } }]);
      expect((await jobs.inventory()).previous_values).toBe(0);
      expect(logs.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringContaining('no value is left under a previous key'));
      const keyIds = await t.dataSource.query('SELECT DISTINCT key_id FROM exchange_secrets');
      expect(keyIds).toEqual([{ key_id: idOf(K2) }]);
      const creds = await t.app.get(ExchangeCredentialsProvider).reveal(users[1].id, 'BINANCE');
      expect(creds).toEqual({ apiKey: 'vault-keys-key-4', apiSecret: 'vault-keys-secret-4' });
      expect((await jobs.rewrap()).rewrapped).toBe(0);
    } finally {
      await t.close();
    }
  });
});
