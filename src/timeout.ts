/**
 * A timeout for the short-lived processes of a key press. Deno 2.9's global
 * `setTimeout` returns Node's `Timeout` object and loads Node's timer module
 * on its first call in a process: 6–10 ms measured, as much as the rest of a
 * handed-over `next` on the sender's side. `AbortSignal.timeout` uses the web
 * timer directly (under 0.5 ms).
 *
 * Like a `setTimeout`, an armed timeout keeps the process alive (Deno refs
 * the signal's timer while it has a listener) and a cancelled one does not;
 * unlike it, cancelling only detaches the callback, and the timer itself runs
 * out unseen. Meant for the few timeouts on a key press's path; long-lived
 * loops may keep `setTimeout`.
 *
 * @module
 */

/** The longest delay a timer takes (2³¹ − 1 ms, 24.8 days); a longer one would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A delay for a timer: `ms` within 0 and {@linkcode MAX_TIMER_MS}. For durations users
 * set (`"30d"` for "no limit", say), which `setTimeout` and `AbortSignal.timeout` would
 * otherwise cut to 1 ms.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_TIMER_MS, timerMs } from "./timeout.ts";
 *
 * assert.equal(timerMs(30 * 86_400_000), MAX_TIMER_MS);
 * assert.equal(timerMs(-5), 0);
 * assert.equal(timerMs(1500), 1500);
 * ```
 */
export function timerMs(ms: number): number {
  return Math.max(0, Math.min(ms, MAX_TIMER_MS));
}

/**
 * Calls `fn` once after `ms` milliseconds unless cancelled first.
 *
 * @returns A function that cancels the call (idempotent).
 *
 * @example Cancelled before it fires
 * ```ts
 * import { afterMs } from "./timeout.ts";
 * let fired = false;
 * const cancel = afterMs(10, () => fired = true);
 * cancel();
 * await new Promise((r) => afterMs(30, () => r(undefined)));
 * if (fired) throw new Error("a cancelled timeout never fires");
 * ```
 */
export function afterMs(ms: number, fn: () => void): () => void {
  const signal = AbortSignal.timeout(timerMs(ms));
  signal.addEventListener("abort", fn, { once: true });
  return () => signal.removeEventListener("abort", fn);
}
