import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SeedRegistry } from '@platform/seed/seed.registry';
import { IdentityModule } from '../identity';
import { DemoLoanSeeder } from './application/demo-loan.seeder';
import { LoansService } from './application/loans.service';
import { OverdueJob } from './application/overdue.service';
import { PaymentsService } from './application/payments.service';
import { LoanRepository, LoanUserDirectory } from './domain/loans.ports';
import { LoansController } from './http/loans.controller';
import { InstallmentEntity, LoanEntity, PaymentEntity } from './infrastructure/postgres/loan.records';
import { IdentityLoanUserDirectory } from './infrastructure/identity-loan-user-directory';
import { TypeormLoanRepository } from './infrastructure/postgres/typeorm-loan.repository';

/** Loans (seed 001): application -> approval -> disbursement -> payments -> closing. */
@Module({
  imports: [TypeOrmModule.forFeature([LoanEntity, InstallmentEntity, PaymentEntity]), IdentityModule],
  controllers: [LoansController],
  providers: [
    LoansService,
    PaymentsService,
    OverdueJob,
    DemoLoanSeeder,
    { provide: LoanRepository, useClass: TypeormLoanRepository },
    { provide: LoanUserDirectory, useClass: IdentityLoanUserDirectory },
  ],
})
export class LoansModule implements OnModuleInit {
  constructor(
    private readonly seeds: SeedRegistry,
    private readonly demoLoan: DemoLoanSeeder,
  ) {}

  onModuleInit(): void {
    this.seeds.register({ name: 'demo-loan', order: 30, devOnly: true, run: () => this.demoLoan.run() });
  }
}
