export type Role = 'user' | 'admin';
export type NotifyChannel = 'email' | 'sms';

export interface User {
  id: string;
  email: string; // stored lower-case
  username: string | null;
  passwordHash: string;
  fullName: string | null;
  role: Role;
  notifyChannel: NotifyChannel | null;
  notifyDestination: string | null;
  createdAt: Date;
  /** TOTP 2FA on (the secret itself is sealed in the vault). */
  totpEnabled?: boolean;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** The public shape of a user: never the hash. */
export interface PublicUser {
  id: string;
  email: string;
  username: string | null;
  full_name: string | null;
  role: Role;
}

export const toPublicUser = (u: User): PublicUser => ({
  id: u.id,
  email: u.email,
  username: u.username,
  full_name: u.fullName,
  role: u.role,
});
