import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { DirectoryUser, UserDirectory } from '../../domain/user-directory';

const MAX_NAMES = 10_000;
const SELECT_USER = 'SELECT id, email, coalesce(username, email) AS display_name, role, notify_channel, notify_destination FROM users';

function toDirectoryUser(row: Record<string, any>): DirectoryUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    notifyChannel: row.notify_channel ?? null,
    notifyDestination: row.notify_destination ?? null,
  };
}

@Injectable()
export class TypeormUserDirectory extends UserDirectory {
  /** Display names never change (see the port): bounded, dropped whole when full. */
  private readonly names = new Map<string, string>();

  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async displayName(id: string): Promise<string | null> {
    const hit = this.names.get(id);
    if (hit !== undefined) return hit;
    const [row] = await this.txHost.tx.query('SELECT coalesce(username, email) AS display_name FROM users WHERE id = $1', [id]);
    if (!row) return null;
    if (this.names.size >= MAX_NAMES) this.names.clear();
    this.names.set(id, row.display_name);
    return row.display_name;
  }

  async byId(id: string): Promise<DirectoryUser | null> {
    const [row] = await this.txHost.tx.query(`${SELECT_USER} WHERE id = $1`, [id]);
    return row ? toDirectoryUser(row) : null;
  }

  async byIds(ids: string[]): Promise<DirectoryUser[]> {
    if (!ids.length) return [];
    const rows: Record<string, unknown>[] = await this.txHost.tx.query(`${SELECT_USER} WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map(toDirectoryUser);
  }

  async idByUsername(username: string): Promise<string | null> {
    const [row] = await this.txHost.tx.query('SELECT id FROM users WHERE lower(username) = lower($1)', [username]);
    return row?.id ?? null;
  }
}
