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

const ENROLMENT = 'totp-enrolment';
const MAX_VERIFIED = 10_000;
const ENROLMENT_TTL_SECONDS = 600;

/** HS256 access tokens with iss, aud, exp and a unique jti. */
@Injectable()
export class TokenService {
  /** Parsed once: jsonwebtoken re-parses a string secret on every call. */
  private readonly key: KeyObject;
  /** Access tokens that verified, until they expire (bounded; dropped whole when full). */
  private readonly verified = new Map<string, Readonly<AccessTokenClaims>>();

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {
    this.key = createSecretKey(Buffer.from(config.secretKey, 'utf8'));
  }

  /** For the mandatory 2FA enrolment only: another audience, so it is never accepted as an access token. */
  issueEnrolmentToken(user: User): { token: string; expiresIn: number } {
    const token = this.jwt.sign(
      { sub: user.id, purpose: ENROLMENT },
      {
        algorithm: 'HS256',
        secret: this.key as unknown as string,
        issuer: this.config.jwtIssuer,
        audience: this.enrolmentAudience,
        expiresIn: ENROLMENT_TTL_SECONDS,
      },
    );
    return { token, expiresIn: ENROLMENT_TTL_SECONDS };
  }

  /** The user id of a valid, unexpired enrolment token; null otherwise. */
  verifyEnrolmentToken(token: string): string | null {
    try {
      const claims = this.jwt.verify<{ sub: string; purpose: string }>(token, {
        algorithms: ['HS256'],
        secret: this.key as unknown as string,
        issuer: this.config.jwtIssuer,
        audience: this.enrolmentAudience,
      });
      return claims.purpose === ENROLMENT && typeof claims.sub === 'string' ? claims.sub : null;
    } catch {
      return null;
    }
  }

  private get enrolmentAudience(): string {
    return `${this.config.jwtAudience}:${ENROLMENT}`;
  }

  /**
   * The claims of an access token with a valid HS256 signature, our issuer and audience, unexpired; throws
   * the token library's error otherwise (`alg: none` and RS/ES tokens are refused). Whether its session
   * still holds is AuthService.resolveAccessToken's question, asked on every request.
   * A token string that verified once verifies the same way until its `exp` (the signature covers every
   * claim), so it is kept and only its expiry is checked again: the HMAC and the library's option handling
   * were most of an authenticated request's CPU (issue 16). An expired one is verified afresh (and refused).
   */
  verifyAccessToken(token: string): AccessTokenClaims {
    const hit = this.verified.get(token);
    if (hit && hit.exp! > Date.now() / 1000) return hit;
    if (hit) this.verified.delete(token);
    const claims = this.jwt.verify<AccessTokenClaims>(token, {
      algorithms: ['HS256'],
      secret: this.key as unknown as string,
      issuer: this.config.jwtIssuer,
      audience: this.config.jwtAudience,
    });
    if (typeof claims.exp === 'number') {
      if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
      this.verified.set(token, Object.freeze(claims));
    }
    return claims;
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
