/**
 * Hue shares and the named hue ranges (pure). One definition, used by the
 * palette summary (which stores each image's hue shares and the mask of the
 * named ranges it shows), the selection constraints (`--hue`), the
 * statistics and the report, and the help text.
 *
 * An image's **hue shares** are the share of its pixels, per 5° bucket of
 * HSL hue, that are coloured (OKLCH chroma at least the grey threshold of
 * `summary.ts`). A hue range **matches** an image when the buckets it
 * covers hold at least {@linkcode HUE_SHARE_MIN} of the picture.
 *
 * @module
 */

/** Width of a hue bucket in degrees. */
export const HUE_BUCKET_DEGREES = 5;
/** Number of hue buckets (bucket `b` covers `[5b, 5b + 5)` degrees). */
export const HUE_BUCKETS = 360 / HUE_BUCKET_DEGREES;
/** The share of the picture a hue range must hold to match ("a real share"). */
export const HUE_SHARE_MIN = 0.1;
/**
 * Shares are stored as whole units of 1/10000 of the picture, so that sums
 * are exact and the database and this module always agree on a match.
 */
export const SHARE_UNITS = 10_000;

/**
 * A share (0–1) in stored units.
 *
 * @example Shares are stored in units of 1/10000
 * ```ts
 * import assert from "node:assert/strict";
 * import { shareUnits } from "./hue_ranges.ts";
 *
 * assert.equal(shareUnits(0.1), 1000);
 * assert.equal(shareUnits(0.12345), 1235);
 * ```
 */
export function shareUnits(share: number): number {
  return Math.round(share * SHARE_UNITS);
}

/** An inclusive hue range in degrees; `from > to` wraps past 360 (350–20). */
export interface HueRange {
  from: number;
  to: number;
}

/** The share of an image's pixels in one hue bucket. */
export interface HueShare {
  /** Start of the bucket in degrees: 0, 5, …, 355. */
  hue: number;
  /** Share of the image's pixels, 0–1. */
  share: number;
}

/** A named hue range. */
export interface NamedHue extends HueRange {
  name: string;
}

/**
 * The named hue ranges, in bit order of the stored mask (red = bit 0).
 * They are contiguous, cover the circle, and start and end on bucket edges.
 */
export const NAMED_HUES: readonly NamedHue[] = [
  { name: "red", from: 345, to: 15 },
  { name: "orange", from: 15, to: 45 },
  { name: "yellow", from: 45, to: 70 },
  { name: "green", from: 70, to: 170 },
  { name: "cyan", from: 170, to: 200 },
  { name: "blue", from: 200, to: 260 },
  { name: "purple", from: 260, to: 300 },
  { name: "magenta", from: 300, to: 345 },
];

/** The names of {@linkcode NAMED_HUES}, in order. */
export const HUE_RANGE_NAMES: readonly string[] = NAMED_HUES.map((h) => h.name);

/**
 * Normalises degrees to [0, 360).
 *
 * @example Any angle into [0, 360)
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeHue } from "./hue_ranges.ts";
 *
 * assert.equal(normalizeHue(-30), 330);
 * assert.equal(normalizeHue(725), 5);
 * assert.equal(normalizeHue(12.5), 12.5);
 * ```
 */
export function normalizeHue(h: number): number {
  // Values already in range are kept as they are: `(h + 360) % 360` would round
  // a tiny hue such as 5e-324 to 0.
  if (h >= 0 && h < 360) return h;
  const x = ((h % 360) + 360) % 360;
  return x >= 360 ? 0 : x;
}

/**
 * The bucket (0–71) a hue in degrees falls in.
 *
 * @example 5° buckets, 72 of them
 * ```ts
 * import assert from "node:assert/strict";
 * import { hueBucket } from "./hue_ranges.ts";
 *
 * assert.equal(hueBucket(0), 0);
 * assert.equal(hueBucket(217), 43); // [215, 220)
 * assert.equal(hueBucket(359.9), 71);
 * assert.equal(hueBucket(-1), 71);
 * ```
 */
export function hueBucket(h: number): number {
  return Math.min(HUE_BUCKETS - 1, Math.floor(normalizeHue(h) / HUE_BUCKET_DEGREES));
}

