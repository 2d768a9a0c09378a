/**
 * The one subprocess helper: an argv array (never a shell string), a
 * timeout, captured output and a typed error.
 *
 * Requires `--allow-run` for the program.
 *
 * @module
 */

/** What a finished command printed and how it exited. */
export interface CommandResult {
  /** Exit code; 124 after a timeout (like coreutils `timeout`). */
  code: number;
  stdout: string;
  stderr: string;
  /** Whether the command was stopped by the timeout. */
  timedOut: boolean;
}

/** Options for {@linkcode runCommand}. */
export interface RunOptions {
  /** Milliseconds before the command is stopped (SIGTERM, then SIGKILL). @default 30000 */
  timeoutMs?: number;
  /** Stops the command when aborted. */
  signal?: AbortSignal;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Throw a {@linkcode CommandError} on a non-zero exit or timeout. @default true */
  check?: boolean;
}

/** Runs an argv; tests replace it with a fake. */
export type CommandRunner = (argv: readonly string[], options?: RunOptions) => Promise<
  CommandResult
>;

/** A command that could not start, failed or timed out. */
export class CommandError extends Error {
  /** The argv that ran. */
  readonly argv: readonly string[];
  /** Exit code: 127 when the program was not found, 124 on timeout. */
  readonly exitCode: number;
  /** What the command wrote to stderr (trimmed). */
  readonly stderr: string;
  /**
   * @param argv The argv that ran.
   * @param exitCode Its exit code.
   * @param stderr Its trimmed stderr.
   * @param message What went wrong.
   */
  constructor(
    argv: readonly string[],
    exitCode: number,
    stderr: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "CommandError";
    this.argv = argv;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** Exit code reported for a command stopped by its timeout. */
export const TIMEOUT_EXIT = 124;
/** Exit code reported for a program that is not installed. */
export const NOT_FOUND_EXIT = 127;

/**
 * Runs a program and waits for it.
 *
 * @param argv Program and arguments.
 * @param options See {@linkcode RunOptions}.
 * @returns Its exit code and output.
 * @throws {CommandError} When the program is missing, or (with `check`) exits non-zero or times out.
 *
 * @example Run true
 * ```ts ignore
 * const r = await runCommand(["true"]);
 * ```
 */
export async function runCommand(
  argv: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const { timeoutMs = 30_000, signal, env, check = true } = options;
  if (argv.length === 0 || argv[0] === "") throw new TypeError("Cannot run an empty command");
  signal?.throwIfAborted();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(argv[0], {
      args: argv.slice(1) as string[],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env,
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new CommandError(
        argv,
        NOT_FOUND_EXIT,
        "",
        `'${argv[0]}' is not installed or not on PATH`,
        {
          cause: e,
        },
      );
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new CommandError(argv, 126, "", `'${argv[0]}' cannot be run: ${(e as Error).message}`, {
        cause: e,
      });
    }
    throw e;
  }
  let timedOut = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    killTimer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, 2000);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, timeoutMs);
  signal?.addEventListener("abort", stop, { once: true });
  let out: Deno.CommandOutput;
  try {
    out = await child.output();
  } finally {
    clearTimeout(timer);
    clearTimeout(killTimer);
    signal?.removeEventListener("abort", stop);
  }
  const dec = new TextDecoder();
  const result: CommandResult = {
    code: timedOut ? TIMEOUT_EXIT : out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr).trim(),
    timedOut,
  };
  signal?.throwIfAborted();
  if (check && result.code !== 0) {
    const why = timedOut
      ? `timed out after ${timeoutMs / 1000}s`
      : out.signal
      ? `was killed by ${out.signal}`
      : `exited with code ${result.code}`;
    const detail = result.stderr ? `: ${lastLines(result.stderr)}` : "";
    throw new CommandError(argv, result.code, result.stderr, `'${argv[0]}' ${why}${detail}`);
  }
  return result;
}

/** The last few lines of some output, joined on one line. */
export function lastLines(text: string, n = 3): string {
  return text.trim().split("\n").filter((l) => l.trim()).slice(-n).join(" — ");
}
