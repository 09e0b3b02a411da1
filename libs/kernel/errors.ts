/**
 * The one error type services throw. `kind` decides the HTTP status in the single
 * global filter; `code` is stable so clients and tests can match on it.
 */
export type ErrorKind =
  'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'locked' | 'too_many' | 'dependency' | 'unavailable';

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
