import { Injectable } from '@nestjs/common';
import { AuthUser } from './auth.decorators';

/**
 * Who a bearer token belongs to. The identity context registers how (verify the token, check its session
 * and revocation) when its module starts; the global JwtAuthGuard asks. A registry rather than a port the
 * guard injects, because the platform's guard may not import a context (as with SeedRegistry).
 */
@Injectable()
export class BearerAuthenticator {
  private resolve?: (token: string) => Promise<AuthUser>;

  use(resolve: (token: string) => Promise<AuthUser>): void {
    this.resolve = resolve;
  }

  /** Throws when the token is refused: a DomainError (its code is the reason) or the token library's error. */
  authenticate(token: string): Promise<AuthUser> {
    if (!this.resolve) throw new Error('no bearer-token authenticator registered (the identity module registers it)');
    return this.resolve(token);
  }
}
