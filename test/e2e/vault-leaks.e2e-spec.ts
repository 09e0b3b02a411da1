import { randomBytes } from 'node:crypto';
import * as speakeasy from 'speakeasy';
import { OutboxRelay } from '@platform/documents/outbox-relay.service';
import { startTestApp, TEST_KEYS, TestApp } from '@testing/test-app';
import { securityFindings } from '../../scripts/security-check';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('vault: no secret in logs or audit payloads; security:check', () => {
  let t: TestApp;
  const logged: string[] = [];
  const spies: jest.SpyInstance[] = [];
  beforeAll(async () => {
    const capture = (chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    };
    spies.push(jest.spyOn(process.stdout, 'write').mockImplementation(capture as never));
    spies.push(jest.spyOn(process.stderr, 'write').mockImplementation(capture as never));
    // winston's Console transport writes to console._stdout when the console has one (jest's may).
    const c = console as unknown as { _stdout?: NodeJS.WriteStream; _stderr?: NodeJS.WriteStream };
    for (const stream of [c._stdout, c._stderr]) {
      if (stream && stream !== process.stdout && stream !== process.stderr)
        spies.push(jest.spyOn(stream, 'write').mockImplementation(capture as never));
    }
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const)
      spies.push(jest.spyOn(console, m).mockImplementation((...a) => void logged.push(a.map(String).join(' '))));
    t = await startTestApp({ fakeClock: true, env: { LOG_LEVEL: 'debug' } });
  });
  afterAll(async () => {
    await t.close();
    spies.forEach((s) => s.mockRestore());
  });

  it('runs every secret-bearing flow, then finds none of the secrets in the logs or the audit documents', async () => {
    const password = 'Sup3r-Secret-Pass!';
    const { token, email } = await t.register(undefined, password);
    const apiKey = 'LEAKCHECKAPIKEY0123456789';
    const apiSecret = 'LEAKCHECKAPISECRET0123456789';
    await t.http.post('/users/exchange-secrets').set(auth(token)).send({ exchange: 'BINANCE', api_key: apiKey, api_secret: apiSecret });
    await t.http
      .post('/users/exchange-secrets')
      .set(auth(token))
      .send({ exchange: 'IBKR', api_key: apiKey, api_secret: `${apiSecret}-bad input` });
    const secret = (await t.http.post('/auth/2fa/setup').set(auth(token))).body.secret as string;
    const otp = speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(t.clock!.now().getTime() / 1000) });
    await t.http.post('/auth/2fa/enable').set(auth(token)).send({ otp });
    await t.http.post('/auth/login').type('form').send({ username: email, password: 'wrong-Pass-123' });
    t.clock!.advance(30_000);
    const otp2 = speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(t.clock!.now().getTime() / 1000) });
    const login = (await t.http.post('/auth/login').type('form').send({ username: email, password, otp: otp2 })).body;
    const refreshed = (await t.http.post('/auth/refresh').send({ refresh_token: login.refresh_token })).body;
    await t.http.post('/auth/refresh').send({ refresh_token: login.refresh_token }); // reuse
    const admin = await t.adminToken();
    const newKey = randomBytes(32).toString('base64');
    await t.http
      .post('/ops/security/reencrypt-exchange-secrets')
      .set(auth(admin))
      .send({ old_key: 'short', new_key: newKey, dry_run: true });
    await t.http
      .post('/ops/security/reencrypt-exchange-secrets')
      .set(auth(admin))
      .send({ old_key: TEST_KEYS.ENCRYPTION_KEY, new_key: newKey, dry_run: false })
      .expect(200);
    await t.http.post('/auth/logout').set(auth(token));
    await t.http.get('/auth/me').set(auth(token));
    // Audit documents reach doc_audit_logs through the outbox (written in each request's transaction): on a busy
    // machine the relay may not have copied the last ones yet (seen once, with the rotation's document missing).
    await t.app.get(OutboxRelay).flush();

    const docs = JSON.stringify(await t.dataSource.query('SELECT doc FROM doc_audit_logs'));
    const outbox = JSON.stringify(await t.dataSource.query('SELECT payload FROM outbox'));
    expect(docs).toContain('security.key_rotation.reencrypt');
    expect(docs).toContain('auth.login.failed');
    expect(logged.join('\n')).toContain('/auth/login'); // the access log did run
    const forbidden = [
      password,
      'wrong-Pass-123',
      apiKey,
      apiSecret,
      secret,
      token,
      login.access_token,
      login.refresh_token,
      refreshed.refresh_token,
      newKey,
      TEST_KEYS.ENCRYPTION_KEY,
      'admin1234',
    ];
    for (const text of [docs, outbox, logged.join('\n')]) {
      for (const s of forbidden) expect(text.includes(s) ? s : null).toBeNull();
      expect(text).not.toMatch(/"api_secret"\s*:\s*"[^[]/);
    }
  });

  it('security:check fails the unsafe settings and passes a production config', () => {
    const messages = securityFindings({
      NODE_ENV: 'development',
      SECRET_KEY: 'changeme',
      ENCRYPTION_KEY: TEST_KEYS.ENCRYPTION_KEY,
      ALLOWED_ORIGINS: '*',
      LIVE_TRADING: 'true',
      SEED_ON_BOOT: 'true',
    })
      .filter((f) => f.level === 'FAIL')
      .map((f) => f.message)
      .join('\n');
    for (const m of [
      /NODE_ENV/,
      /SECRET_KEY is shorter/,
      /ENCRYPTION_KEY is the published test key/,
      /ALLOWED_ORIGINS contains "\*"/,
      /LIVE_TRADING=true without TRUST_PROXY/,
      /SEED_ON_BOOT/,
    ]) {
      expect(messages).toMatch(m);
    }
    const good = securityFindings({
      NODE_ENV: 'production',
      SECRET_KEY: randomBytes(48).toString('base64url'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ALLOWED_ORIGINS: 'https://app.example.com',
      ALLOWED_HOSTS: 'api.example.com',
      LIVE_TRADING: 'true',
      TRUST_PROXY: 'true',
      DATABASE_URL: 'postgres://app@db.internal/fintech?sslmode=require',
      REDIS_URL: 'redis://redis:6379',
    });
    expect(good.filter((f) => f.level === 'FAIL')).toEqual([]);
  });
});
