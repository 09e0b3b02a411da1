import { chainHash, GENESIS_HASH, verifyChainBatch } from './hash-chain';
import { buildAuditDocument } from './audit-event';

describe('audit documents', () => {
  it('redacts secrets from the payload and keeps the request metadata', () => {
    const doc = buildAuditDocument(
      'a1',
      new Date('2026-01-01T00:00:00Z'),
      {
        eventType: 'vault.secret.saved',
        outcome: 'success',
        userId: 'u1',
        payload: { exchange: 'BINANCE', api_secret: 'S3CR3T', nested: { password: 'x', token: 't' } },
      },
      { ip: '127.0.0.1', requestId: 'r1', userAgent: 'curl', path: '/x' },
    );
    expect(doc.payload).toEqual({ exchange: 'BINANCE', api_secret: '[REDACTED]', nested: { password: '[REDACTED]', token: '[REDACTED]' } });
    expect(doc).toMatchObject({ ip: '127.0.0.1', request_id: 'r1', user_agent: 'curl', path: '/x', ts: '2026-01-01T00:00:00.000Z' });
  });

  it('redacts by exact field name, not substring', () => {
    const doc = buildAuditDocument('a2', new Date(), {
      eventType: 'execution.prepare',
      outcome: 'success',
      payload: { passed: true, totp_secrets: { reencrypted: 2 }, tokens_issued: 1, 'Api-Secret': 'x', OTP: '123456', refresh_token: 'r' },
    });
    expect(doc.payload).toEqual({
      passed: true,
      totp_secrets: { reencrypted: 2 },
      tokens_issued: 1,
      'Api-Secret': '[REDACTED]',
      OTP: '[REDACTED]',
      refresh_token: '[REDACTED]',
    });
  });

  it('refuses event types that are not dotted', () => {
    expect(() => buildAuditDocument('a', new Date(), { eventType: 'LOGIN_FAILED', outcome: 'failure' })).toThrow(/dotted/);
  });

  it('verifies a sealed chain and finds the first tampered document', () => {
    const docs = [1, 2, 3].map((n) => ({
      ...buildAuditDocument(`id${n}`, new Date(n * 1000), { eventType: 'auth.login.success', outcome: 'success' }),
    })) as Record<string, unknown>[];
    let prev = GENESIS_HASH;
    const sealed = docs.map((d, i) => {
      const s = { ...d, chain_seq: i + 1, prev_hash: prev } as Record<string, unknown>;
      s.hash = chainHash(prev, i + 1, s);
      prev = s.hash as string;
      return s as never;
    });
    expect(verifyChainBatch(sealed, { seq: 0, hash: GENESIS_HASH })).toMatchObject({ ok: true, last: { seq: 3 } });
    (sealed[1] as Record<string, unknown>).outcome = 'failure';
    expect(verifyChainBatch(sealed, { seq: 0, hash: GENESIS_HASH })).toEqual({
      ok: false,
      id: 'id2',
      reason: 'hash does not match content',
    });
  });
});
