import { User } from './user';

export abstract class UserRepository {
  abstract findById(id: string): Promise<User | null>;
  abstract findByEmail(email: string): Promise<User | null>;
  /** `login` is an email or a username. */
  abstract findByLogin(login: string): Promise<User | null>;
  /** Throws DomainError conflict when the email or username is taken. */
  abstract insert(user: User): Promise<void>;
  abstract updatePasswordHash(id: string, hash: string): Promise<void>;
}

/** bcrypt in production; run off the event loop. */
export abstract class PasswordHasher {
  abstract hash(plain: string): Promise<string>;
  abstract verify(plain: string, hash: string): Promise<boolean>;
}
