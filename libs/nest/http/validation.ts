import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, validationMessage } from '@kernel';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** A NUL byte (PostgreSQL refuses it in text) or a UTF-16 surrogate without its pair (not Unicode text at all). */
const UNSAFE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_MESSAGE = 'must not contain NUL bytes or unpaired UTF-16 surrogates';
const MAX_DEPTH = 32;

/** Every string (values and keys) in a body, query or path parameter, checked before any DTO rule. */
export function unsafeTextFields(value: unknown, path: string, out: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') {
    if (UNSAFE_TEXT.test(value)) out.push(path);
  } else if (value !== null && typeof value === 'object' && depth < MAX_DEPTH) {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, v] of entries) {
      const safeKey = UNSAFE_TEXT.test(key) ? '(invalid key)' : key;
      const child = path ? `${path}.${safeKey}` : safeKey;
      if (safeKey !== key) out.push(child);
      else unsafeTextFields(v, child, out, depth + 1);
    }
  }
  return out;
}

function validationFailed(list: FieldError[], code = 'validation_failed'): BadRequestException {
  return new BadRequestException({ message: validationMessage(list), errors: list, code });
}

/**
 * The one validation step for every DTO: text that PostgreSQL or the validators cannot take is refused first
 * (400 naming the field), then class-validator runs; every bad field listed; unknown fields refused.
 */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const bad = unsafeTextFields(value, metadata.data ?? '');
      if (bad.length)
        throw validationFailed(
          bad.map((field) => ({ field: field || metadata.type, messages: [`${field || metadata.type} ${UNSAFE_MESSAGE}`] })),
          'invalid_text',
        );
    }
    return super.transform(value, metadata);
  }
}

export const validationPipe = new AppValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => validationFailed(flatten(errors)),
});
