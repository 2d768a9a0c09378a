/**
 * Selection constraints (pure): the record, the SQL WHERE clause that
 * filters on indexed columns, the same test as a plain predicate, and
 * time-of-day rules.
 *
 * SQL clauses refer to `i` (images) and `p` (palettes, LEFT JOINed: its
 * columns are NULL when the image has no palette). Colour constraints
 * exclude images without a palette; the others include them.
 *
 * A hue range matches an image when at least `HUE_SHARE_MIN` (10 %) of the
 * picture lies in it (see `src/palette/hue_ranges.ts`): a named range is
 * read from the palette's `hue_mask`, any other range from the summed
 * shares in `palette_hues`. Palettes whose figures are from an older
 * version (`hue_mask` NULL) match no hue or saturation constraint until
 * `varietal extract` recomputes them; lightness and temperature, which kept
 * their meaning, still apply to them.
 *
 * @module
 */
import type { Lightness, Orientation } from "../config/choices.ts";
import type { TimeRule } from "../config/schema.ts";
import {
  bucketSpans,
  HUE_SHARE_MIN,
  type HueRange,
  type HueShare,
  masksWithBit,
  NAMED_HUES,
  namedHueIndex,
  normalizeHue,
  rangeBuckets,
  rangeMatches,
  shareUnits,
} from "../palette/hue_ranges.ts";
import type { SimilaritySummary } from "./weights.ts";

export type { HueRange };
export { normalizeHue };

/** Average lightness (OKLab L, as palettes store it) below this is "dark", at or above it "light". */
export const DARK_BELOW = 0.5;

/** What the user asked for. Every field is optional; empty means anything. */
export interface Constraints {
  lightness?: "dark" | "light";
  hue?: HueRange;
  /** 0–1 */
  minSaturation?: number;
  /** 0–1 */
  maxSaturation?: number;
  temperature?: "warm" | "cool";
  orientation?: Orientation;
  minWidth?: number;
  minHeight?: number;
  /** A soft preference for palettes close to this one (images without a palette are excluded). */
  similarTo?: SimilaritySummary;
  /** Where `similarTo` came from, for messages. */
  similarToLabel?: string;
  /** The image `similarTo` is the palette of, when in the collection: never picked (like it, not it). */
  similarToImage?: number;
  /** Skip `selection.time_rules`. */
  ignoreTimeRules?: boolean;
  /** Seed for a reproducible draw. */
  seed?: number;
}

/** The facts a constraint looks at (an image row joined with its palette summary). */
export interface ConstraintSubject {
  width: number;
  height: number;
  /** null when the image has no palette */
  palette: {
    avg_hue: number | null;
    avg_saturation: number;
    avg_lightness: number;
    temperature: number;
    /** undefined when the figures are from an older version (not recomputed yet) */
    hue_shares?: readonly HueShare[];
  } | null;
}

/** A WHERE fragment with its parameters. */
export interface SqlClause {
  sql: string;
  params: (number | string)[];
}

/**
 * Whether any colour constraint is set (they need a palette).
 *
 * @example Colour constraints need a palette, size ones do not
 * ```ts
 * import assert from "node:assert/strict";
 * import { needsPalette } from "./constraints.ts";
 *
 * assert.equal(needsPalette({ lightness: "dark" }), true);
 * assert.equal(needsPalette({ orientation: "portrait", minWidth: 1920 }), false);
 * ```
 */
export function needsPalette(c: Constraints): boolean {
  return c.lightness !== undefined || c.hue !== undefined || c.minSaturation !== undefined ||
    c.maxSaturation !== undefined || c.temperature !== undefined || c.similarTo !== undefined;
}

/**
 * The hue condition. A named range tests a bit of `p.hue_mask` (as an IN
 * list of mask values, which the mask index can seek); another range sums
 * the image's `palette_hues` rows of the buckets it covers — per row
 * (`"row"`, a primary-key lookup per image) or, for a scan of the
 * matching ids (`"set"`), as one grouped range scan of the bucket index.
 */
function hueSql(r: HueRange, form: "row" | "set"): SqlClause {
  const named = namedHueIndex(sameBucketsAsNamed(r));
  if (named >= 0) return { sql: `p.hue_mask IN (${masksWithBit(named).join(",")})`, params: [] };
  const spans = bucketSpans(r);
  const buckets = spans.map(() => "h.bucket BETWEEN ? AND ?").join(" OR ");
  const params = [...spans.flat(), shareUnits(HUE_SHARE_MIN)];
  if (form === "row") {
    return {
      sql: `p.hue_mask IS NOT NULL AND (SELECT SUM(h.share) FROM palette_hues h
        WHERE h.image_id = p.image_id AND (${buckets})) >= ?`,
      params,
    };
  }
  const ids = hueIdsSql(r);
  return { sql: `p.image_id IN (${ids.sql})`, params: ids.params };
}

