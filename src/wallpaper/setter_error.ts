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

/** An output a setter could not set, and why. */
export interface OutputFailure {
  /** The output's name (null: all outputs). */
  output: string | null;
  error: SetterError;
}

/**
 * A setter that set some outputs and failed on others (one unplugged, say):
 * the pictures on the outputs it set stand and are recorded; the others keep
 * theirs.
 */
export class PartialSetError extends Error {
  /** The setter's name. */
  readonly setter: string;
  /** Indexes of the assignments that were set, ascending. */
  readonly set: readonly number[];
  /** The outputs that failed. */
  readonly failures: readonly OutputFailure[];

  /**
   * @param setter The setter's name.
   * @param set Indexes of the assignments that were set.
   * @param failures The outputs that failed, with their errors.
   */
  constructor(setter: string, set: readonly number[], failures: readonly OutputFailure[]) {
    super(
      failures.map((f) => `${f.output ?? "all outputs"}: ${f.error.message}`).join("; "),
    );
    this.name = "PartialSetError";
    this.setter = setter;
    this.set = set;
    this.failures = failures;
  }
}

/**
 * A setter that sets outputs one by one was interrupted (Ctrl-C, SIGTERM)
 * after it had set some: those pictures are on screen, so they are recorded
 * (and nothing more is done) before the interruption goes on.
 */
export class InterruptedAfterSetError extends Error {
  /** Indexes of the assignments that were set, ascending. */
  readonly set: readonly number[];

  /**
   * @param set Indexes of the assignments that were set.
   * @param cause The interruption (its AbortError).
   */
  constructor(set: readonly number[], cause: unknown) {
    super((cause as Error)?.message ?? "interrupted", { cause });
    this.name = "InterruptedAfterSetError";
    this.set = set;
  }
}
