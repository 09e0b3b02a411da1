import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsNumber, IsOptional, IsPositive, IsUUID, Matches, Max, Min } from 'class-validator';

/** COP has no cents here; 1e12 bounds any amount a person could hold. */
export const MAX_AMOUNT = 1_000_000_000_000;

export class SubscribeDto {
  @ApiProperty({
    example: 125000,
    description: 'Whole COP, at least the fund minimum; fractions are refused.',
    minimum: 1,
    maximum: MAX_AMOUNT,
  })
  @IsDefined({ message: 'amount is required' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'amount must be a number' })
  @IsInt({ message: 'amount must be a whole number (COP has no cents)' })
  @IsPositive({ message: 'amount must be positive' })
  @Max(MAX_AMOUNT, { message: `amount must not exceed ${MAX_AMOUNT}` })
  amount: number;
}

export class FundIdParam {
  @ApiProperty({ example: '2', description: 'Fund id (1..5 in the seeded catalogue).' })
  @Matches(/^[1-9][0-9]{0,8}$/, { message: 'fund_id must be a positive integer' })
  fund_id: string;
}

export class TxIdParam {
  @ApiProperty({ format: 'uuid', description: 'The id of the SUBSCRIPTION transaction to cancel.' })
  @IsUUID('all', { message: 'tx_id must be a UUID' })
  tx_id: string;
}

export class HistoryQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the X-Next-Cursor header of the previous page.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'cursor is not a valid cursor' })
  cursor?: string;
}

export class ReportQuery {
  @ApiPropertyOptional({ enum: ['exclusive', 'coverage'], default: 'exclusive' })
  @IsOptional()
  @IsIn(['exclusive', 'coverage'], { message: 'mode must be one of: exclusive, coverage' })
  mode?: 'exclusive' | 'coverage';
}

export class FundResponse {
  @ApiProperty({ example: 2 }) id: number;
  @ApiProperty({ example: 'FPV_BTG_PACTUAL_ECOPETROL' }) name: string;
  @ApiProperty({ example: 125000 }) min_amount: number;
  @ApiProperty({ enum: ['FPV', 'FIC'] }) category: 'FPV' | 'FIC';
  @ApiProperty({ example: 'COP' }) currency: string;
}

export class TransactionResponse {
  @ApiProperty({ format: 'uuid', description: 'The transaction id (same as transaction_id).' }) id: string;
  @ApiProperty({ format: 'uuid' }) transaction_id: string;
  @ApiProperty({ example: 2 }) fund_id: number;
  @ApiProperty({ example: 'FPV_BTG_PACTUAL_ECOPETROL' }) fund_name: string;
  @ApiProperty({ enum: ['SUBSCRIPTION', 'CANCELLATION'] }) type: 'SUBSCRIPTION' | 'CANCELLATION';
  @ApiProperty({ example: 125000 }) amount: number;
  @ApiProperty({ example: 375000, description: 'Account balance right after this transaction.' }) balance_after: number;
  @ApiProperty({ example: 'COP' }) currency: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'On a cancellation: the subscription transaction id.' })
  correlation_id: string | null;
}

export class ActiveSubscriptionResponse {
  @ApiProperty({ format: 'uuid', description: 'The subscription transaction id (cancel with it).' }) subscription_id: string;
  @ApiProperty() fund_id: number;
  @ApiProperty() fund_name: string;
  @ApiProperty({ enum: ['FPV', 'FIC'] }) category: 'FPV' | 'FIC';
  @ApiProperty({ example: 125000 }) amount: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class AccountResponse {
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty({ example: 375000 }) balance: number;
  @ApiProperty({ example: 'COP' }) currency: string;
  @ApiProperty({ example: 125000, description: 'Sum of the active subscriptions.' }) invested: number;
  @ApiProperty({ type: [ActiveSubscriptionResponse] }) subscriptions: ActiveSubscriptionResponse[];
}

export class ReportClientResponse {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'Ana' }) nombre: string;
  @ApiProperty({ example: 'Gómez' }) apellidos: string;
}

export class ReportResponse {
  @ApiProperty({ enum: ['exclusive', 'coverage'] }) mode: 'exclusive' | 'coverage';
  @ApiProperty() description: string;
  @ApiProperty({ type: [String], example: ['Ana Gómez'] }) names: string[];
  @ApiProperty({ type: [ReportClientResponse] }) clients: ReportClientResponse[];
}
