export const isUniqueViolation = (e: unknown): boolean => (e as { code?: string })?.code === '23505';
