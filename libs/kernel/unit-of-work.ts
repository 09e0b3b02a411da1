/**
 * Port for "this use case is one transaction". Everything written through
 * repositories and the outbox inside `run` commits or rolls back together; nested
 * calls join the outer transaction. After the outermost commit the outbox relay is
 * nudged so documents reach the document store at once.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Inside `run`: the writes `work` makes whose results nobody reads (inserts of rows, outbox and audit
   * documents) go to the database together, as one statement, when `work` ends; their errors surface
   * there. `work` must not read what it writes.
   */
  abstract batch<T>(work: () => Promise<T>): Promise<T>;
}