/**
 * The ids of the images a custom hue range matches, from the hue bucket
 * index alone: one bucket is a seek on `(bucket, share)`; several are a
 * grouped range scan (cost grows with the width of the range).
 */
function hueIdsSql(r: HueRange): SqlClause {
  const spans = bucketSpans(r);
  const min = shareUnits(HUE_SHARE_MIN);
  if (spans.length === 1 && spans[0][0] === spans[0][1]) {
    return {
      sql: "SELECT h.image_id FROM palette_hues h WHERE h.bucket = ? AND h.share >= ?",
      params: [spans[0][0], min],
    };
  }
  // INDEXED BY: without it the planner may scan the whole table in image order
  // to skip the GROUP BY sort, which costs far more than the range of buckets.
  return {
    sql: `SELECT h.image_id FROM palette_hues h INDEXED BY palette_hues_bucket
      WHERE ${spans.map(() => "h.bucket BETWEEN ? AND ?").join(" OR ")}
      GROUP BY h.image_id HAVING SUM(h.share) >= ?`,
    params: [...spans.flat(), min],
  };
}

/** Whether a colour constraint other than the hue is set (lightness, temperature, saturation). */
function otherColours(c: Constraints): boolean {
  return c.lightness !== undefined || c.temperature !== undefined ||
    c.minSaturation !== undefined || c.maxSaturation !== undefined;
}

/** A named range with the same buckets as `r` (e.g. 201–259 is blue), else `r` itself. */
function sameBucketsAsNamed(r: HueRange): HueRange {
  const want = rangeBuckets(r).join();
  return NAMED_HUES.find((n) => rangeBuckets(n).join() === want) ?? r;
}

/**
 * Builds the WHERE clause for the constraints (without banned/missing,
 * which the selector always adds).
 *
 * @returns `{ sql: "1" }` when nothing is constrained.
 * @example Dark landscape images
 * ```ts
 * import assert from "node:assert/strict";
 * import { constraintSql } from "./constraints.ts";
 *
 * assert.deepEqual(constraintSql({ lightness: "dark", orientation: "landscape" }), {
 *   sql: "p.image_id IS NOT NULL AND p.avg_lightness < ? AND i.width >= i.height",
 *   params: [0.5],
 * });
 * assert.deepEqual(constraintSql({}), { sql: "1", params: [] });
 * ```
 */
export function constraintSql(c: Constraints): SqlClause {
  return buildSql(c, "row");
}

function buildSql(c: Constraints, hueForm: "row" | "set"): SqlClause {
  const parts: string[] = [];
  const params: (number | string)[] = [];
  if (needsPalette(c)) parts.push("p.image_id IS NOT NULL");
  if (c.lightness === "dark") {
    parts.push("p.avg_lightness < ?");
    params.push(DARK_BELOW);
  } else if (c.lightness === "light") {
    parts.push("p.avg_lightness >= ?");
    params.push(DARK_BELOW);
  }
  if (c.hue) {
    // A custom range of several buckets beside other colour constraints is
    // checked per row, so that their covering index drives the scan instead of
    // a grouped scan of every image with some share in the range.
    const form = hueForm === "set" && otherColours(c) && rangeBuckets(c.hue).length > 1
      ? "row"
      : hueForm;
    const h = hueSql(c.hue, form);
    parts.push(h.sql);
    params.push(...h.params);
  }
  if (c.minSaturation !== undefined || c.maxSaturation !== undefined) {
    parts.push("p.hue_mask IS NOT NULL");
  }
  if (c.minSaturation !== undefined) {
    parts.push("p.avg_saturation >= ?");
    params.push(c.minSaturation);
  }
  if (c.maxSaturation !== undefined) {
    parts.push("p.avg_saturation <= ?");
    params.push(c.maxSaturation);
  }
  if (c.temperature === "warm") parts.push("p.temperature > 0");
  else if (c.temperature === "cool") parts.push("p.temperature < 0");
  if (c.orientation === "landscape") parts.push("i.width >= i.height");
  else if (c.orientation === "portrait") parts.push("i.height > i.width");
  if (c.minWidth !== undefined) {
    parts.push("i.width >= ?");
    params.push(c.minWidth);
  }
  if (c.minHeight !== undefined) {
    parts.push("i.height >= ?");
    params.push(c.minHeight);
  }
  return { sql: parts.length ? parts.join(" AND ") : "1", params };
}

