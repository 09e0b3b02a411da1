import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestMeta } from '@kernel';
import { AuthUser, CurrentUser, Roles } from '@platform/auth/auth.decorators';
import { Meta } from '@platform/http/request-meta.decorator';
import { Idempotent } from '@platform/idempotency/idempotency.interceptor';
import { LoansService, LoanView } from '../application/loans.service';
import { PaymentsService } from '../application/payments.service';
import { formatMoney } from '../domain/amounts';
import { Installment, installmentAmount, installmentRemaining, Loan } from '../domain/loan';
import { Payment } from '../domain/loans.ports';
import {
  ApplyLoanDto,
  InstallmentResponse,
  ListLoansQuery,
  LoanPageResponse,
  LoanResponse,
  PaymentDto,
  PaymentResponse,
  PaymentResultResponse,
  RejectLoanDto,
} from './loans.dto';
import { LoanQuoteResponse, QuoteLoanDto } from './loan-quote.dto';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toLoanResponse(loan: Loan, installments?: Installment[]): LoanResponse {
  const p = loan.snapshot();
  const hasSchedule = installments !== undefined && installments.length > 0;
  return {
    id: p.id,
    user_id: p.userId,
    principal: formatMoney(p.principal),
    annual_rate: p.annualRate.toString(),
    term_months: p.termMonths,
    purpose: p.purpose,
    status: p.status,
    installment_amount: p.installmentAmount ? formatMoney(p.installmentAmount) : null,
    outstanding_balance: p.outstanding ? formatMoney(p.outstanding) : null,
    next_due_date: hasSchedule ? (installments.find((i) => i.status !== 'PAID')?.dueDate ?? null) : null,
    days_in_arrears: p.daysInArrears,
    rejection_reason: p.rejectionReason,
    created_at: p.createdAt.toISOString(),
    approved_at: iso(p.approvedAt),
    rejected_at: iso(p.rejectedAt),
    withdrawn_at: iso(p.withdrawnAt),
    disbursed_at: iso(p.disbursedAt),
    closed_at: iso(p.closedAt),
  };
}

const viewResponse = (v: LoanView) => toLoanResponse(v.loan, v.installments);

const toInstallmentResponse = (i: Installment): InstallmentResponse => ({
  number: i.number,
  due_date: i.dueDate,
  amount: formatMoney(installmentAmount(i)),
  principal: formatMoney(i.principalDue),
  interest: formatMoney(i.interestDue),
  principal_paid: formatMoney(i.principalPaid),
  interest_paid: formatMoney(i.interestPaid),
  remaining: formatMoney(installmentRemaining(i)),
  status: i.status,
  paid_at: iso(i.paidAt),
});

const toPaymentResponse = (p: Payment): PaymentResponse => ({
  id: p.id,
  loan_id: p.loanId,
  amount: formatMoney(p.amount),
  reference: p.reference,
  allocations: p.allocations.map((a) => ({
    installment_number: a.installmentNumber,
    interest: formatMoney(a.interest),
    principal: formatMoney(a.principal),
  })),
  created_at: p.createdAt.toISOString(),
});

@ApiTags('loans')
@ApiBearerAuth()
@Controller('api/loans')
export class LoansController {
  constructor(
    private readonly loans: LoansService,
    private readonly payments: PaymentsService,
  ) {}

  @Post()
  @Idempotent({ databaseOnly: true })
  @ApiOperation({ summary: 'Apply for a loan (SUBMITTED). A second open application (SUBMITTED or APPROVED) is 409.' })
  @ApiCreatedResponse({ type: LoanResponse })
  async apply(@CurrentUser() user: AuthUser, @Body() dto: ApplyLoanDto, @Meta() meta: RequestMeta): Promise<LoanResponse> {
    const loan = await this.loans.apply(
      user,
      { principal: dto.principal, annualRate: dto.annual_rate, termMonths: dto.term_months, purpose: dto.purpose },
      meta,
    );
    return toLoanResponse(loan);
  }

