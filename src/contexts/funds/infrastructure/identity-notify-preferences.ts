import { Injectable } from '@nestjs/common';
import { UserDirectory } from '../../identity';
import { NotifyPreference, NotifyPreferences } from '../domain/funds.ports';

/**
 * The user's notification preference from identity's UserDirectory, read at the moment of use so a
 * later change of preference is honoured (the UserRegistered event does not carry it).
 */
@Injectable()
export class IdentityNotifyPreferences extends NotifyPreferences {
  constructor(private readonly users: UserDirectory) {
    super();
  }

  async forUser(userId: string): Promise<NotifyPreference | null> {
    const user = await this.users.byId(userId);
    if (!user?.notifyChannel || !user.notifyDestination) return null;
    return { channel: user.notifyChannel, destination: user.notifyDestination };
  }
}
