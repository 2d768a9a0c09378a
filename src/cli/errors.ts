/**
 * Errors that the CLI maps to exit codes.
 *
 * @module
 */
import { notCapableMessage, osDeniedMessage } from "../text/not_capable.ts";

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
  /** Interrupted (Ctrl-C, SIGINT): 128 + 2, as a shell reports it. */
  interrupted: 130,
  /** Stopped by SIGTERM (a logout, `kill`, a service manager): 128 + 15. */
  terminated: 143,
  /** Stopped by SIGHUP (its terminal closed, an ssh session dropped): 128 + 1. */
  hangup: 129,
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

/**
 * The line (without the `varietal: ` prefix) and exit code a failed command
 * gives: a usage error with its help hint (2), a {@linkcode CliError} as it
 * says, anything else on one line with its `exitCode`, else 1.
 *
 * @param command The command, for a usage error that names none.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { failureOf, UsageError } from "./errors.ts";
 *
 * assert.deepEqual(failureOf(new UsageError("bad --wait"), "next"), {
 *   message: "bad --wait; see 'varietal next --help'",
 *   exit: 2,
 * });
 * assert.deepEqual(failureOf(new Error("one\n\ntwo"), "next"), { message: "one — two", exit: 1 });
 * ```
 */
export function failureOf(e: unknown, command: string): { message: string; exit: number } {
  if (e instanceof UsageError) {
    return {
      message: `${e.message}; see 'varietal ${e.command || command} --help'`,
      exit: EXIT.usage,
    };
  }
  if (e instanceof CliError) return { message: e.message, exit: e.exitCode };
  if (isAbort(e)) {
    return { message: e.message || "interrupted", exit: interruptedExit(e) };
  }
  const denied = notCapableMessage(e) ?? osDeniedMessage(e);
  if (denied) return { message: denied, exit: EXIT.error };
  const error = e as (Error & { exitCode?: number }) | undefined;
  const text = String(error?.message ?? e);
  return {
    message: text.split("\n").filter((l) => l.trim()).join(" — "),
    exit: typeof error?.exitCode === "number" ? error.exitCode : EXIT.error,
  };
}

/**
 * The exit code of an interruption, from the abort reason `Context.interrupt()`
 * gives ("Interrupted by SIGINT", "… by SIGTERM", "… by SIGHUP"): 143 for
 * SIGTERM, 129 for SIGHUP, else 130.
 */
export function interruptedExit(reason: unknown): number {
  if (!(reason instanceof DOMException)) return EXIT.interrupted;
  return reason.message.endsWith("SIGTERM")
    ? EXIT.terminated
    : reason.message.endsWith("SIGHUP")
    ? EXIT.hangup
    : EXIT.interrupted;
}

/** Whether `e` is the AbortError of an interruption: Ctrl-C exits 130, SIGTERM 143. */
export function isAbort(e: unknown): e is DOMException {
  return e instanceof DOMException && e.name === "AbortError";
}
