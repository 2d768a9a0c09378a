/**
 * Runs a template's hook (a reload command) as an argv array, never through
 * a shell (a hook that wants one says `["sh", "-c", "…"]`), with a timeout.
 * Requires `--allow-run`.
 *
 * @module
 */

/** How a hook ended. */
export interface HookResult {
  /** Whether it exited 0 in time. */
  ok: boolean;
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
 * Runs one hook and reports how it ended; never throws for a failing hook.
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
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "command not found" : (e as Error).message;
    return { ok: false, reason: `cannot run ${argv[0]}: ${why}` };
  }
  // Collect the start of stderr without letting a long-lived grandchild block us.
  let stderr = "";
  const reader = child.stderr.getReader();
  const drain = (async () => {
    const dec = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (stderr.length < 2000) stderr += dec.decode(value, { stream: true });
      }
    } catch { /* cancelled */ }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let why: string | undefined;
  const kill = (reason: string) => {
    why ??= reason;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  };
  const onAbort = () => kill("cancelled");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  timer = setTimeout(() => kill(`timed out after ${fmtMs(timeoutMs)}`), timeoutMs);
  try {
    const status = await child.status;
    let grace: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([drain, new Promise((r) => (grace = setTimeout(r, 50)))]);
    clearTimeout(grace);
    reader.cancel().catch(() => {});
    if (why) return { ok: false, reason: why };
    if (status.success) return { ok: true };
    const tail = stderr.trim().split("\n").slice(-1)[0]?.slice(0, 200);
    const code = status.signal ? `killed by ${status.signal}` : `exit code ${status.code}`;
    return { ok: false, reason: tail ? `${code}: ${tail}` : code };
  } finally {
    clearTimeout(timer);
    timer = undefined;
    options.signal?.removeEventListener("abort", onAbort);
  }
}

function fmtMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
