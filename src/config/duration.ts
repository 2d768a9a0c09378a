/**
 * Parses human durations such as `15m`, `1h30m`, `2d` or `90` (seconds).
 *
 * @module
 */

const UNITS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
};

/**
 * Converts a duration to seconds.
 *
 * @param text A number of seconds or one or more `<number><unit>` parts (ms, s, m, h, d, w).
 * @returns Seconds, possibly fractional.
 * @throws {SyntaxError} When the text is not a duration.
 *
 * @example Minutes
 * ```ts
 * import { parseDuration } from "./duration.ts";
 * if (parseDuration("1h30m") !== 5400) throw new Error();
 * ```
 */
export function parseDuration(text: string | number): number {
  if (typeof text === "number") {
    if (!Number.isFinite(text) || text < 0) {
      throw new SyntaxError(`Invalid duration: ${text}`);
    }
    return text;
  }
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let end = 0;
  for (const m of s.matchAll(re)) {
    total += Number(m[1]) * UNITS[m[2]];
    end = (m.index ?? 0) + m[0].length;
  }
  if (end === 0 || end !== s.length) {
    throw new SyntaxError(
      `Invalid duration "${text}": use a number with a unit such as 30s, 15m, 2h or 1d`,
    );
  }
  return total;
}

/**
 * Formats seconds compactly (`1h30m`, `45s`, `1.5s`).
 *
 * @param seconds A non-negative number of seconds.
 * @returns A duration string that {@linkcode parseDuration} reads back (to the millisecond).
 * @example Whole units, and what is left in seconds
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDuration, parseDuration } from "./duration.ts";
 *
 * assert.equal(formatDuration(5400), "1h30m");
 * assert.equal(formatDuration(1.5), "1.5s");
 * assert.equal(formatDuration(0.25), "250ms");
 * assert.equal(parseDuration(formatDuration(90.5)), 90.5);
 * ```
 */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  // In whole milliseconds, so that 1.5 s reads back as 1.5 s (not 2 s).
  let rest = Math.round(seconds * 1000);
  let out = "";
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000]] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  if (rest > 0 || out === "") out += `${rest / 1000}s`;
  return out;
}
