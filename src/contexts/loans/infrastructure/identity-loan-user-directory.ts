import { Injectable } from '@nestjs/common';
import { UserDirectory } from '../../identity';
import { LoanUserDirectory } from '../domain/loans.ports';

/** Loans needs an id for a username and a name for a log line: both from identity's UserDirectory. */
@Injectable()
export class IdentityLoanUserDirectory extends LoanUserDirectory {
  constructor(private readonly users: UserDirectory) {
    super();
  }

  idByUsername(username: string): Promise<string | null> {
    return this.users.idByUsername(username);
  }

  displayName(userId: string): Promise<string | null> {
    return this.users.displayName(userId); // cached by identity: display names never change
  }
}
