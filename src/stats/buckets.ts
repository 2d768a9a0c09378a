/**
 * Bucket definitions of the collection statistics (pure).
 *
 * Palettes are counted on a grid kept up to date by database triggers (see
 * migration "statistics summary tables" in `src/db/migrations.ts`); the SQL
 * there and {@linkcode paletteCell} below must agree, and a test checks that
 * they do. Every bucket is half-open `[from, to)`, except that the last one
 * includes its upper limit.
 *
 * - lightness (OKLab L of the palette, 0 black … 1 white) on a grid of 0.05:
 *   dark `[0, 0.35)`, medium `[0.35, 0.65)`, light `[0.65, 1]`;
 *   a 10-bin histogram of width 0.1.
 * - hue: the named hue ranges that `--hue` accepts (`NAMED_HUES` in
 *   `src/palette/hue_ranges.ts`); a palette counts in every range that holds
 *   at least 10 % of its picture (the same test as `--hue NAME`), so an
 *   orange-and-blue image is in both. The grid stores the palette's
 *   `hue_mask` (0 = no range holds 10 %: **grey**, a picture with at most
 *   small touches of colour); -1 marks figures from an older version that
 *   are not recomputed yet (**pending**, in no hue or saturation bucket).
 * - saturation (colourfulness from OKLCH chroma, greys 0, 0 … 1) on a grid
 *   of 0.05: grey `[0, 0.1)`, muted `[0.1, 0.3)`, moderate `[0.3, 0.6)`,
 *   vivid `[0.6, 1]`.
 * - temperature (−1 cool … 1 warm): cool `< −0.1`, neutral `[−0.1, 0.1]`,
 *   warm `> 0.1`.
 * - freshness of an image's last show, relative to now: last day (24 h),
 *   last week (7 days), last month (30 days), older, never.
 *
 * @module
 */
import { NAMED_HUES, rangeCentre } from "../palette/hue_ranges.ts";

export { NAMED_HUES };

/** Cells per unit on the lightness and saturation grids (0.05 wide). */
export const GRID = 20;
/** Below this saturation a palette is in the grey saturation bucket. */
export const GREY_SATURATION = 0.1;
/** |temperature| above this is warm or cool, else neutral. */
export const NEUTRAL_TEMPERATURE = 0.1;
/** The split `varietal select --lightness dark|light` uses (see src/select/constraints.ts). */
export const SELECTION_DARK_BELOW = 0.5;

/** A named range of a figure. */
export interface BucketDef {
  name: string;
  /** Inclusive lower limit. */
  from: number;
  /** Exclusive upper limit (inclusive for the last bucket). */
  to: number;
}

/** Dark, medium and light by average lightness. */
export const LIGHTNESS_BUCKETS: readonly BucketDef[] = [
  { name: "dark", from: 0, to: 0.35 },
  { name: "medium", from: 0.35, to: 0.65 },
  { name: "light", from: 0.65, to: 1 },
];

/** Saturation buckets; the first one is the grey threshold. */
export const SATURATION_BUCKETS: readonly BucketDef[] = [
  { name: "grey", from: 0, to: GREY_SATURATION },
  { name: "muted", from: GREY_SATURATION, to: 0.3 },
  { name: "moderate", from: 0.3, to: 0.6 },
  { name: "vivid", from: 0.6, to: 1 },
];

/** Freshness windows in days, newest first; anything older is "older". */
export const FRESHNESS_WINDOWS = [
  { name: "day", days: 1 },
  { name: "week", days: 7 },
  { name: "month", days: 30 },
] as const;

/** The grid cell of one palette: the key the summary table counts. */
export interface PaletteCell {
  /** Lightness cell 0–19 (0.05 wide). */
  l: number;
  /** The hue mask (bit i = named range i holds 10 %; 0 = grey), or -1 when pending. */
  h: number;
  /** Saturation cell 0–19 (0.05 wide), or -1 when pending. */
  s: number;
  /** -1 cool, 0 neutral, 1 warm. */
  t: number;
}

const clampCell = (x: number) => Math.max(0, Math.min(GRID - 1, Math.trunc(x * GRID)));

/**
 * The cell a palette is counted in; the reference for the SQL triggers.
 *
 * @example A dark, blue, moderately saturated, cool palette
 * ```ts
 * import assert from "node:assert/strict";
 * import { paletteCell } from "./buckets.ts";
 *
 * const cell = paletteCell({
 *   hue_mask: 32, // blue
 *   avg_saturation: 0.5,
 *   avg_lightness: 0.3,
 *   temperature: -0.4,
 * });
 * assert.deepEqual(cell, { l: 6, h: 32, s: 10, t: -1 });
 * const pending = paletteCell({ hue_mask: null, avg_saturation: 0.5, avg_lightness: 0.3, temperature: 0 });
 * assert.deepEqual(pending, { l: 6, h: -1, s: -1, t: 0 });
 * ```
 */
export function paletteCell(p: {
  hue_mask: number | null;
  avg_saturation: number;
  avg_lightness: number;
  temperature: number;
}): PaletteCell {
  const pending = p.hue_mask === null;
  return {
    l: clampCell(p.avg_lightness),
    h: pending ? -1 : p.hue_mask!,
    s: pending ? -1 : clampCell(p.avg_saturation),
    t: p.temperature > NEUTRAL_TEMPERATURE ? 1 : p.temperature < -NEUTRAL_TEMPERATURE ? -1 : 0,
  };
}

/**
 * Index of the bucket a grid cell (0–19) falls in.
 *
 * @example Grid cells to named buckets
 * ```ts
 * import assert from "node:assert/strict";
 * import { bucketOfCell, LIGHTNESS_BUCKETS } from "./buckets.ts";
 *
 * assert.equal(LIGHTNESS_BUCKETS[bucketOfCell(LIGHTNESS_BUCKETS, 6)].name, "dark"); // 0.30–0.35
 * assert.equal(LIGHTNESS_BUCKETS[bucketOfCell(LIGHTNESS_BUCKETS, 7)].name, "medium"); // 0.35–0.40
 * assert.equal(LIGHTNESS_BUCKETS[bucketOfCell(LIGHTNESS_BUCKETS, 19)].name, "light");
 * ```
 */
export function bucketOfCell(buckets: readonly BucketDef[], cell: number): number {
  const x = (cell + 0.5) / GRID;
  const i = buckets.findIndex((b) => x >= b.from && x < b.to);
  return i === -1 ? buckets.length - 1 : i;
}

/**
 * Display colour of named hue range `i`: its centre at fixed saturation and lightness.
 *
 * @example Each named range drawn in its centre hue
 * ```ts
 * import assert from "node:assert/strict";
 * import { hueBinColor } from "./buckets.ts";
 *
 * assert.equal(hueBinColor(0), "#dd3c3c"); // red
 * assert.equal(hueBinColor(5), "#3c57dd"); // blue
 * ```
 */
export function hueBinColor(i: number): string {
  return hslHex(rangeCentre(NAMED_HUES[i]), 0.7, 0.55);
}

/**
 * `#rrggbb` of an HSL colour (h in degrees, s and l in [0, 1]).
 *
 * @example HSL to hex
 * ```ts
 * import assert from "node:assert/strict";
 * import { hslHex } from "./buckets.ts";
 *
 * assert.equal(hslHex(0, 1, 0.5), "#ff0000");
 * assert.equal(hslHex(210, 0.5, 0.4), "#336699");
 * ```
 */
export function hslHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(Math.max(0, Math.min(1, v)) * 255).toString(16).padStart(2, "0");
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}
