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
  /**
   * The happy path of a use case as ONE autocommit statement (no BEGIN / COMMIT round trips): `work` runs
   * with no transaction, its reads at once and unlocked, its writes held and sent together when it ends,
   * so they all commit or none does. Its guarded writes (repositories' "still as read" updates) must each
   * change a row; when one does not (what `work` read changed meanwhile), or a write is refused, nothing
   * is written and `once` answers undefined: the caller then takes its locking path (`run`), which decides.
   * `work` answering undefined sends nothing. Inside `run` (or another `once`) it answers undefined at once
   * without running `work`, so the caller's locking path joins that transaction. A `run` inside `work` joins
   * the statement (an audit record's write does): only work that writes what it never reads back may.
   */
  abstract once<T>(work: () => Promise<T | undefined>): Promise<T | undefined>;
}
