/**
 * A package required on first use instead of when its importer is loaded: for the
 * ones the server needs only when configured or when an exchange call happens. On
 * this machine `node -e "require('<name>')"` costs mongodb 186 ms of CPU (159
 * modules), ioredis 82 ms (55), nodemailer 67 ms (39), ccxt ~400 ms; several times
 * that under Jest, which loads every module again for each spec file. The types come
 * from `import type` / `typeof import('<name>')`.
 */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the point: required on first use, not at import
  return () => (loaded ??= require(name) as T);
}
