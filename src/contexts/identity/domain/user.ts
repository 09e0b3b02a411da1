import type { Role } from '@kernel';

export type { Role };
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
  /** Set by an admin 2FA reset: the next login must enrol a new TOTP secret before any token is issued. */
  totpRequired?: boolean;
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

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{2,}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** Where notifications go must fit the channel: an email, or an E.164 phone for sms. */
export function notifyDestinationProblem(channel: NotifyChannel | undefined, destination: string | undefined): string | null {
  if (!destination) return channel === 'sms' ? 'notify_destination is required for channel sms (an E.164 phone)' : null;
  if (channel === 'sms') return E164.test(destination) ? null : 'notify_destination must be an E.164 phone number such as +573001234567';
  return EMAIL.test(destination) ? null : 'notify_destination must be an email address for channel email';
}
