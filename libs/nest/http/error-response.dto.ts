import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One field that failed validation. */
export class FieldErrorResponse {
  @ApiProperty({ example: 'email' }) field: string;
  @ApiProperty({ type: [String], example: ['email must be a valid email address'] }) messages: string[];
}

/** The body of every error (see error-body.ts / GlobalErrorFilter). */
export class ErrorResponse {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'Bad Request', description: 'HTTP reason phrase of statusCode.' }) error: string;
  @ApiProperty({ example: 'Validation failed: email: email must be a valid email address' }) message: string;
  @ApiProperty({ description: 'Same as message (for clients that read `detail`).' }) detail: string;
  @ApiPropertyOptional({ example: 'validation_failed', description: 'Machine-readable error code, when known.' }) code?: string;
  @ApiPropertyOptional({ type: [FieldErrorResponse], description: 'Per-field validation problems (400).' }) errors?: FieldErrorResponse[];
  @ApiProperty({ example: 'abc-123', description: 'The X-Request-Id of the request.' }) request_id: string;
}
