import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { isUniqueViolation } from '@platform/persistence/postgres-errors';
import { DomainError } from '@kernel';
import { UserRepository } from '../../domain/identity.ports';
import { normalizeEmail, User } from '../../domain/user';
import { UserEntity, UserRecord } from './user.record';

const toUser = (r: UserRecord): User => ({
  id: r.id,
  email: r.email,
  username: r.username,
  passwordHash: r.password_hash,
  fullName: r.full_name,
  role: r.role,
  notifyChannel: r.notify_channel,
  notifyDestination: r.notify_destination,
  createdAt: r.created_at,
  totpEnabled: r.totp_enabled ?? false,
  totpRequired: r.totp_required ?? false,
});

@Injectable()
export class TypeormUserRepository extends UserRepository {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  private get repo() {
    return this.txHost.tx.getRepository(UserEntity);
  }

  async findById(id: string): Promise<User | null> {
    const r = await this.repo.findOneBy({ id });
    return r ? toUser(r) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const r = await this.repo.findOneBy({ email: normalizeEmail(email) });
    return r ? toUser(r) : null;
  }

  async findByLogin(login: string): Promise<User | null> {
    const value = login.trim();
    if (!value) return null;
    const r = value.includes('@')
      ? await this.repo.findOneBy({ email: normalizeEmail(value) })
      : await this.repo.createQueryBuilder('u').where('lower(u.username) = lower(:v)', { v: value }).getOne();
    return r ? toUser(r) : null;
  }

  async insert(user: User): Promise<void> {
    try {
      await this.repo.insert({
        id: user.id,
        email: user.email,
        username: user.username,
        password_hash: user.passwordHash,
        full_name: user.fullName,
        role: user.role,
        notify_channel: user.notifyChannel,
        notify_destination: user.notifyDestination,
        created_at: user.createdAt,
        updated_at: user.createdAt,
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        const which = /username/.test(String((e as { detail?: string }).detail ?? (e as Error).message)) ? 'username' : 'email';
        throw DomainError.conflict(`${which}_taken`, `That ${which} is already registered`);
      }
      throw e;
    }
  }

  async updatePasswordHash(id: string, hash: string): Promise<void> {
    await this.repo.update({ id }, { password_hash: hash, updated_at: new Date() });
  }
}
