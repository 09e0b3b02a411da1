interface PgError {
  code?: string;
  constraint?: string;
  message?: string;
}

/**
 * PostgreSQL's unique_violation (SQLSTATE 23505), optionally on one constraint or index.
 * TypeORM's QueryFailedError copies the driver's `code` and `constraint` onto itself; the
 * message names the index when the driver leaves `constraint` out.
 */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as PgError | null | undefined;
  if (err?.code !== '23505') return false;
  return constraint === undefined || String(err.constraint ?? err.message).includes(constraint);
}
