import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { DirectoryUser, UserDirectory } from '../../domain/user-directory';

@Injectable()
export class TypeormUserDirectory extends UserDirectory {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async byId(id: string): Promise<DirectoryUser | null> {
    const [row] = await this.txHost.tx.query(
      'SELECT id, email, coalesce(username, email) AS display_name, role, notify_channel, notify_destination FROM users WHERE id = $1',
      [id],
    );
    if (!row) return null;
    return {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      notifyChannel: row.notify_channel ?? null,
      notifyDestination: row.notify_destination ?? null,
    };
  }

  async idByUsername(username: string): Promise<string | null> {
    const [row] = await this.txHost.tx.query('SELECT id FROM users WHERE lower(username) = lower($1)', [username]);
    return row?.id ?? null;
  }
}
