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

/** A share (0–1) in stored units. */
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

/** Normalises degrees to [0, 360). */
export function normalizeHue(h: number): number {
  // Values already in range are kept as they are: `(h + 360) % 360` would round
  // a tiny hue such as 5e-324 to 0.
  if (h >= 0 && h < 360) return h;
  const x = ((h % 360) + 360) % 360;
  return x >= 360 ? 0 : x;
}

/** The bucket (0–71) a hue in degrees falls in. */
export function hueBucket(h: number): number {
  return Math.min(HUE_BUCKETS - 1, Math.floor(normalizeHue(h) / HUE_BUCKET_DEGREES));
}

/**
 * The buckets a range covers, in circular order from its start. The ends
 * are rounded to the nearest bucket edge (matching is done at 5°
 * resolution); a range narrower than that covers the bucket of its middle;
 * a range of 360° or more covers every bucket.
 *
 * @example
 * ```ts
 * import { rangeBuckets } from "./hue_ranges.ts";
 * // 350–20 wraps: 350–355, 355–360, 0–5, 5–10, 10–15, 15–20
 * if (rangeBuckets({ from: 350, to: 20 }).join() !== "70,71,0,1,2,3") throw new Error();
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
 */
export function unitsInRange(shares: readonly HueShare[], r: HueRange): number {
  const want = new Set(rangeBuckets(r));
  let sum = 0;
  for (const s of shares) if (want.has(hueBucket(s.hue))) sum += shareUnits(s.share);
  return sum;
}

/** The share (0–1) of the picture whose hue lies in a range. */
export function shareInRange(shares: readonly HueShare[], r: HueRange): number {
  return unitsInRange(shares, r) / SHARE_UNITS;
}

/** Whether a range holds a real share ({@linkcode HUE_SHARE_MIN}) of the picture. */
export function rangeMatches(shares: readonly HueShare[], r: HueRange): boolean {
  return unitsInRange(shares, r) >= shareUnits(HUE_SHARE_MIN);
}

/**
 * The mask of the named ranges that match: bit `i` is set when
 * `NAMED_HUES[i]` holds at least {@linkcode HUE_SHARE_MIN} of the picture.
 *
 * @example
 * ```ts
 * import { hueMask } from "./hue_ranges.ts";
 * // 30 % orange (bit 1), 5 % blue (too little)
 * if (hueMask([{ hue: 25, share: 0.3 }, { hue: 220, share: 0.05 }]) !== 2) throw new Error();
 * ```
 */
export function hueMask(shares: readonly HueShare[]): number {
  let mask = 0;
  NAMED_HUES.forEach((r, i) => {
    if (rangeMatches(shares, r)) mask |= 1 << i;
  });
  return mask;
}

/** The index of the named range equal to `r` (same ends modulo 360), or -1. */
export function namedHueIndex(r: HueRange): number {
  if (r.to - r.from >= 360) return -1;
  const a = normalizeHue(r.from), b = normalizeHue(r.to);
  return NAMED_HUES.findIndex((n) => n.from === a && n.to === b);
}

/** Every mask value (0–255) with bit `i` set: an IN list the mask index can seek. */
export function masksWithBit(i: number): number[] {
  const out: number[] = [];
  for (let m = 0; m < 1 << NAMED_HUES.length; m++) if (m & (1 << i)) out.push(m);
  return out;
}

/** The names of the ranges set in a mask. */
export function maskNames(mask: number): string[] {
  return NAMED_HUES.filter((_, i) => mask & (1 << i)).map((n) => n.name);
}

/** The middle of a named range in degrees (wrapping ranges included). */
export function rangeCentre(r: HueRange): number {
  const a = normalizeHue(r.from), b = normalizeHue(r.to);
  const width = b >= a ? b - a : b + 360 - a;
  return normalizeHue(a + width / 2);
}
