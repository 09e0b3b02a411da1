import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { newId } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { User } from '../domain/user';

export interface AccessTokenClaims {
  sub: string;
  email: string;
  role: User['role'];
  jti: string;
  sid?: string;
  iat?: number;
  exp?: number;
}

/** HS256 access tokens with iss, aud, exp and a unique jti. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  issueAccessToken(user: User, sessionId?: string): { token: string; jti: string; expiresIn: number } {
    const jti = newId();
    const claims: AccessTokenClaims = { sub: user.id, email: user.email, role: user.role, jti, ...(sessionId ? { sid: sessionId } : {}) };
    const token = this.jwt.sign(claims, {
      algorithm: 'HS256',
      secret: this.config.secretKey,
      issuer: this.config.jwtIssuer,
      audience: this.config.jwtAudience,
      expiresIn: this.config.accessTokenTtlSeconds,
    });
    return { token, jti, expiresIn: this.config.accessTokenTtlSeconds };
  }
}
