/**
 * When the wallpaper's lightness should change by itself: the time-of-day
 * rules (`[[selection.time_rules]]`) switch from light to dark and back at
 * local times, and a wallpaper already on screen fits the new rule or not.
 * The daemon wakes at the next switch and changes a wallpaper that no longer
 * fits, instead of waiting for its interval. Pure: times come in as
 * milliseconds since the epoch and are read in the process's local time
 * zone, as the rules are.
 *
 * @module
 */
import type { TimeRule } from "../config/schema.ts";
import { activeTimeRule, DARK_BELOW } from "./constraints.ts";

/** A lightness a rule (or the desktop) asks for. */
export type WantedLightness = "dark" | "light";

const MINUTE = 60_000;

/**
 * The lightness the rules ask for at a time; undefined when no rule applies
 * or the one in force says "any".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lightnessAt } from "./lightness_switch.ts";
 *
 * const noon = new Date(2030, 0, 1, 12, 0).getTime(); // local time
 * assert.equal(lightnessAt([{ from: "08:00", to: "18:00", lightness: "light" }], noon), "light");
 * assert.equal(lightnessAt([{ from: "18:00", to: "08:00", lightness: "dark" }], noon), undefined);
 * ```
 */
export function lightnessAt(
  rules: readonly TimeRule[],
  time: number,
): WantedLightness | undefined {
  const d = new Date(time);
  const l = activeTimeRule(rules, d.getHours() * 60 + d.getMinutes())?.lightness;
  return l === "dark" || l === "light" ? l : undefined;
}

/**
 * The first whole minute after `now` at which the rules ask for another
 * lightness than at `now` (null when they never do within two days: no
 * rules, or all asking the same). Steps through real minutes, so a
 * daylight-saving change moves the switch as it moves the clock.
 *
 * @example Light by day, dark by night
 * ```ts
 * import assert from "node:assert/strict";
 * import { nextLightnessSwitch } from "./lightness_switch.ts";
 *
 * const rules = [
 *   { from: "08:00", to: "18:00", lightness: "light" as const },
 *   { from: "18:00", to: "08:00", lightness: "dark" as const },
 * ];
 * const noon = new Date(2030, 0, 1, 12, 0).getTime();
 * assert.equal(nextLightnessSwitch(rules, noon), new Date(2030, 0, 1, 18, 0).getTime());
 * assert.equal(nextLightnessSwitch([], noon), null);
 * ```
 */
export function nextLightnessSwitch(rules: readonly TimeRule[], now: number): number | null {
  if (rules.length === 0) return null;
  const current = lightnessAt(rules, now);
  const first = Math.floor(now / MINUTE) * MINUTE + MINUTE;
  for (let t = first; t <= now + 2 * 24 * 60 * MINUTE; t += MINUTE) {
    if (lightnessAt(rules, t) !== current) return t;
  }
  return null;
}

/**
 * Whether a wallpaper of average lightness `avg` fits what is wanted, as the
 * selection's rule reads it (a palette below {@linkcode DARK_BELOW} is dark).
 * A wallpaper without a palette fits anything: its lightness is unknown, and
 * the rules keep such images in the draw too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitsLightness } from "./lightness_switch.ts";
 *
 * assert.equal(fitsLightness("dark", 0.2), true);
 * assert.equal(fitsLightness("dark", 0.8), false);
 * assert.equal(fitsLightness("light", null), true);
 * assert.equal(fitsLightness(undefined, 0.8), true);
 * ```
 */
export function fitsLightness(
  wanted: WantedLightness | undefined,
  avg: number | null | undefined,
): boolean {
  if (wanted === undefined || avg === null || avg === undefined) return true;
  return wanted === "dark" ? avg < DARK_BELOW : avg >= DARK_BELOW;
}