/**
 * The buckets a range covers, in circular order from its start. The ends
 * are rounded to the nearest bucket edge (matching is done at 5°
 * resolution); a range narrower than that covers the bucket of its middle;
 * a range of 360° or more covers every bucket.
 *
 * @example A range that wraps past 360°
 * ```ts
 * import assert from "node:assert/strict";
 * import { rangeBuckets } from "./hue_ranges.ts";
 *
 * // 350–355, 355–360, 0–5, 5–10, 10–15, 15–20
 * assert.deepEqual(rangeBuckets({ from: 350, to: 20 }), [70, 71, 0, 1, 2, 3]);
 * assert.deepEqual(rangeBuckets({ from: 201, to: 202 }), [40]); // narrower than a bucket
 * ```
 */
export function rangeBuckets(r: HueRange): number[] {
  if (r.to - r.from >= 360) return Array.from({ length: HUE_BUCKETS }, (_, i) => i);
  const a = normalizeHue(r.from), b = normalizeHue(r.to);
  const width = b >= a ? b - a : b + 360 - a;
  const first = Math.round(a / HUE_BUCKET_DEGREES) % HUE_BUCKETS;
  const n = Math.round(width / HUE_BUCKET_DEGREES);
  if (n === 0) return [hueBucket(a + width / 2)];
  return Array.from({ length: Math.min(n, HUE_BUCKETS) }, (_, i) => (first + i) % HUE_BUCKETS);
}

/**
 * The same buckets as {@linkcode rangeBuckets}, as at most two inclusive
 * spans `[lo, hi]` (two when the range wraps past 0°), for SQL.
 *
 * @example A wrapping range is two spans
 * ```ts
 * import assert from "node:assert/strict";
 * import { bucketSpans } from "./hue_ranges.ts";
 *
 * assert.deepEqual(bucketSpans({ from: 350, to: 20 }), [[70, 71], [0, 3]]);
 * assert.deepEqual(bucketSpans({ from: 200, to: 260 }), [[40, 51]]);
 * ```
 */
export function bucketSpans(r: HueRange): [number, number][] {
  const b = rangeBuckets(r);
  if (b.length === HUE_BUCKETS) return [[0, HUE_BUCKETS - 1]];
  const first = b[0], last = b[b.length - 1];
  return first <= last ? [[first, last]] : [[first, HUE_BUCKETS - 1], [0, last]];
}

/**
 * The share of the picture whose hue lies in a range: the sum of the
 * shares of the buckets it covers, in stored units (see
 * {@linkcode SHARE_UNITS}).
 * @example Two blue buckets add up
 * ```ts
 * import assert from "node:assert/strict";
 * import { unitsInRange } from "./hue_ranges.ts";
 *
 * const shares = [{ hue: 25, share: 0.3 }, { hue: 220, share: 0.05 }, { hue: 225, share: 0.06 }];
 * assert.equal(unitsInRange(shares, { from: 200, to: 260 }), 1100);
 * ```
 */
export function unitsInRange(shares: readonly HueShare[], r: HueRange): number {
  const want = new Set(rangeBuckets(r));
  let sum = 0;
  for (const s of shares) if (want.has(hueBucket(s.hue))) sum += shareUnits(s.share);
  return sum;
}

/**
 * The share (0–1) of the picture whose hue lies in a range.
 *
 * @example The same as a share of the picture
 * ```ts
 * import assert from "node:assert/strict";
 * import { shareInRange } from "./hue_ranges.ts";
 *
 * const shares = [{ hue: 25, share: 0.3 }, { hue: 220, share: 0.05 }, { hue: 225, share: 0.06 }];
 * assert.equal(shareInRange(shares, { from: 200, to: 260 }), 0.11);
 * ```
 */
export function shareInRange(shares: readonly HueShare[], r: HueRange): number {
  return unitsInRange(shares, r) / SHARE_UNITS;
}

