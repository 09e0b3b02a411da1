export type Role = 'user' | 'admin';

/**
 * Who performs a use case. The HTTP guard builds it from a verified access token (its `AuthUser`
 * adds the token's own fields); application services take this, never the guard's type.
 */
export interface Actor {
  id: string;
  email: string;
  role: Role;
}

/** The access token and session an actor's request came with: what logout and revoke-all end. */
export interface SessionActor extends Actor {
  jti: string;
  sid?: string; // session (refresh-token family) id
  exp?: number;
}
