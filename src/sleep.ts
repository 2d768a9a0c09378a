/**
 * The one abortable wait of the daemon's loop and the theme engine's
 * debounce (tests give both a fake clock's instead).
 *
 * @module
 */
import { timerMs } from "./timeout.ts";

/**
 * Waits `ms` milliseconds, or until `signal` aborts; never rejects.
 *
 * @example Wake early
 * ```ts
 * import { sleep } from "./sleep.ts";
 * const ac = new AbortController();
 * const t0 = Date.now();
 * const wait = sleep(60_000, ac.signal);
 * ac.abort();
 * await wait;
 * if (Date.now() - t0 > 1000) throw new Error("an abort ends the wait");
 * ```
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, timerMs(ms));
    signal.addEventListener("abort", done, { once: true });
  });
}
