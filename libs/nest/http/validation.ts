import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function flatten(errors: ValidationError[], parent = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Every bad field listed; unknown fields refused (whitelist + forbidNonWhitelisted). */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => {
    const list = flatten(errors);
    const message = `Validation failed: ${list.map((e) => `${e.field}: ${e.messages.join(', ')}`).join('; ')}`;
    return new BadRequestException({ message, errors: list, code: 'validation_failed' });
  },
});