/**
 * The palette-summary part of the constraints alone, for a scan of the
 * covering colour indexes (`SELECT image_id FROM palettes p WHERE …`); a
 * hue range that is not named is read with one grouped scan of the hue
 * bucket index.
 *
 * @returns undefined when no lightness, hue, saturation or temperature is constrained.
 * @example Only the palette part, for a scan of the colour indexes
 * ```ts
 * import assert from "node:assert/strict";
 * import { paletteSql } from "./constraints.ts";
 *
 * assert.deepEqual(paletteSql({ lightness: "light", minWidth: 800 }), {
 *   sql: "p.image_id IS NOT NULL AND p.avg_lightness >= ?",
 *   params: [0.5],
 * });
 * assert.equal(paletteSql({ minWidth: 800 }), undefined); // no colour constrained
 * ```
 */
export function paletteSql(c: Constraints): SqlClause | undefined {
  const only: Constraints = {
    lightness: c.lightness,
    hue: c.hue,
    minSaturation: c.minSaturation,
    maxSaturation: c.maxSaturation,
    temperature: c.temperature,
  };
  const clause = buildSql(only, "set");
  return clause.sql === "1" || clause.sql === "p.image_id IS NOT NULL" ? undefined : clause;
}

/**
 * A query of image ids for random proposals when colours are sparse: those
 * {@linkcode paletteSql} matches, read from the covering colour indexes — or,
 * for a hue range that is not a named one and is the only colour constraint
 * or one 5° bucket wide, the images that range matches, read from the hue
 * bucket index alone (a superset when other colours are constrained too:
 * proposals are checked against every constraint anyway, and this spares a
 * palette-row lookup per image).
 *
 * @returns undefined when {@linkcode paletteSql} is.
 * @example One 5° bucket is a seek on the hue bucket index
 * ```ts
 * import assert from "node:assert/strict";
 * import { paletteIdsSql } from "./constraints.ts";
 *
 * // 350–355° is bucket 70; at least 10 % of the picture is 1000 units of 1/10000
 * assert.deepEqual(paletteIdsSql({ hue: { from: 350, to: 355 } }), {
 *   sql: "SELECT h.image_id FROM palette_hues h WHERE h.bucket = ? AND h.share >= ?",
 *   params: [70, 1000],
 * });
 * ```
 */
export function paletteIdsSql(c: Constraints): SqlClause | undefined {
  const where = paletteSql(c);
  if (!where) return undefined;
  const custom = c.hue && namedHueIndex(sameBucketsAsNamed(c.hue)) < 0;
  const single = c.hue && rangeBuckets(c.hue).length === 1;
  if (custom && (single || !otherColours(c))) return hueIdsSql(c.hue!);
  return { sql: `SELECT p.image_id FROM palettes p WHERE ${where.sql}`, params: where.params };
}

/**
 * The same test as {@linkcode constraintSql}, on a plain record.
 *
 * @example The predicate form of the same constraints
 * ```ts
 * import assert from "node:assert/strict";
 * import { matchesConstraints } from "./constraints.ts";
 *
 * const image = {
 *   width: 1920,
 *   height: 1080,
 *   palette: {
 *     avg_hue: 30,
 *     avg_saturation: 0.6,
 *     avg_lightness: 0.3,
 *     temperature: 0.5,
 *     hue_shares: [{ hue: 25, share: 0.4 }],
 *   },
 * };
 * assert.equal(matchesConstraints(image, { lightness: "dark", hue: { from: 15, to: 45 } }), true);
 * assert.equal(matchesConstraints(image, { temperature: "cool" }), false);
 * assert.equal(matchesConstraints({ ...image, palette: null }, { lightness: "dark" }), false);
 * ```
 */
