import { ApiProperty, OmitType } from '@nestjs/swagger';
import { ApplyLoanDto } from './loans.dto';

/** The terms of an application without its purpose: same fields, same limits, same messages. */
export class QuoteLoanDto extends OmitType(ApplyLoanDto, ['purpose'] as const) {}

export class QuoteInstallmentResponse {
  @ApiProperty({ example: 1 }) number: number;
  @ApiProperty({ example: '2026-02-05', format: 'date', description: 'if the loan were disbursed today' }) due_date: string;
  @ApiProperty({ example: '444.24', description: 'principal + interest' }) amount: string;
  @ApiProperty({ example: '394.24' }) principal: string;
  @ApiProperty({ example: '50.00' }) interest: string;
  @ApiProperty({ example: '4605.76', description: 'principal still owed after this instalment' }) balance_after: string;
}

export class LoanQuoteResponse {
  @ApiProperty({ example: '5000.00' }) principal: string;
  @ApiProperty({ example: '12', description: 'percent a year' }) annual_rate: string;
  @ApiProperty({ example: 12 }) term_months: number;
  @ApiProperty({ example: '444.24', description: 'the French annuity; the last instalment absorbs the rounding' }) monthly_payment: string;
  @ApiProperty({ example: '330.93' }) total_interest: string;
  @ApiProperty({ example: '5330.93', description: 'principal + total interest' }) total_payable: string;
  @ApiProperty({ type: [QuoteInstallmentResponse] }) schedule: QuoteInstallmentResponse[];
}
