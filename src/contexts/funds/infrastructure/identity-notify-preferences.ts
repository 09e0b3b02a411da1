import { Injectable } from '@nestjs/common';
import { UserDirectory } from '../../identity';
import { NotifyPreference, NotifyPreferences } from '../domain/funds.ports';

/**
 * The users' notification preferences from identity's UserDirectory, read at the moment of use so a
 * later change of preference is honoured (the UserRegistered event does not carry it).
 */
@Injectable()
export class IdentityNotifyPreferences extends NotifyPreferences {
  constructor(private readonly users: UserDirectory) {
    super();
  }

  async forUsers(userIds: string[]): Promise<Map<string, NotifyPreference>> {
    const prefs = new Map<string, NotifyPreference>();
    for (const u of await this.users.byIds(userIds))
      if (u.notifyChannel && u.notifyDestination) prefs.set(u.id, { channel: u.notifyChannel, destination: u.notifyDestination });
    return prefs;
  }
}
