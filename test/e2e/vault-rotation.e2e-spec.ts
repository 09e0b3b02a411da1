import { randomBytes } from 'node:crypto';
import * as speakeasy from 'speakeasy';
import { ExchangeCredentialsProvider } from '../../src/contexts/vault';
import { startTestApp, TEST_KEYS, TestApp } from '@testing/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const newKey = () => randomBytes(32).toString('base64');
const OLD = TEST_KEYS.ENCRYPTION_KEY;

/** Three users with exchange credentials, one with 2FA on. */
async function populate(t: TestApp) {
  const users = [];
  for (let i = 0; i < 3; i++) {
    const u = await t.register();
    await t.http
      .post('/users/exchange-secrets')
      .set(auth(u.token))
      .send({ exchange: 'BINANCE', api_key: `binance-key-${i}-XXXX`, api_secret: `binance-secret-${i}` });
    users.push(u);
  }
  const secret = (await t.http.post('/auth/2fa/setup').set(auth(users[0].token))).body.secret as string;
  const otp = speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(t.clock!.now().getTime() / 1000) });
  expect((await t.http.post('/auth/2fa/enable').set(auth(users[0].token)).send({ otp })).status).toBe(200);
  return { users, secret };
}

describe('vault: key rotation (seed 000 section 5)', () => {
  it('dry run reports and writes nothing; apply re-encrypts everything; a restart with the new key reads it all', async () => {
    const t = await startTestApp({ fakeClock: true });
    const { users, secret } = await populate(t);
    const admin = await t.adminToken();
    const NEW = newKey();
    const before = await t.dataSource.query('SELECT id, key_id, ciphertext FROM exchange_secrets ORDER BY id');

    const dry = await t.http
      .post('/ops/security/reencrypt-exchange-secrets')
      .set(auth(admin))
      .send({ old_key: OLD, new_key: NEW, dry_run: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dry_run: true,
      exchange_secrets: { total: 3, decrypt_with_old_key: 3, already_new_key: 0, failed_ids: [] },
      totp_secrets: { total: 1, decrypt_with_old_key: 1, already_new_key: 0, failed_ids: [] },
      reencrypted: 0,
    });
    expect(await t.dataSource.query('SELECT id, key_id, ciphertext FROM exchange_secrets ORDER BY id')).toEqual(before);

    const apply = await t.http
      .post('/ops/security/reencrypt-exchange-secrets')
      .set(auth(admin))
      .send({ old_key: OLD, new_key: NEW, dry_run: false });
    expect(apply.status).toBe(200);
    expect(apply.body).toMatchObject({ dry_run: false, reencrypted: 4, active_key_id: apply.body.new_key_id });
    const keyIds = await t.dataSource.query('SELECT key_id FROM exchange_secrets UNION ALL SELECT key_id FROM vault_secrets');
    expect(new Set(keyIds.map((r: { key_id: string }) => r.key_id))).toEqual(new Set([apply.body.new_key_id]));

    // This instance seals new values with the new key at once.
    const saved = await t.http
      .post('/users/exchange-secrets')
      .set(auth(users[1].token))
      .send({ exchange: 'IBKR', api_key: 'ibkr-key-after-0000', api_secret: 'ibkr-secret-after' });
    expect(saved.body.key_id).toBe(apply.body.new_key_id);
    // Again: everything is already under the new key.
    const again = await t.http
      .post('/ops/security/reencrypt-exchange-secrets')
      .set(auth(admin))
      .send({ old_key: OLD, new_key: NEW, dry_run: true });
    expect(again.body.exchange_secrets).toMatchObject({ total: 4, already_new_key: 4, failed_ids: [] });

    const audit = await t.http.get('/ops/audit/all?event_type=security.key_rotation.reencrypt').set(auth(admin));
    expect(audit.body.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audit.body)).not.toContain(NEW);
    expect(JSON.stringify(audit.body)).not.toContain(OLD);

    // The runbook's restart: ENCRYPTION_KEY=new, the old one gone.
    await t.close(true);
    const t2 = await startTestApp({ db: t.db, fakeClock: true, env: { ENCRYPTION_KEY: NEW } });
    try {
      t2.clock!.set(t.clock!.now());
      t2.clock!.advance(60_000);
      const provider = t2.app.get(ExchangeCredentialsProvider);
      for (let i = 0; i < 3; i++)
        expect(await provider.reveal(users[i].id, 'BINANCE')).toEqual({
          apiKey: `binance-key-${i}-XXXX`,
          apiSecret: `binance-secret-${i}`,
        });
      expect(await provider.reveal(users[1].id, 'IBKR')).toEqual({ apiKey: 'ibkr-key-after-0000', apiSecret: 'ibkr-secret-after' });
      // The TOTP secret re-sealed by the rotation still works for login.
      const code = speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(t2.clock!.now().getTime() / 1000) });
      const withOtp = await t2.http.post('/auth/login').type('form').send({ username: users[0].email, password: 'Trader123!', otp: code });
      expect(withOtp.status).toBe(200);
    } finally {
      await t2.close();
    }
  });

  it('refuses bad keys, a wrong old_key and non-admins, and changes nothing', async () => {
    const t = await startTestApp({ fakeClock: true });
    try {
      const { users } = await populate(t);
      const admin = await t.adminToken();
      const before = await t.dataSource.query(
        'SELECT key_id, ciphertext FROM exchange_secrets UNION ALL SELECT key_id, ciphertext FROM vault_secrets ORDER BY 2',
      );
      const post = (body: object, token = admin) => t.http.post('/ops/security/reencrypt-exchange-secrets').set(auth(token)).send(body);
      expect((await post({ old_key: OLD, new_key: newKey(), dry_run: false }, users[0].token)).status).toBe(403);
      for (const [body, field] of [
        [{ old_key: 'CLAVE_ANTERIOR', new_key: newKey(), dry_run: false }, 'old_key'],
        [{ old_key: OLD, new_key: randomBytes(16).toString('base64'), dry_run: false }, 'new_key'],
        [{ old_key: OLD, new_key: 'not base64 !!', dry_run: true }, 'new_key'],
        [{ old_key: OLD, new_key: OLD, dry_run: false }, 'new_key'],
        [{ old_key: OLD, new_key: newKey(), dry_run: 'yes' }, 'dry_run'],
      ] as [object, string][]) {
        const r = await post(body);
        expect(r.status).toBe(400);
        expect(JSON.stringify(r.body.errors)).toContain(field);
      }
      const wrong = await post({ old_key: newKey(), new_key: newKey(), dry_run: false });
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe('old_key_not_active'); // compared by key id before anything is read (issue 12)
      const wrongDry = await post({ old_key: newKey(), new_key: newKey(), dry_run: true });
      expect(wrongDry.status).toBe(400);
      expect(wrongDry.body.code).toBe('old_key_not_active');
      expect(
        await t.dataSource.query(
          'SELECT key_id, ciphertext FROM exchange_secrets UNION ALL SELECT key_id, ciphertext FROM vault_secrets ORDER BY 2',
        ),
      ).toEqual(before);
      // the app still seals with the old key
      const saved = await t.http
        .post('/users/exchange-secrets')
        .set(auth(users[0].token))
        .send({ exchange: 'IBKR', api_key: 'k-0000000000001', api_secret: 's1' });
      expect(saved.body.key_id).toBe(before[0].key_id);
    } finally {
      await t.close();
    }
  });

  it('an apply aborted mid-way leaves every value readable with the old key (and with both keys after a restart)', async () => {
    const t = await startTestApp({ fakeClock: true });
    const { users } = await populate(t);
    const admin = await t.adminToken();
    const NEW = newKey();
    // Simulate the process dying mid-apply: the exchange secrets are re-encrypted, then the
    // transaction is aborted at the first TOTP secret.
    await t.dataSource.query(
      `CREATE FUNCTION die_mid_rotation() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'killed mid-apply'; END $$`,
    );
    await t.dataSource.query(
      `CREATE TRIGGER die_mid_rotation BEFORE UPDATE ON vault_secrets FOR EACH ROW EXECUTE FUNCTION die_mid_rotation()`,
    );
    const r = await t.http
      .post('/ops/security/reencrypt-exchange-secrets')
      .set(auth(admin))
      .send({ old_key: OLD, new_key: NEW, dry_run: false });
    expect(r.status).toBe(500);
    await t.dataSource.query('DROP TRIGGER die_mid_rotation ON vault_secrets');

    const ids = await t.dataSource.query('SELECT DISTINCT key_id FROM exchange_secrets UNION SELECT key_id FROM vault_secrets');
    expect(ids).toHaveLength(1); // all still under the old key: nothing half-done
    const provider = t.app.get(ExchangeCredentialsProvider);
    for (let i = 0; i < 3; i++) expect(await provider.reveal(users[i].id, 'BINANCE')).toMatchObject({ apiSecret: `binance-secret-${i}` });
    const saved = await t.http
      .post('/users/exchange-secrets')
      .set(auth(users[0].token))
      .send({ exchange: 'IBKR', api_key: 'k-0000000000002', api_secret: 's2' });
    expect(saved.body.key_id).toBe(ids[0].key_id); // the keyring was not switched

    // Restart with the new key as current and the old one as previous: still readable; then the rotation completes.
    await t.close(true);
    const t2 = await startTestApp({ db: t.db, fakeClock: true, env: { ENCRYPTION_KEY: NEW, ENCRYPTION_KEYS_PREVIOUS: OLD } });
    try {
      const p2 = t2.app.get(ExchangeCredentialsProvider);
      for (let i = 0; i < 3; i++) expect(await p2.reveal(users[i].id, 'BINANCE')).toMatchObject({ apiSecret: `binance-secret-${i}` });
      const admin2 = await t2.login('admin', 'admin1234');
      const done = await t2.http
        .post('/ops/security/reencrypt-exchange-secrets')
        .set(auth(admin2))
        .send({ old_key: OLD, new_key: NEW, dry_run: false });
      expect(done.status).toBe(200);
      // The rotation and the boot's vault.rewrap job (which may have got there first) leave all five under the new key.
      const deadline = Date.now() + 30_000;
      let after: { key_id: string }[] = [];
      while (Date.now() < deadline) {
        after = await t2.dataSource.query('SELECT DISTINCT key_id FROM exchange_secrets UNION SELECT key_id FROM vault_secrets');
        if (after.length === 1 && after[0].key_id !== ids[0].key_id) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(after).toHaveLength(1);
      expect(after[0].key_id).not.toBe(ids[0].key_id);
      const [{ n }] = await t2.dataSource.query(
        'SELECT (SELECT count(*) FROM exchange_secrets) + (SELECT count(*) FROM vault_secrets) AS n',
      );
      expect(Number(n)).toBe(5);
      for (let i = 0; i < 3; i++) expect(await p2.reveal(users[i].id, 'BINANCE')).toMatchObject({ apiSecret: `binance-secret-${i}` });
    } finally {
      await t2.close();
    }
  });
});
