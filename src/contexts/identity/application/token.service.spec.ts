import { JwtService } from '@nestjs/jwt';
import { generateSecretKey } from '@platform/config/load-config';
import { unitConfig } from '../../../../test/fakes/kernel-in-memory';
import { User } from '../domain/user';
import { TokenService } from './token.service';

const user = { id: 'u-1', email: 'u@test.com', role: 'user' } as User;

describe('TokenService.verifyAccessToken', () => {
  afterEach(() => jest.useRealTimers());

  it('verifies a token once and answers its claims again from memory until it expires, then refuses it', () => {
    jest.useFakeTimers().setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const jwt = new JwtService({});
    const tokens = new TokenService(jwt, unitConfig({ ACCESS_TOKEN_TTL_SECONDS: '60' }));
    const { token, jti } = tokens.issueAccessToken(user, 's-1');
    const verify = jest.spyOn(jwt, 'verify');
    expect(tokens.verifyAccessToken(token)).toMatchObject({ sub: 'u-1', jti, sid: 's-1' });
    expect(tokens.verifyAccessToken(token)).toMatchObject({ sub: 'u-1', jti });
    expect(verify).toHaveBeenCalledTimes(1);
    jest.setSystemTime(new Date('2026-01-01T00:01:00Z')); // exp reached
    expect(() => tokens.verifyAccessToken(token)).toThrow('jwt expired');
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('refuses a token whose signature, issuer or audience is not ours, every time', () => {
    const tokens = new TokenService(new JwtService({}), unitConfig());
    const other = new TokenService(new JwtService({}), unitConfig()); // another SECRET_KEY
    const { token } = other.issueAccessToken(user, 's-1');
    expect(() => tokens.verifyAccessToken(token)).toThrow('invalid signature');
    expect(() => tokens.verifyAccessToken(token)).toThrow('invalid signature');
    const [h, p] = tokens.issueAccessToken(user, 's-1').token.split('.');
    expect(() => tokens.verifyAccessToken(`${h}.${p}.`)).toThrow();
    const key = generateSecretKey();
    const ours = new TokenService(new JwtService({}), unitConfig({ SECRET_KEY: key }));
    const forOthers = new TokenService(new JwtService({}), unitConfig({ SECRET_KEY: key, JWT_AUDIENCE: 'someone-else' }));
    const fromOthers = new TokenService(new JwtService({}), unitConfig({ SECRET_KEY: key, JWT_ISSUER: 'someone-else' }));
    expect(() => ours.verifyAccessToken(forOthers.issueAccessToken(user, 's-1').token)).toThrow('jwt audience invalid');
    expect(() => ours.verifyAccessToken(fromOthers.issueAccessToken(user, 's-1').token)).toThrow('jwt issuer invalid');
  });
});
