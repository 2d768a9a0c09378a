/**
 * Turns of the event loop in the long synchronous stretches of a scan.
 *
 * Ctrl-C and SIGTERM reach a command through a signal listener
 * (`Context.interrupt()`) that aborts its `AbortSignal`; the listener runs
 * only when the event loop does. A scan's work is synchronous (`statSync`,
 * header reads, SQLite): a loop over 40 000 files that never gives the
 * event loop a turn holds the signal back until it ends, and the scan then
 * finishes as if nothing had happened. A {@linkcode turnTaker} gives the
 * loop a turn every {@linkcode TURN_MS} of work, so a signal stops the scan
 * within a fraction of a second. A turn is a timer (~2.5 ms: Deno's timers
 * run a millisecond late at best), ~4 % of a scan's time; a message to
 * itself (`MessageChannel`) is cheaper, but Deno may answer it without
 * running the timers that are due.
 *
 * @module
 */

/** Milliseconds of synchronous work between two turns of the event loop. */
export const TURN_MS = 50;

/**
 * Makes `turn()` for a long synchronous loop: awaited every few hundred
 * items, it gives the event loop a turn when `everyMs` have passed since the
 * last one, or at once when `now` is true, then throws the signal's reason
 * if it was aborted. Without a signal it does nothing: nobody can stop the
 * loop, so it need not wait.
 *
 * @example A loop that Ctrl-C can stop
 * ```ts
 * import assert from "node:assert/strict";
 * import { turnTaker } from "./turns.ts";
 *
 * const ac = new AbortController();
 * setTimeout(() => ac.abort(new DOMException("stop", "AbortError")), 0);
 * const turn = turnTaker(ac.signal, 0);
 * let done = 0;
 * await assert.rejects(async () => {
 *   for (; done < 1e6; done++) if (done % 256 === 0) await turn();
 * }, { message: "stop" });
 * assert.ok(done < 1e6); // the timer ran in a turn and stopped the loop
 * ```
 */
export function turnTaker(
  signal: AbortSignal | undefined,
  everyMs = TURN_MS,
): (now?: boolean) => Promise<void> {
  if (!signal) return () => Promise.resolve();
  let last = performance.now();
  return async (now = false) => {
    if (now || performance.now() - last >= everyMs) {
      await nextTurn();
      last = performance.now();
    }
    signal.throwIfAborted();
  };
}

/** A turn of the event loop: what is due (a signal's listener, a timer) runs meanwhile. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
