import { Decimal, DomainError } from '@kernel';
import { StaleGuard } from './kernel-in-memory';
import { Installment, installmentRemaining, Loan, OPEN_APPLICATION } from '../../src/contexts/loans/domain/loan';
import {
  LoanFilter,
  LoanRepository,
  LoanUserDirectory,
  Payment,
  PaymentRead,
  PaymentView,
} from '../../src/contexts/loans/domain/loans.ports';

/** In-memory LoanRepository for unit tests: same contract, same conflicts. */
export class InMemoryLoanRepository extends LoanRepository {
  readonly loans = new Map<string, Loan>();
  readonly schedule = new Map<string, Installment[]>();
  readonly paid: Payment[] = [];
  /** Bumped by every write of a loan or its instalments, as the table's column is. */
  readonly versions = new Map<string, number>();
  private bump(loanId: string) {
    this.versions.set(loanId, (this.versions.get(loanId) ?? 0) + 1);
  }

  async insert(loan: Loan): Promise<void> {
    const open = [...this.loans.values()].some((l) => l.userId === loan.userId && OPEN_APPLICATION.includes(l.status));
    if (open && OPEN_APPLICATION.includes(loan.status))
      throw DomainError.conflict('open_application_exists', 'You already have an open loan application');
    this.loans.set(loan.id, Loan.restore(loan.snapshot()));
  }
  async findById(id: string) {
    const l = this.loans.get(id);
    return l ? Loan.restore(l.snapshot()) : null;
  }
  lockById(id: string) {
    return this.findById(id);
  }
  async update(loan: Loan) {
    this.loans.set(loan.id, Loan.restore(loan.snapshot()));
    this.bump(loan.id);
  }
  /** Checked before anything is written, as `UnitOfWork.once` needs of a fake. */
  async updateIfUnchanged(loan: Loan, version: number) {
    if ((this.versions.get(loan.id) ?? 0) !== version) throw new StaleGuard();
    await this.update(loan);
  }
  async list(f: LoanFilter) {
    const all = [...this.loans.values()].filter((l) => (!f.userId || l.userId === f.userId) && (!f.status || l.status === f.status));
    return { items: all.slice(f.offset, f.offset + f.limit), total: all.length };
  }
  async insertInstallments(list: Installment[]) {
    for (const i of list) this.schedule.set(i.loanId, [...(this.schedule.get(i.loanId) ?? []), { ...i }]);
  }
  async installments(loanId: string) {
    return (this.schedule.get(loanId) ?? []).map((i) => ({ ...i }));
  }
  async updateInstallments(list: Installment[]) {
    for (const i of list) {
      const all = this.schedule.get(i.loanId)!;
      all[all.findIndex((x) => x.number === i.number)] = { ...i };
    }
  }
  async paymentView(loanId: string, amount: Decimal, reference: string): Promise<PaymentView> {
    const open = (await this.installments(loanId)).filter((i) => i.status !== 'PAID');
    const reached: Installment[] = [];
    let before = new Decimal(0);
    for (const i of open) {
      reached.push(i);
      if (before.gte(amount)) break; // the next unpaid one
      before = before.plus(installmentRemaining(i));
    }
    return {
      open: reached,
      duplicateReference: this.paid.some((p) => p.loanId === loanId && p.reference === reference),
    };
  }
  async readForPayment(loanId: string, amount: Decimal, reference: string): Promise<PaymentRead | null> {
    const loan = await this.findById(loanId);
    return loan ? { loan, version: this.versions.get(loanId) ?? 0, view: await this.paymentView(loanId, amount, reference) } : null;
  }
  async insertPayment(p: Payment) {
    this.paid.push(p);
  }
  async payments(loanId: string) {
    return this.paid.filter((p) => p.loanId === loanId);
  }
  async markOverdue(today: string) {
    const out: { loanId: string; number: number }[] = [];
    for (const [loanId, list] of this.schedule) {
      if (this.loans.get(loanId)?.status !== 'ACTIVE') continue;
      for (const i of list)
        if (i.status === 'PENDING' && i.dueDate < today) {
          i.status = 'OVERDUE';
          out.push({ loanId, number: i.number });
          this.bump(loanId);
        }
    }
    return out;
  }
  async loansInArrears(today: string) {
    return [...this.schedule.entries()]
      .filter(([id, list]) => this.loans.get(id)?.status === 'ACTIVE' && list.some((i) => i.status !== 'PAID' && i.dueDate < today))
      .map(([id]) => id);
  }
}

export class InMemoryUserDirectory extends LoanUserDirectory {
  constructor(readonly users: Record<string, string> = {}) {
    super();
  }
  async idByUsername(username: string) {
    return Object.entries(this.users).find(([, name]) => name === username)?.[0] ?? null;
  }
  async displayName(id: string) {
    return this.users[id] ?? null;
  }
}