/**
 * Whether a range holds a real share ({@linkcode HUE_SHARE_MIN}) of the picture.
 *
 * @example Ten per cent or more matches
 * ```ts
 * import assert from "node:assert/strict";
 * import { rangeMatches } from "./hue_ranges.ts";
 *
 * const shares = [{ hue: 220, share: 0.05 }, { hue: 225, share: 0.06 }];
 * assert.equal(rangeMatches(shares, { from: 200, to: 260 }), true); // 11 %
 * assert.equal(rangeMatches(shares, { from: 200, to: 220 }), false); // 220–225 is outside
 * ```
 */
export function rangeMatches(shares: readonly HueShare[], r: HueRange): boolean {
  return unitsInRange(shares, r) >= shareUnits(HUE_SHARE_MIN);
}

/**
 * The mask of the named ranges that match: bit `i` is set when
 * `NAMED_HUES[i]` holds at least {@linkcode HUE_SHARE_MIN} of the picture.
 *
 * @example 30 % orange, 5 % blue
 * ```ts
 * import assert from "node:assert/strict";
 * import { hueMask, maskNames } from "./hue_ranges.ts";
 *
 * const mask = hueMask([{ hue: 25, share: 0.3 }, { hue: 220, share: 0.05 }]);
 * assert.equal(mask, 0b10); // bit 1, orange; blue holds too little
 * assert.deepEqual(maskNames(mask), ["orange"]);
 * ```
 */
export function hueMask(shares: readonly HueShare[]): number {
  let mask = 0;
  NAMED_HUES.forEach((r, i) => {
    if (rangeMatches(shares, r)) mask |= 1 << i;
  });
  return mask;
}

/**
 * The index of the named range equal to `r` (same ends modulo 360), or -1.
 *
 * @example Blue is the sixth named range
 * ```ts
 * import assert from "node:assert/strict";
 * import { NAMED_HUES, namedHueIndex } from "./hue_ranges.ts";
 *
 * assert.equal(NAMED_HUES[namedHueIndex({ from: 200, to: 260 })].name, "blue");
 * assert.equal(namedHueIndex({ from: -15, to: 15 }), 0); // red, modulo 360
 * assert.equal(namedHueIndex({ from: 200, to: 250 }), -1);
 * ```
 */
export function namedHueIndex(r: HueRange): number {
  if (r.to - r.from >= 360) return -1;
  const a = normalizeHue(r.from), b = normalizeHue(r.to);
  return NAMED_HUES.findIndex((n) => n.from === a && n.to === b);
}

/**
 * Every mask value (0–255) with bit `i` set: an IN list the mask index can seek.
 *
 * @example Half of the 256 masks have a given bit
 * ```ts
 * import assert from "node:assert/strict";
 * import { masksWithBit } from "./hue_ranges.ts";
 *
 * assert.equal(masksWithBit(7).length, 128);
 * assert.deepEqual(masksWithBit(0).slice(0, 4), [1, 3, 5, 7]);
 * ```
 */
export function masksWithBit(i: number): number[] {
  const out: number[] = [];
  for (let m = 0; m < 1 << NAMED_HUES.length; m++) if (m & (1 << i)) out.push(m);
  return out;
}

/**
 * The names of the ranges set in a mask.
 *
 * @example The names of the bits set
 * ```ts
 * import assert from "node:assert/strict";
 * import { maskNames } from "./hue_ranges.ts";
 *
 * assert.deepEqual(maskNames(0b100010), ["orange", "blue"]);
 * assert.deepEqual(maskNames(0), []);
 * ```
 */
export function maskNames(mask: number): string[] {
  return NAMED_HUES.filter((_, i) => mask & (1 << i)).map((n) => n.name);
}

/**
 * The middle of a named range in degrees (wrapping ranges included).
 *
 * @example The middle of a range, wrapping included
 * ```ts
 * import assert from "node:assert/strict";
 * import { rangeCentre } from "./hue_ranges.ts";
 *
 * assert.equal(rangeCentre({ from: 345, to: 15 }), 0);
 * assert.equal(rangeCentre({ from: 200, to: 260 }), 230);
 * ```
 */
export function rangeCentre(r: HueRange): number {
  const a = normalizeHue(r.from), b = normalizeHue(r.to);
  const width = b >= a ? b - a : b + 360 - a;
  return normalizeHue(a + width / 2);
}
