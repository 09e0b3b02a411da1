/**
 * The one error type services throw. `kind` decides the HTTP status in the single
 * global filter; `code` is stable so clients and tests can match on it.
 */
export type ErrorKind =
  'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'locked' | 'too_many' | 'dependency' | 'unavailable';

/** One bad field of a request, as every 400 lists it. */
export interface FieldError {
  field: string;
  messages: string[];
}

/** `Validation failed: a: m1, m2; b: m3`: the message of every validation 400 (the DTO pipe's and the services'). */
export const validationMessage = (errors: readonly FieldError[]): string =>
  `Validation failed: ${errors.map((e) => `${e.field}: ${e.messages.join(', ')}`).join('; ')}`;

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalid(code: string, message: string, details?: Record<string, unknown>) {
    return new DomainError('invalid', code, message, details);
  }
  /** The 400 that names every bad field: `{ code, message, errors, ...details }` in the body. */
  static validation(errors: FieldError[], opts: { code?: string; message?: string; details?: Record<string, unknown> } = {}) {
    return new DomainError('invalid', opts.code ?? 'validation_failed', opts.message ?? validationMessage(errors), {
      errors,
      ...opts.details,
    });
  }
  /**
   * `validation` for one field and one message. `summary`: what the top-level message says after `field: `,
   * where it is shorter than the listed message (`limit: must be ...` beside `limit must be ...`).
   */
  static invalidField(field: string, message: string, opts: { code?: string; summary?: string; details?: Record<string, unknown> } = {}) {
    const { summary, ...rest } = opts;
    return DomainError.validation([{ field, messages: [message] }], {
      ...rest,
      ...(summary === undefined ? {} : { message: validationMessage([{ field, messages: [summary] }]) }),
    });
  }
  static unauthorized(code: string, message: string) {
    return new DomainError('unauthorized', code, message);
  }
  static forbidden(code: string, message: string) {
    return new DomainError('forbidden', code, message);
  }
  static notFound(code: string, message: string) {
    return new DomainError('not_found', code, message);
  }
  static conflict(code: string, message: string, details?: Record<string, unknown>) {
    return new DomainError('conflict', code, message, details);
  }
  static dependency(code: string, message: string, details?: Record<string, unknown>) {
    return new DomainError('dependency', code, message, details);
  }
}
