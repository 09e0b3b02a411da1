import { NotifyChannel, Role } from './user';

/** What other contexts may read about a user: never the password hash, the TOTP state or the sessions. */
export interface DirectoryUser {
  id: string;
  email: string;
  /** Username, else email: for log lines and messages. */
  displayName: string;
  role: Role;
  notifyChannel: NotifyChannel | null;
  notifyDestination: string | null;
}

/**
 * Identity's read contract for the other contexts (published in identity's index.ts): no other
 * context reads identity's tables. Reads run in the caller's transaction, at the moment of use,
 * so a later change of preference is honoured.
 */
export abstract class UserDirectory {
  abstract byId(id: string): Promise<DirectoryUser | null>;
  /** Many at once (one read); ids not found are left out. */
  abstract byIds(ids: string[]): Promise<DirectoryUser[]>;
  /**
   * The user's display name (username, else email). Both are set once, at registration, and never
   * change, so an answer may come from a per-process cache (no query on a hit): for log lines.
   */
  abstract displayName(id: string): Promise<string | null>;
  /** Case-insensitive username match. */
  abstract idByUsername(username: string): Promise<string | null>;
}
