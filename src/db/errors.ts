/**
 * Errors raised by the database layer.
 *
 * @module
 */
import { osErrorCause } from "../text/not_capable.ts";

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

/**
 * Whether `e` is SQLite's "attempt to write a readonly database"
 * (SQLITE_READONLY and its extended codes): SQLite opened the file for
 * reading only, as it does when it may not write the file or its -wal/-shm.
 */
export function isReadOnly(e: unknown): boolean {
  if (!(e instanceof Error) || e instanceof DatabaseError) return false;
  const code = (e as Error & { errcode?: unknown }).errcode;
  if (typeof code === "number") return (code & 0xff) === 8;
  return /attempt to write a readonly database/i.test(e.message);
}

/**
 * Which of the database, its -wal and its -shm the system refuses to open
 * for writing (a mode, an owner, a read-only mount), as the error to show;
 * undefined when all can be written (or are absent).
 *
 * @param path The database file.
 * @param cause Attached to the error.
 */
export function unwritableDatabase(path: string, cause?: unknown): DatabaseError | undefined {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      Deno.openSync(file, { write: true }).close();
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.IsADirectory) continue;
      const which = file === path ? "" : ` (its ${file.slice(path.length + 1)} file ${file})`;
      const why = e instanceof Deno.errors.PermissionDenied
        ? "permission denied; make it writable (chmod u+w), then run the command again"
        : osErrorCause(e) ?? (e as Error).message;
      return new DatabaseError(path, `cannot be written${which}: ${why}`, { cause: cause ?? e });
    }
  }
  return undefined;
}

/**
 * The error for a database SQLite could open only for reading: names the
 * file that refuses writing ({@linkcode unwritableDatabase}) and what to do.
 *
 * @param path The database file.
 * @param cause SQLite's error.
 */
export function readOnlyError(path: string, cause?: unknown): DatabaseError {
  return unwritableDatabase(path, cause) ?? new DatabaseError(
    path,
    "cannot be written (SQLite opened it read-only); check that it, its -wal and -shm files and " +
      "its folder are writable, then run the command again",
    { cause },
  );
}

/**
 * SQLite's bare "database is locked", "database or disk is full" or "attempt to write a
 * readonly database" as an error naming the database file and what to do; other errors as
 * they are.
 *
 * @param path The database file.
 * @param busyDetail What was (not) done, for a locked database.
 * @param fullDetail What is kept, for a full disk.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { databaseFailure } from "./errors.ts";
 *
 * const e = databaseFailure(new Error("database or disk is full"), "/d/varietal.db") as Error;
 * assert.match(e.message, /^\/d\/varietal.db: could not be written: the disk is full; free/);
 * ```
 */
export function databaseFailure(
  e: unknown,
  path: string,
  busyDetail = "the command stopped there",
  fullDetail = "what was saved before is kept",
): unknown {
  if (isDatabaseBusy(e) && !(e instanceof DatabaseBusyError)) {
    return new DatabaseBusyError(path, busyDetail, { cause: e });
  }
  if (isDiskFull(e)) {
    return new DatabaseError(
      path,
      `could not be written: the disk is full; free some space, then run the command again ` +
        `(${fullDetail})`,
      { cause: e },
    );
  }
  if (isReadOnly(e)) return readOnlyError(path, e);
  return e;
}
