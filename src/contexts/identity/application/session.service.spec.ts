import { JwtService } from '@nestjs/jwt';
import { DomainError, SessionActor } from '@kernel';
import { FakeClock } from '@testing/fake-clock';
import { ImmediateUnitOfWork, RecordingAuditTrail, unitConfig } from '../../../../test/fakes/kernel-in-memory';
import { InMemorySessions, InMemoryUsers } from '../../../../test/fakes/identity-in-memory';
import { User } from '../domain/user';
import { SessionService } from './session.service';
import { AccessTokenClaims, TokenService } from './token.service';

const meta = { requestId: 'req-1', ip: '10.0.0.1', userAgent: 'spec' };
const alice: User = {
  id: 'u-alice',
  email: 'alice@example.com',
  username: 'alice',
  passwordHash: 'not-used',
  fullName: 'Alice',
  role: 'user',
  notifyChannel: null,
  notifyDestination: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
};

function setup() {
  const config = unitConfig();
  const clock = new FakeClock();
  const users = new InMemoryUsers();
  const sessions = new InMemorySessions(users);
  const audit = new RecordingAuditTrail();
  const jwt = new JwtService();
  const service = new SessionService(sessions, users, new TokenService(jwt, config), audit, new ImmediateUnitOfWork(), clock, config);
  const claimsOf = (token: string) =>
    jwt.verify<AccessTokenClaims>(token, { secret: config.secretKey, issuer: config.jwtIssuer, audience: config.jwtAudience });
  return { config, clock, users, sessions, audit, service, claimsOf };
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: DomainError) => `${e.kind}:${e.code}`,
  );

describe('SessionService (in-memory ports)', () => {
  it('starts a session whose access token names the user and the session', async () => {
    const { users, sessions, service, claimsOf } = setup();
    await users.insert(alice);
    const tokens = await service.start(alice, meta);
    const claims = claimsOf(tokens.accessToken);
    expect(claims).toMatchObject({ sub: alice.id, email: alice.email, role: 'user' });
    expect(sessions.sessions.get(claims.sid!)).toMatchObject({ userId: alice.id, ip: '10.0.0.1', userAgent: 'spec', revokedAt: null });
    expect(tokens.refreshToken).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
  });

  it('rotates the refresh token; presenting the old one again ends the whole family', async () => {
    const { users, sessions, audit, service, claimsOf } = setup();
    await users.insert(alice);
    const first = await service.start(alice, meta);
    const sid = claimsOf(first.accessToken).sid!;

    const second = await service.refresh(first.refreshToken, meta);
    expect(second.user.id).toBe(alice.id);
    expect(second.tokens.refreshToken).not.toBe(first.refreshToken);
    expect(claimsOf(second.tokens.accessToken).sid).toBe(sid); // same family

    expect(await code(service.refresh(first.refreshToken, meta))).toBe('unauthorized:invalid_refresh_token');
    expect(sessions.sessions.get(sid)).toMatchObject({ reason: 'refresh_reuse' });
    // the family is over: the token issued by the rotation is refused too
    expect(await code(service.refresh(second.tokens.refreshToken, meta))).toBe('unauthorized:invalid_refresh_token');
    expect(audit.types()).toEqual(['auth.refresh:success', 'auth.refresh.reuse_detected:denied', 'auth.refresh:denied']);
  });

  it('refuses a refresh token past its lifetime, and one that was never issued', async () => {
    const { config, clock, users, audit, service } = setup();
    await users.insert(alice);
    const { refreshToken } = await service.start(alice, meta);
    clock.advance(config.refreshTokenTtlSeconds * 1000);
    expect(await code(service.refresh(refreshToken, meta))).toBe('unauthorized:invalid_refresh_token');
    const forged = `${refreshToken.split('.')[0]}.${'A'.repeat(43)}`;
    expect(await code(service.refresh(forged, meta))).toBe('unauthorized:invalid_refresh_token');
    expect(await code(service.refresh('not-a-token', meta))).toBe('unauthorized:invalid_refresh_token');
    expect(audit.events.map((e) => [e.eventType, e.outcome, e.userId])).toEqual([
      ['auth.refresh', 'denied', alice.id],
      ['auth.refresh', 'denied', null],
    ]);
  });

  it('logout revokes the access token and its session; revoke-all ends every session of the user', async () => {
    const { users, sessions, audit, service, claimsOf } = setup();
    await users.insert(alice);
    const a = claimsOf((await service.start(alice, meta)).accessToken);
    const b = claimsOf((await service.start(alice, meta)).accessToken);
    const c = claimsOf((await service.start(alice, meta)).accessToken);
    const actor = (cl: AccessTokenClaims): SessionActor => ({
      id: cl.sub,
      email: cl.email,
      role: cl.role,
      jti: cl.jti,
      sid: cl.sid,
      exp: cl.exp,
    });

    await service.logout(actor(a), meta);
    expect(await sessions.accessState(alice.id, a.jti, a.sid!)).toMatchObject({ jtiRevoked: true, sessionActive: false });
    expect(await sessions.accessState(alice.id, b.jti, b.sid!)).toMatchObject({ jtiRevoked: false, sessionActive: true });
    expect(sessions.revokedJtis.get(a.jti)).toEqual(new Date(a.exp! * 1000));

    expect(await service.revokeAll(actor(b), meta)).toBe(2); // b and c; a was already over
    expect(await sessions.accessState(alice.id, c.jti, c.sid!)).toMatchObject({ sessionActive: false });
    expect(audit.events.map((e) => [e.eventType, e.payload])).toEqual([
      ['auth.logout', { session_id: a.sid }],
      ['auth.revoke_all', { sessions: 2 }],
    ]);
  });
});
