/**
 * A guard for the daemon against SIGUSR1. Since Deno 2.9.2 (denoland/deno#35738)
 * a SIGUSR1 makes any Deno process open its V8 inspector on 127.0.0.1:9229,
 * whether or not the program listens for the signal, and Deno 2.9.6 has no
 * flag, environment variable or V8 option to refuse that. Through that port
 * any local user could run code as you. varietal never uses SIGUSR1; should
 * one arrive anyway (an old key binding, `systemctl kill -s USR1`), this guard
 * closes the inspector again at once (`node:inspector`'s `close()`, which
 * needs no permission) and says so in the log.
 *
 * @module
 */

/** When (ms after the signal) the guard closes the inspector: Deno opens it in the background. */
export const CLOSE_AFTER_MS: readonly number[] = [0, 10, 50, 150, 400, 1000, 2500];

/**
 * Installs the guard; returns a function that removes it.
 *
 * @param log Writes one line to the daemon's log.
 */
export function guardInspector(log: (line: string) => void): () => void {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const onSignal = () => {
    log(
      "warning: SIGUSR1 received; Deno opens a debugger port on it, which varietal closes " +
        "now. Never send SIGUSR1 to a Deno program; use 'varietal daemon --send next'",
    );
    for (const ms of CLOSE_AFTER_MS) {
      const t = setTimeout(() => {
        timers.delete(t);
        void closeInspector(log);
      }, ms);
      timers.add(t);
    }
  };
  Deno.addSignalListener("SIGUSR1", onSignal);
  return () => {
    Deno.removeSignalListener("SIGUSR1", onSignal);
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
}

let failed = false;

async function closeInspector(log: (line: string) => void): Promise<void> {
  try {
    const inspector = await import("node:inspector");
    inspector.close();
  } catch (e) {
    if (failed) return;
    failed = true;
    log(`error: could not close Deno's debugger port: ${(e as Error).message}; stop the daemon`);
  }
}
