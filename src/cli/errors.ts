/**
 * Errors that the CLI maps to exit codes.
 *
 * @module
 */

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** Something failed (bad file, setter failure, …). */
  error: 1,
  /** The command line was wrong. */
  usage: 2,
  /** `status`, `daemon --send`: no varietal daemon is running. */
  notRunning: 3,
  /** Another varietal holds the lock; try again. */
  busy: 75,
  /** Interrupted by a signal. */
  interrupted: 130,
} as const;

/** A mistake on the command line: exit code 2. */
export class UsageError extends Error {
  /** The command the mistake was made in, for the help hint. */
  readonly command: string;
  /**
   * @param message What is wrong.
   * @param command The command path, e.g. "sources add".
   */
  constructor(message: string, command = "") {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** A handled failure with a chosen exit code; the message is shown as is. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.error, options?: ErrorOptions) {
    super(message, options);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}