export function matchesConstraints(x: ConstraintSubject, c: Constraints): boolean {
  const p = x.palette;
  if (needsPalette(c) && !p) return false;
  if (p) {
    if (c.lightness === "dark" && !(p.avg_lightness < DARK_BELOW)) return false;
    if (c.lightness === "light" && !(p.avg_lightness >= DARK_BELOW)) return false;
    const shares = p.hue_shares;
    if (c.hue && (!shares || !rangeMatches(shares, c.hue))) return false;
    const saturation = c.minSaturation !== undefined || c.maxSaturation !== undefined;
    if (saturation && !shares) return false;
    if (c.minSaturation !== undefined && !(p.avg_saturation >= c.minSaturation)) return false;
    if (c.maxSaturation !== undefined && !(p.avg_saturation <= c.maxSaturation)) return false;
    if (c.temperature === "warm" && !(p.temperature > 0)) return false;
    if (c.temperature === "cool" && !(p.temperature < 0)) return false;
  }
  if (c.orientation === "landscape" && x.width < x.height) return false;
  if (c.orientation === "portrait" && x.height <= x.width) return false;
  if (c.minWidth !== undefined && x.width < c.minWidth) return false;
  if (c.minHeight !== undefined && x.height < c.minHeight) return false;
  return true;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

/**
 * The time-of-day rule in force at a local time: the first rule whose
 * `[from, to)` window contains it (windows may wrap past midnight; `from ==
 * to` means all day).
 *
 * @param rules `selection.time_rules`.
 * @param minuteOfDay Local minutes since midnight (0–1439).
 * @example A night rule wraps past midnight
 * ```ts
 * import assert from "node:assert/strict";
 * import { activeTimeRule } from "./constraints.ts";
 * import type { TimeRule } from "../config/schema.ts";
 *
 * const rules: TimeRule[] = [
 *   { from: "08:00", to: "18:00", lightness: "light" },
 *   { from: "18:00", to: "08:00", lightness: "dark" },
 * ];
 * assert.equal(activeTimeRule(rules, 12 * 60)?.lightness, "light");
 * assert.equal(activeTimeRule(rules, 2 * 60)?.lightness, "dark"); // 02:00
 * assert.equal(activeTimeRule([], 12 * 60), undefined);
 * ```
 */
export function activeTimeRule(
  rules: readonly TimeRule[],
  minuteOfDay: number,
): TimeRule | undefined {
  for (const r of rules) {
    const a = minutes(r.from), b = minutes(r.to);
    const inside = a === b ||
      (a < b ? minuteOfDay >= a && minuteOfDay < b : minuteOfDay >= a || minuteOfDay < b);
    if (inside) return r;
  }
  return undefined;
}

/**
 * The clause a time rule adds: images with a palette of the other lightness
 * are left out; images without a palette stay in (their lightness is unknown).
 *
 * @example A dark rule keeps images without a palette
 * ```ts
 * import assert from "node:assert/strict";
 * import { timeRuleSql } from "./constraints.ts";
 *
 * assert.deepEqual(timeRuleSql("dark"), {
 *   sql: "(p.image_id IS NULL OR p.avg_lightness < ?)",
 *   params: [0.5],
 * });
 * ```
 */
export function timeRuleSql(lightness: Lightness): SqlClause {
  if (lightness === "dark") {
    return { sql: "(p.image_id IS NULL OR p.avg_lightness < ?)", params: [DARK_BELOW] };
  }
  if (lightness === "light") {
    return { sql: "(p.image_id IS NULL OR p.avg_lightness >= ?)", params: [DARK_BELOW] };
  }
  return { sql: "1", params: [] };
}

/**
 * Describes constraints in words, for messages ("dark, hue 350–20").
 *
 * @example Constraints in words
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeConstraints } from "./constraints.ts";
 *
 * assert.equal(
 *   describeConstraints({ lightness: "dark", hue: { from: 15, to: 45 }, minWidth: 1920 }),
 *   "dark, hue orange 15–45°, width ≥ 1920",
 * );
 * assert.equal(describeConstraints({}), "");
 * ```
 */
export function describeConstraints(c: Constraints): string {
  const out: string[] = [];
  if (c.lightness) out.push(c.lightness);
  if (c.hue) out.push(`hue ${describeHue(c.hue)}`);
  if (c.minSaturation !== undefined) out.push(`saturation ≥ ${c.minSaturation}`);
  if (c.maxSaturation !== undefined) out.push(`saturation ≤ ${c.maxSaturation}`);
  if (c.temperature) out.push(c.temperature);
  if (c.orientation) out.push(c.orientation);
  if (c.minWidth !== undefined) out.push(`width ≥ ${c.minWidth}`);
  if (c.minHeight !== undefined) out.push(`height ≥ ${c.minHeight}`);
  if (c.similarTo) out.push(`similar to ${c.similarToLabel ?? "a palette"}`);
  return out.join(", ");
}

/**
 * A hue range in words: its name when it is a named one ("orange 15–45°").
 *
 * @example A named range by name, any other by degrees
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeHue } from "./constraints.ts";
 *
 * assert.equal(describeHue({ from: 15, to: 45 }), "orange 15–45°");
 * assert.equal(describeHue({ from: 350, to: 20 }), "350–20°");
 * ```
 */
export function describeHue(r: HueRange): string {
  const i = namedHueIndex(r);
  return i >= 0 ? `${NAMED_HUES[i].name} ${r.from}–${r.to}°` : `${r.from}–${r.to}°`;
}
