/**
 * Runs a template's hook (a reload command) as an argv array, never through
 * a shell (a hook that wants one says `["sh", "-c", "…"]`), with a timeout.
 * Requires `--allow-run`.
 *
 * @module
 */
import {
  CommandError,
  type CommandResult,
  NOT_FOUND_EXIT,
  runCommand,
} from "../process/run_command.ts";

/** How a hook ended. */
export interface HookResult {
  /** Whether it exited 0 in time. */
  ok: boolean;
  /**
   * The hook's program is not installed (not found on PATH), so it did not
   * run: callers report this as a warning, not as a failure.
   */
  missing?: boolean;
  /** Why it failed: exit code and the start of its stderr, a timeout, or a spawn error. */
  reason?: string;
}

/** Options for {@linkcode runHook}. */
export interface RunHookOptions {
  /** Milliseconds before the hook is killed. @default 10000 */
  timeoutMs?: number;
  /** Aborts (kills) the hook. */
  signal?: AbortSignal;
}

/**
 * Runs one hook through {@linkcode runCommand} and reports how it ended;
 * never throws for a failing hook.
 *
 * @param argv The hook's program and arguments.
 * @param options See {@linkcode RunHookOptions}.
 * @returns Whether it succeeded, and why not.
 *
 * @example
 * ```ts ignore
 * import { runHook } from "./hook.ts";
 * const r = await runHook(["true"]);
 * if (!r.ok) throw new Error(r.reason);
 * ```
 */
export async function runHook(
  argv: readonly string[],
  options: RunHookOptions = {},
): Promise<HookResult> {
  if (argv.length === 0) return { ok: true };
  const timeoutMs = options.timeoutMs ?? 10_000;
  let r: CommandResult;
  try {
    r = await runCommand(argv, {
      timeoutMs,
      signal: options.signal,
      check: false,
      stdout: "null",
      killAfterMs: 0,
      // a long-lived grandchild (a daemon the hook restarts) must not block us
      drainMs: 50,
    });
  } catch (e) {
    if (options.signal?.aborted) return { ok: false, reason: "cancelled" };
    const missing = e instanceof CommandError && e.exitCode === NOT_FOUND_EXIT;
    const cause = e instanceof CommandError && e.cause instanceof Error ? e.cause : e as Error;
    if (missing) {
      return { ok: false, missing: true, reason: `not run: '${argv[0]}' is not installed` };
    }
    return { ok: false, reason: `cannot run ${argv[0]}: ${cause.message}` };
  }
  if (r.timedOut) return { ok: false, reason: `timed out after ${fmtMs(timeoutMs)}` };
  if (r.code === 0) return { ok: true };
  const tail = r.stderr.split("\n").slice(-1)[0]?.slice(0, 200);
  const code = r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
  return { ok: false, reason: tail ? `${code}: ${tail}` : code };
}

function fmtMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
