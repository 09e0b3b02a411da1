import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { createSecretKey } from 'node:crypto';
import { AppConfig } from '@platform/config/app-config';
import { AuthUser } from '@platform/auth/auth.decorators';
import { AuthService } from '../application/auth.service';
import { AccessTokenClaims } from '../application/token.service';

/** Only HS256 with our issuer and audience; `alg: none` and RS/ES tokens are refused. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails)
      // to parse it as a public key on EVERY verify, which was the top CPU cost per request.
      secretOrKey: createSecretKey(Buffer.from(config.secretKey, 'utf8')) as unknown as string,
      algorithms: ['HS256'],
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessTokenClaims): Promise<AuthUser> {
    return this.auth.resolveAccessToken(claims);
  }
}
