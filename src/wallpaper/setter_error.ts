/**
 * The error a failing wallpaper setter raises.
 *
 * @module
 */

/** A setter that is missing, exits non-zero or times out; nothing was recorded. */
export class SetterError extends Error {
  /** The setter's name, e.g. "swww". */
  readonly setter: string;
  /** The failing command's exit code (127 not found, 124 timeout). */
  readonly exitCode: number;
  /** What the command wrote to stderr. */
  readonly stderr: string;
  /**
   * @param setter The setter's name.
   * @param message What went wrong (stderr included).
   * @param exitCode The command's exit code.
   * @param stderr The command's stderr.
   */
  constructor(
    setter: string,
    message: string,
    exitCode = 1,
    stderr = "",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "SetterError";
    this.setter = setter;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}
