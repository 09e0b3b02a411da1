import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { LoanUserDirectory } from '../../domain/loans.ports';

/**
 * Reads identity's `users` table with plain read-only SQL instead of importing
 * the identity context: loans only needs an id for a username and a name for a log line.
 */
@Injectable()
export class SqlLoanUserDirectory extends LoanUserDirectory {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async idByUsername(username: string): Promise<string | null> {
    const [row] = await this.txHost.tx.query('SELECT id FROM users WHERE lower(username) = lower($1)', [username]);
    return row?.id ?? null;
  }

  async displayName(userId: string): Promise<string | null> {
    const [row] = await this.txHost.tx.query('SELECT coalesce(username, email) AS name FROM users WHERE id = $1', [userId]);
    return row?.name ?? null;
  }
}
