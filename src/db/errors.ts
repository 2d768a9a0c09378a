/**
 * Errors raised by the database layer.
 *
 * @module
 */

/** The database file cannot be opened, is not SQLite, or is newer than this varietal. */
export class DatabaseError extends Error {
  /** The database file. */
  readonly path: string;

  /**
   * @param path The database file.
   * @param message What went wrong and what to do.
   * @param options Optional cause.
   */
  constructor(path: string, message: string, options?: ErrorOptions) {
    super(`${path}: ${message}`, options);
    this.name = "DatabaseError";
    this.path = path;
  }
}

/**
 * Another program holds the database's write lock (an open `sqlite3` shell in
 * a transaction, a backup tool) longer than varietal waits. Exit code 75:
 * trying again later may work.
 */
export class DatabaseBusyError extends DatabaseError {
  /** The exit code for scripts: 75 (EX_TEMPFAIL), as for a busy lock. */
  readonly exitCode = 75;

  /**
   * @param path The database file.
   * @param detail What was (not) done, e.g. "nothing was changed".
   */
  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(
      path,
      `is locked by another program (an open sqlite3 shell or a backup?); ${detail}. ` +
        "Close it and try again",
      options,
    );
    this.name = "DatabaseBusyError";
  }
}

/** Whether `e` is SQLite's "database is locked" (SQLITE_BUSY or SQLITE_LOCKED). */
export function isDatabaseBusy(e: unknown): boolean {
  if (e instanceof DatabaseBusyError) return true;
  if (!(e instanceof Error)) return false;
  const code = (e as Error & { errcode?: unknown }).errcode;
  if (typeof code === "number") return (code & 0xff) === 5 || (code & 0xff) === 6;
  return /database (table )?is locked/i.test(e.message);
}

/** Whether `e` is SQLite's "database or disk is full" (SQLITE_FULL). */
export function isDiskFull(e: unknown): boolean {
  if (!(e instanceof Error) || e instanceof DatabaseError) return false;
  const code = (e as Error & { errcode?: unknown }).errcode;
  if (typeof code === "number") return (code & 0xff) === 13;
  return /database or disk is full/i.test(e.message);
}
