/**
 * The one subprocess helper: an argv array (never a shell string), a
 * timeout, captured output and a typed error. {@linkcode runCommand} runs a
 * program to its end; {@linkcode spawnCommand} starts one that keeps running
 * (a wallpaper daemon). Callers take a {@linkcode CommandRunner} or
 * {@linkcode CommandSpawner} so tests can replace them.
 *
 * Requires `--allow-run` for the program.
 *
 * @module
 */

/** What a finished command printed and how it exited. */
export interface CommandResult {
  /** Exit code; 124 after a timeout (like coreutils `timeout`). */
  code: number;
  /** Its stdout ("" when discarded). */
  stdout: string;
  /** Its stderr, trimmed. */
  stderr: string;
  /** Whether the command was stopped by the timeout. */
  timedOut: boolean;
  /** The signal that ended it, if one did. */
  signal?: Deno.Signal | null;
}

/** Options for {@linkcode runCommand}. */
export interface RunOptions {
  /** Milliseconds before the command is stopped. @default 30000 */
  timeoutMs?: number;
  /** Stops the command when aborted; the call then throws the signal's reason. */
  signal?: AbortSignal;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Throw a {@linkcode CommandError} on a non-zero exit or timeout. @default true */
  check?: boolean;
  /** Text written to the command's stdin (then closed); stdin is empty otherwise. */
  input?: string;
  /** `"null"` discards stdout instead of capturing it. @default "piped" */
  stdout?: "piped" | "null";
  /**
   * Milliseconds between SIGTERM and SIGKILL when stopping the command;
   * 0 sends SIGKILL at once. @default 2000
   */
  killAfterMs?: number;
  /**
   * Milliseconds to go on reading output after the command exits (a child
   * it started may hold the pipes open). @default 500
   */
  drainMs?: number;
  /** Called with each piece of stdout as it arrives (it is captured as well). */
  onStdout?: (text: string) => void;
  /** Start with an empty environment (only `env`), not a copy of varietal's. @default false */
  clearEnv?: boolean;
}

/** Runs an argv; tests replace it with a fake. */
export type CommandRunner = (argv: readonly string[], options?: RunOptions) => Promise<
  CommandResult
>;

/** A command that could not start, failed or timed out. */
export class CommandError extends Error {
  /** The argv that ran. */
  readonly argv: readonly string[];
  /** Exit code: 127 when the program was not found, 126 when it cannot be run, 124 on timeout. */
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
/** Exit code reported for a program that exists but cannot be run. */
export const CANNOT_RUN_EXIT = 126;

/**
 * Calls `fn` once after `ms` milliseconds unless the returned function is
 * called first. Built on `AbortSignal.timeout` rather than `setTimeout`:
 * Deno 2.9 loads its Node timer module on a process's first `setTimeout`
 * (5–8 ms), which every setter and hook run on a key press would pay. A
 * cancelled one keeps nothing waiting.
 */
export function after(ms: number, fn: () => void): () => void {
  const signal = AbortSignal.timeout(Math.min(Math.max(0, Math.ceil(ms)), 2 ** 31 - 1));
  const run = () => fn();
  signal.addEventListener("abort", run, { once: true });
  return () => signal.removeEventListener("abort", run);
}

/**
 * Runs a program and waits for it. The program starts in a process group of
 * its own, so that a timeout or an abort stops everything it started too (a
 * `sh -c` wrapper's `sleep`, a hook's helper); what it leaves running after
 * exiting by itself is left alone (a hook may restart a bar in the
 * background).
 *
 * @param argv Program and arguments.
 * @param options See {@linkcode RunOptions}.
 * @returns Its exit code and output.
 * @throws {CommandError} When the program is missing (127) or cannot be run
 * (126), or (with `check`) exits non-zero or times out.
 * @throws {DOMException} The signal's reason when `signal` aborts.
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
  const {
    timeoutMs = 30_000,
    signal,
    env,
    check = true,
    input,
    killAfterMs = 2000,
    drainMs = 500,
  } = options;
  signal?.throwIfAborted();
  const child = start(argv, {
    stdin: input === undefined ? "null" : "piped",
    stdout: options.stdout ?? "piped",
    stderr: "piped",
    env,
    clearEnv: options.clearEnv ?? false,
    // A process group of its own (pgid = its pid), which `kill` below signals whole.
    detached: true,
  });
  const stdout = options.stdout === "null" ? undefined : collect(child.stdout, options.onStdout);
  // What is said of a failure is stderr's last lines: a program that writes without end
  // (a hook running `yes >&2` until its timeout) must not hold gigabytes meanwhile.
  const stderr = collect(child.stderr, undefined, STDERR_KEPT);
  const written = input === undefined ? Promise.resolve() : writeInput(child.stdin, input);
  let timedOut = false;
  let cancelKill: (() => void) | undefined;
  let stopped = false;
  const kill = (sig: Deno.Signal) => {
    try {
      Deno.kill(-child.pid, sig);
    } catch {
      try {
        child.kill(sig);
      } catch { /* already gone */ }
    }
  };
  const stop = () => {
    stopped = true;
    if (killAfterMs <= 0) return kill("SIGKILL");
    kill("SIGTERM");
    cancelKill ??= after(killAfterMs, () => kill("SIGKILL"));
  };
  const cancelTimeout = after(timeoutMs, () => {
    timedOut = true;
    stop();
  });
  signal?.addEventListener("abort", stop, { once: true });
  let status: Deno.CommandStatus;
  try {
    status = await child.status;
  } finally {
    cancelTimeout();
    cancelKill?.();
    signal?.removeEventListener("abort", stop);
  }
  // Stopped: what the program started and left behind goes too (it had its SIGTERM with it).
  if (stopped) kill("SIGKILL");
  await written;
  // A grandchild may hold the pipes open: read on only briefly.
  let cancelGrace: (() => void) | undefined;
  await Promise.race([
    Promise.all([stdout?.done, stderr.done]),
    new Promise<void>((r) => (cancelGrace = after(drainMs, r))),
  ]);
  cancelGrace?.();
  stdout?.cancel();
  stderr.cancel();
  const result: CommandResult = {
    code: timedOut ? TIMEOUT_EXIT : status.code,
    stdout: stdout?.text() ?? "",
    stderr: stderr.text().trim(),
    timedOut,
    signal: status.signal,
  };
  signal?.throwIfAborted();
  if (check && result.code !== 0) {
    const why = timedOut
      ? `timed out after ${timeoutMs / 1000}s`
      : status.signal
      ? `was killed by ${status.signal}`
      : `exited with code ${result.code}`;
    // Some programs say why on stdout (hyprctl, plasma-apply-wallpaperimage): that, when
    // stderr is empty.
    const said = result.stderr || result.stdout.trim();
    const detail = said ? `: ${lastLines(said)}` : "";
    throw new CommandError(argv, result.code, result.stderr, `'${argv[0]}' ${why}${detail}`);
  }
  return result;
}

