import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidationOptions,
} from 'class-validator';
import { Decimal } from '@kernel';
import { LOAN_LIMITS, parseDecimal } from '../domain/amounts';
import { LOAN_STATUSES, LoanStatus } from '../domain/loan';

/**
 * A decimal given as a JSON string ("1000.50") or number (1000.5): no exponent,
 * no sign, no thousands separator, at most `scale` decimals, within [min, max].
 */
function IsDecimalIn(opts: { scale: number; min: string; max: string; minExclusive?: boolean }, validation?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isDecimalIn',
      target: object.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be a decimal ${opts.minExclusive ? `greater than ${opts.min}` : `of at least ${opts.min}`} and at most ${opts.max}, with at most ${opts.scale} decimals (e.g. "1000.50")`,
        ...validation,
      },
      validator: {
        validate(value: unknown) {
          const d = parseDecimal(value, opts.scale);
          if (!d) return false;
          return (opts.minExclusive ? d.gt(opts.min) : d.gte(opts.min)) && d.lte(new Decimal(opts.max));
        },
      },
    });
}

const MONEY_DOC =
  'Decimal string with up to 2 decimals (a JSON number is accepted too). Money in responses is always a string with 2 decimals, e.g. "500.00".';

export class ApplyLoanDto {
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'number' }],
    example: '5000.00',
    description: `${MONEY_DOC} Between ${LOAN_LIMITS.minPrincipal} and ${LOAN_LIMITS.maxPrincipal}.`,
  })
  @IsDecimalIn({ scale: 2, min: '0', max: LOAN_LIMITS.maxPrincipal, minExclusive: true })
  principal: string | number;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'number' }],
    example: '12.5',
    description: 'Nominal annual rate in percent (12.5 = 12.5 %/year), 0 to 100, up to 4 decimals.',
  })
  @IsDecimalIn({ scale: LOAN_LIMITS.rateScale, min: '0', max: LOAN_LIMITS.maxAnnualRatePercent })
  annual_rate: string | number;

  @ApiProperty({
    example: 12,
    minimum: LOAN_LIMITS.minTermMonths,
    maximum: LOAN_LIMITS.maxTermMonths,
    description: 'Number of monthly instalments.',
  })
  @IsInt()
  @Min(LOAN_LIMITS.minTermMonths)
  @Max(LOAN_LIMITS.maxTermMonths)
  term_months: number;

  @ApiPropertyOptional({ maxLength: 200, example: 'Home renovation' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  purpose?: string;
}

export class RejectLoanDto {
  @ApiProperty({ maxLength: 500, example: 'Debt-to-income ratio too high' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class PaymentDto {
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'number' }],
    example: '500.00',
    description: `${MONEY_DOC} Greater than 0, not more than the outstanding balance.`,
  })
  @IsDecimalIn({ scale: 2, min: '0', max: LOAN_LIMITS.maxPrincipal, minExclusive: true })
  amount: string | number;

  @ApiProperty({ maxLength: 64, example: 'TRX-2026-0001', description: 'Your payment reference; unique per loan (a repeat is 409).' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/, {
    message: 'reference must be 1-64 letters, digits or ._:/- starting with a letter or digit',
  })
  reference: string;
}

export class ListLoansQuery {
  @ApiPropertyOptional({ enum: LOAN_STATUSES })
  @IsOptional()
  @IsIn(LOAN_STATUSES)
  status?: LoanStatus;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  page_size?: number;
}

export class InstallmentResponse {
  @ApiProperty({ example: 1 }) number: number;
  @ApiProperty({ example: '2026-02-05', format: 'date' }) due_date: string;
  @ApiProperty({ example: '444.24', description: 'principal + interest' }) amount: string;
  @ApiProperty({ example: '394.24' }) principal: string;
  @ApiProperty({ example: '50.00' }) interest: string;
  @ApiProperty({ example: '0.00' }) principal_paid: string;
  @ApiProperty({ example: '0.00' }) interest_paid: string;
  @ApiProperty({ example: '444.24', description: 'still to pay on this instalment' }) remaining: string;
  @ApiProperty({ enum: ['PENDING', 'OVERDUE', 'PAID'] }) status: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) paid_at: string | null;
}

export class LoanResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty({ example: '5000.00' }) principal: string;
  @ApiProperty({ example: '12.5', description: 'percent a year' }) annual_rate: string;
  @ApiProperty({ example: 12 }) term_months: number;
  @ApiProperty({ nullable: true, type: String }) purpose: string | null;
  @ApiProperty({ enum: LOAN_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String, example: '444.24', description: 'the French annuity (set at disbursement)' })
  installment_amount: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '4123.77',
    description: 'principal + interest still due (null before disbursement)',
  })
  outstanding_balance: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date',
    description: 'due date of the oldest open instalment (null in list pages: see GET /api/loans/:id)',
  })
  next_due_date: string | null;
  @ApiProperty({ example: 0 }) days_in_arrears: number;
  @ApiProperty({ nullable: true, type: String }) rejection_reason: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) approved_at: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) rejected_at: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) withdrawn_at: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) disbursed_at: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) closed_at: string | null;
}

export class LoanPageResponse {
  @ApiProperty({ type: [LoanResponse] }) items: LoanResponse[];
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 20 }) page_size: number;
}

export class AllocationResponse {
  @ApiProperty({ example: 1 }) installment_number: number;
  @ApiProperty({ example: '50.00' }) interest: string;
  @ApiProperty({ example: '394.24' }) principal: string;
}

export class PaymentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) loan_id: string;
  @ApiProperty({ example: '500.00' }) amount: string;
  @ApiProperty({ example: 'TRX-2026-0001' }) reference: string;
  @ApiProperty({ type: [AllocationResponse], description: 'oldest instalment first, interest before principal' })
  allocations: AllocationResponse[];
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class PaymentResultResponse extends PaymentResponse {
  @ApiProperty({ enum: LOAN_STATUSES, description: 'CLOSED once paid in full' }) loan_status: string;
  @ApiProperty({ example: '3623.77' }) outstanding_balance: string;
}
