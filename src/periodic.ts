/**
 * A job the daemon runs now and then beside its rotations (the remote
 * top-up, the rescan of your folders): after a first delay, then again each
 * time a delay it asks for anew has passed since the last run ended, also
 * when the machine was suspended meanwhile. Runs never overlap; stopping
 * aborts the one in progress and waits for it.
 *
 * @module
 */

/**
 * The longest single timer of a wait kept by the wall clock (here and in the
 * daemon's loop): timers count time the machine is awake only (CLOCK_MONOTONIC
 * stops while it is suspended), so the wall clock is looked at again after it.
 */
export const CLOCK_CHECK_MS = 60_000;

/** A running periodic job. */
export interface Periodic {
  /** Stops it: aborts a run in progress (its signal) and waits for it to end. */
  stop(): Promise<void>;
  /** Resolves after the next run has ended (for tests). */
  nextCheck(): Promise<void>;
}

/** What {@linkcode startPeriodic} runs, and when. */
export interface PeriodicOptions {
  /** One run; it must not throw (report through its own log). */
  run: (signal: AbortSignal) => Promise<void>;
  /** Milliseconds before the first run. */
  firstDelayMs: number;
  /** Milliseconds from the end of a run to the next (asked after each run). */
  nextDelayMs: () => number;
  /** The wall clock (tests pass a fake one). @default Date.now */
  now?: () => number;
  /** The longest single timer: the clocks are looked at again after it. @default CLOCK_CHECK_MS */
  checkMs?: number;
}

/**
 * Starts a periodic job on the process's timers.
 *
 * @example Two runs, then stop
 * ```ts
 * import assert from "node:assert/strict";
 * import { startPeriodic } from "./periodic.ts";
 *
 * let runs = 0;
 * const job = startPeriodic({
 *   run: () => Promise.resolve(void runs++),
 *   firstDelayMs: 0,
 *   nextDelayMs: () => 1,
 * });
 * await job.nextCheck();
 * await job.nextCheck();
 * await job.stop();
 * assert.equal(runs, 2);
 * ```
 */
export function startPeriodic(o: PeriodicOptions): Periodic {
  const ac = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> | undefined;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const now = o.now ?? Date.now;
  const checkMs = o.checkMs ?? CLOCK_CHECK_MS;
  // A delay is over when it has passed by the wall clock or by the process's timers,
  // whichever comes first: the timers stop while the machine is suspended (a daemon
  // woken after a night would wait out the rest of the delay), the wall clock may be
  // set back. Hence timers of at most `checkMs`, and both clocks looked at after each.
  const schedule = (ms: number) => {
    if (ac.signal.aborted) return;
    const wallDue = now() + ms, timerDue = performance.now() + ms;
    const check = () => {
      const left = Math.min(wallDue - now(), timerDue - performance.now());
      if (left > 0) {
        timer = setTimeout(check, Math.min(left, checkMs));
        return;
      }
      current = o.run(ac.signal).catch(() => {}).finally(() => {
        current = undefined;
        wake();
        schedule(o.nextDelayMs());
      });
    };
    timer = setTimeout(check, Math.min(ms, checkMs));
  };
  schedule(o.firstDelayMs);
  return {
    async stop() {
      ac.abort(new DOMException("daemon stopping", "AbortError"));
      clearTimeout(timer);
      await current;
      wake();
    },
    nextCheck() {
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
