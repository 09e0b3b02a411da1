import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { AppConfig } from '@platform/config/app-config';
import { PasswordHasher } from '../domain/identity.ports';

/** bcrypt's async API runs on libuv's thread pool: the event loop stays free. */
@Injectable()
export class BcryptPasswordHasher extends PasswordHasher {
  constructor(private readonly config: AppConfig) {
    super();
  }
  hash(plain: string): Promise<string> {
    return bcrypt.hash(plain, this.config.bcryptCost);
  }
  verify(plain: string, hash: string): Promise<boolean> {
    return bcrypt.compare(plain, hash);
  }
}