/** A started program that keeps running; see {@linkcode spawnCommand}. */
export interface SpawnedCommand {
  /** Its process id. */
  readonly pid: number;
  /** Resolves when it exits. */
  readonly status: Promise<Deno.CommandStatus>;
  /** Lets varietal exit while it runs on. */
  unref(): void;
}

/** Options for {@linkcode spawnCommand}. */
export interface SpawnOptions {
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** Starts an argv in the background; tests replace it with a fake. */
export type CommandSpawner = (argv: readonly string[], options?: SpawnOptions) => SpawnedCommand;

/**
 * Starts a program that keeps running (stdin, stdout and stderr go nowhere)
 * and returns at once.
 *
 * @param argv Program and arguments.
 * @param options See {@linkcode SpawnOptions}.
 * @returns Its pid and exit status.
 * @throws {CommandError} When the program is missing (127) or cannot be run (126).
 *
 * @example Start a daemon and let it outlive varietal
 * ```ts ignore
 * const child = spawnCommand(["swaybg", "--image", "/w/a.jpg"]);
 * child.unref();
 * ```
 */
export function spawnCommand(argv: readonly string[], options: SpawnOptions = {}): SpawnedCommand {
  return start(argv, { stdin: "null", stdout: "null", stderr: "null", env: options.env });
}

/** The last few lines of some output, joined on one line. */
export function lastLines(text: string, n = 3): string {
  return text.trim().split("\n").filter((l) => l.trim()).slice(-n).join(" — ");
}

/** Spawns an argv, turning a missing or unrunnable program into a {@linkcode CommandError}. */
function start(argv: readonly string[], options: Deno.CommandOptions): Deno.ChildProcess {
  if (argv.length === 0 || argv[0] === "") throw new TypeError("Cannot run an empty command");
  try {
    return new Deno.Command(argv[0], { ...options, args: argv.slice(1) as string[] }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new CommandError(
        argv,
        NOT_FOUND_EXIT,
        "",
        `'${argv[0]}' is not installed or not on PATH`,
        { cause: e },
      );
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new CommandError(
        argv,
        CANNOT_RUN_EXIT,
        "",
        `'${argv[0]}' cannot be run: ${(e as Error).message}`,
        { cause: e },
      );
    }
    throw e;
  }
}

/** Characters of a child's stderr kept (its end): enough for any error message. */
const STDERR_KEPT = 64 * 1024;

/** Reads a pipe as text in the background until it closes or is cancelled. */
function collect(
  stream: ReadableStream<Uint8Array>,
  onText?: (text: string) => void,
  keep = Infinity,
) {
  const reader = stream.getReader();
  const dec = new TextDecoder();
  let text = "";
  const done = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const piece = dec.decode(value, { stream: true });
        text += piece;
        // Only the end is kept past `keep` characters (trimmed in steps, not at every read).
        if (text.length > 2 * keep) text = text.slice(-keep);
        if (onText && piece) onText(piece);
      }
      const rest = dec.decode();
      text += rest;
      if (onText && rest) onText(rest);
    } catch { /* cancelled */ }
  })();
  return {
    done,
    text: () => text,
    cancel: () => void reader.cancel().catch(() => {}),
  };
}

/** Writes `input` to a child's stdin and closes it; a child that exits early is not an error. */
async function writeInput(stdin: WritableStream<Uint8Array>, input: string): Promise<void> {
  const w = stdin.getWriter();
  await w.write(new TextEncoder().encode(input)).catch(() => {});
  await w.close().catch(() => {});
}
