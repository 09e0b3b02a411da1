import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, KeyObject } from 'node:crypto';
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
  /** Parsed once: jsonwebtoken re-parses a string secret on every call. */
  private readonly key: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {
    this.key = createSecretKey(Buffer.from(config.secretKey, 'utf8'));
  }

  issueAccessToken(user: User, sessionId: string): { token: string; jti: string; expiresIn: number } {
    const jti = newId();
    const claims: AccessTokenClaims = { sub: user.id, email: user.email, role: user.role, jti, sid: sessionId };
    const token = this.jwt.sign(claims, {
      algorithm: 'HS256',
      secret: this.key as unknown as string,
      issuer: this.config.jwtIssuer,
      audience: this.config.jwtAudience,
      expiresIn: this.config.accessTokenTtlSeconds,
    });
    return { token, jti, expiresIn: this.config.accessTokenTtlSeconds };
  }
}
