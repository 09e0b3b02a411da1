/**
 * Port for "this use case is one transaction". Everything written through
 * repositories and the outbox inside `run` commits or rolls back together; nested
 * calls join the outer transaction. After the outermost commit the outbox relay is
 * nudged so documents reach the document store at once.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
}

/** For unit tests: runs the work with no transaction. */
export class ImmediateUnitOfWork extends UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }
}
