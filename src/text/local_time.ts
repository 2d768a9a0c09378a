/**
 * Times as varietal prints them: local, ISO-like, the same in every locale.
 *
 * @module
 */

/**
 * A local date and time, "YYYY-MM-DD HH:MM" (with `seconds`, ":SS" too).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { localTime } from "./local_time.ts";
 *
 * const ms = new Date(2026, 11, 2, 9, 5, 7).getTime(); // local time
 * assert.equal(localTime(ms), "2026-12-02 09:05");
 * assert.equal(localTime(ms, { seconds: true }), "2026-12-02 09:05:07");
 * ```
 */
export function localTime(ms: number, options: { seconds?: boolean } = {}): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  const minutes = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}`;
  return options.seconds ? `${minutes}:${p(d.getSeconds())}` : minutes;
}
