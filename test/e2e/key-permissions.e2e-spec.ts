import { startTestApp, TestApp } from '@testing/test-app';
import { BinanceFake } from '../fakes/binance-fake';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const key = (name: string) => `${name}${'K'.repeat(40)}`.slice(0, 48);
const SECRET = 'S'.repeat(48);
const PATH = '/sapi/v1/account/apiRestrictions';

describe("key permissions: a Binance key's restrictions read when it is saved and in prepare (seed 002's security table)", () => {
  let t: TestApp;
  let binance: BinanceFake;

  beforeAll(async () => {
    binance = new BinanceFake();
    const url = await binance.start();
    for (const name of ['safe', 'withdraw', 'margin']) binance.addAccount(key(name), SECRET);
    binance.setKeyRestrictions(key('withdraw'), { enableWithdrawals: true });
    binance.setKeyRestrictions(key('margin'), { enableMargin: true, ipRestrict: false });
    t = await startTestApp({ env: { BINANCE_TESTNET_BASE_URL: url, EXCHANGE_MAX_RETRIES: '0' } });
  });
  afterAll(async () => {
    await t.close();
    await binance.close();
  });

  const save = (token: string, api_key: string) =>
    t.http.post('/users/exchange-secrets').set(auth(token)).send({ exchange: 'BINANCE', api_key, api_secret: SECRET });
  const prepare = (token: string) =>
    t.http.post('/ops/execution/prepare').set(auth(token)).send({ exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 0.01 });

  it('refuses a key with withdrawals enabled (400 saying why), stores nothing and audits the refusal', async () => {
    const u = await t.register();
    const before = binance.count('GET', PATH);
    const res = await save(u.token, key('withdraw'));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('key_withdrawals_enabled');
    expect(res.body.message).toContain('withdrawals enabled');
    expect(res.body.message).toContain('ALLOW_WITHDRAWAL_KEYS');
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    // The call was Binance's signed one: key header, hex HMAC signature, timestamp.
    expect(binance.count('GET', PATH)).toBe(before + 1);
    const sent = binance.requests.filter((r) => r.path === PATH).at(-1)!;
    expect(sent.headers['x-mbx-apikey']).toBe(key('withdraw'));
    expect(new URLSearchParams(sent.query).get('signature')).toMatch(/^[0-9a-f]{64}$/);

    expect((await t.http.get('/users/exchange-secrets').set(auth(u.token))).body).toEqual([]);
    const audit = await t.http.get('/ops/audit/me?limit=20').set(auth(u.token));
    expect(audit.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          event_type: 'vault.exchange_secret.saved',
          outcome: 'failure',
          payload: expect.objectContaining({ reason: 'key_withdrawals_enabled' }),
        }),
      ]),
    );
  });

  it('stores a key with margin on and no IP whitelist, with warnings; prepare shows them in its checks', async () => {
    const u = await t.register();
    const res = await save(u.token, key('margin'));
    expect(res.status).toBe(201);
    expect(res.body.key_permissions).toMatchObject({
      checked: true,
      withdrawals_enabled: false,
      margin_enabled: true,
      futures_enabled: false,
      ip_restricted: false,
    });
    expect(res.body.key_permissions.warnings).toEqual([
      expect.stringContaining('Margin trading is enabled'),
      expect.stringContaining('not restricted to trusted IPs'),
    ]);

    const prep = await prepare(u.token);
    expect(prep.status).toBe(200);
    const byName = Object.fromEntries(prep.body.checks.map((c: { name: string }) => [c.name, c]));
    expect(byName.key_margin).toMatchObject({ passed: true, warning: true, message: expect.stringContaining('Margin') });
    expect(byName.key_ip_restriction).toMatchObject({ passed: true, warning: true });
    expect(byName.key_withdrawals).toMatchObject({ passed: true });
    expect(byName.key_withdrawals.warning).toBeUndefined();
    expect(prep.body.passed).toBe(true); // warnings do not fail the dry run

    // Edited on Binance after it was saved: prepare reads the key again and refuses it.
    binance.setKeyRestrictions(key('margin'), { enableMargin: true, ipRestrict: false, enableWithdrawals: true });
    const refused = await prepare(u.token);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('key_withdrawals_enabled');
    binance.setKeyRestrictions(key('margin'), { enableMargin: true, ipRestrict: false });
  });

  it('a key as seed 002 asks for has no warnings; one Binance cannot judge is stored with a warning saying so', async () => {
    const u = await t.register();
    const safe = await save(u.token, key('safe'));
    expect(safe.status).toBe(201);
    expect(safe.body.key_permissions).toMatchObject({ checked: true, ip_restricted: true, warnings: [] });
    const prep = await prepare(u.token);
    expect(prep.body.checks.filter((c: { warning?: boolean }) => c.warning)).toEqual([]);

    const unknown = await save(u.token, key('nobody'));
    expect(unknown.status).toBe(201);
    expect(unknown.body.key_permissions).toMatchObject({ checked: false, withdrawals_enabled: null });
    expect(unknown.body.key_permissions.warnings[0]).toMatch(/^Could not read this key's restrictions from Binance \(auth -2015/);

    const other = await t.http
      .post('/users/exchange-secrets')
      .set(auth(u.token))
      .send({ exchange: 'CRYPTO_COM', api_key: 'cdc-key', api_secret: SECRET });
    expect(other.status).toBe(201);
    expect(other.body.key_permissions).toBeNull();
  });
});