  @Post('quote')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Quote a loan: the monthly payment, total interest and full schedule, creating nothing.',
    description:
      'The same French amortization (exact cents, the last instalment absorbing the rounding) that a disbursement of these terms would create today. Nothing is stored or audited. Bad terms are a 400 naming each field.',
  })
  @ApiOkResponse({ type: LoanQuoteResponse })
  quote(@Body() dto: QuoteLoanDto): LoanQuoteResponse {
    const q = this.loans.quote({ principal: dto.principal, annualRate: dto.annual_rate, termMonths: dto.term_months });
    return {
      principal: formatMoney(q.principal),
      annual_rate: q.annualRate.toString(),
      term_months: q.termMonths,
      monthly_payment: formatMoney(q.installment),
      total_interest: formatMoney(q.totalInterest),
      total_payable: formatMoney(q.totalPayable),
      schedule: q.schedule.map((r) => ({
        number: r.number,
        due_date: r.dueDate,
        amount: formatMoney(r.amount),
        principal: formatMoney(r.principal),
        interest: formatMoney(r.interest),
        balance_after: formatMoney(r.balanceAfter),
      })),
    };
  }

  @Get()
  @ApiOperation({ summary: "Your loans, newest first (admins: everyone's), optionally by status, paged." })
  @ApiOkResponse({ type: LoanPageResponse })
  async list(@CurrentUser() user: AuthUser, @Query() q: ListLoansQuery): Promise<LoanPageResponse> {
    const page = q.page ?? 1;
    const pageSize = q.page_size ?? 20;
    const { items, total } = await this.loans.list(user, { status: q.status, page, pageSize });
    return { items: items.map((l) => toLoanResponse(l)), total, page, page_size: pageSize };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One loan (owner or admin; anyone else gets 404).' })
  @ApiOkResponse({ type: LoanResponse })
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<LoanResponse> {
    return viewResponse(await this.loans.get(user, id));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Admin: SUBMITTED -> APPROVED (409 naming the current state otherwise).' })
  @ApiOkResponse({ type: LoanResponse })
  async approve(@CurrentUser() user: AuthUser, @Param('id') id: string, @Meta() meta: RequestMeta): Promise<LoanResponse> {
    return viewResponse(await this.loans.approve(user, id, meta));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Admin: SUBMITTED -> REJECTED with a reason.' })
  @ApiOkResponse({ type: LoanResponse })
  async reject(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: RejectLoanDto,
    @Meta() meta: RequestMeta,
  ): Promise<LoanResponse> {
    return viewResponse(await this.loans.reject(user, id, dto.reason, meta));
  }

  @Post(':id/disburse')
  @HttpCode(200)
  @Roles('admin')
  @Idempotent({ databaseOnly: true })
  @ApiOperation({ summary: 'Admin: APPROVED -> ACTIVE; creates the monthly French-amortization schedule.' })
  @ApiOkResponse({ type: LoanResponse })
  async disburse(@CurrentUser() user: AuthUser, @Param('id') id: string, @Meta() meta: RequestMeta): Promise<LoanResponse> {
    return viewResponse(await this.loans.disburse(user, id, meta));
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Applicant: SUBMITTED -> WITHDRAWN.' })
  @ApiOkResponse({ type: LoanResponse })
  async withdraw(@CurrentUser() user: AuthUser, @Param('id') id: string, @Meta() meta: RequestMeta): Promise<LoanResponse> {
    return viewResponse(await this.loans.withdraw(user, id, meta));
  }

  @Get(':id/installments')
  @ApiOperation({ summary: 'The schedule (empty before disbursement).' })
  @ApiOkResponse({ type: [InstallmentResponse] })
  async installments(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<InstallmentResponse[]> {
    return (await this.loans.installments(user, id)).map(toInstallmentResponse);
  }

  @Post(':id/payments')
  @Idempotent({ databaseOnly: true })
  @ApiOperation({
    summary:
      'Pay (owner or admin): oldest open instalment first, interest before principal. More than the outstanding balance: 400; a reused reference: 409; paid in full: CLOSED.',
  })
  @ApiCreatedResponse({ type: PaymentResultResponse })
  async pay(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: PaymentDto,
    @Meta() meta: RequestMeta,
  ): Promise<PaymentResultResponse> {
    const r = await this.payments.pay(user, id, { amount: dto.amount, reference: dto.reference }, meta);
    return { ...toPaymentResponse(r.payment), loan_status: r.loan.status, outstanding_balance: r.outstanding };
  }

  @Get(':id/payments')
  @ApiOperation({ summary: 'Payments on a loan, oldest first.' })
  @ApiOkResponse({ type: [PaymentResponse] })
  async listPayments(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<PaymentResponse[]> {
    return (await this.payments.list(user, id)).map(toPaymentResponse);
  }
}
