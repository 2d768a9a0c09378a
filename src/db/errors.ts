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
