/**
 * Selection constraints (pure): the record, the SQL WHERE clause that
 * filters on indexed columns, the same test as a plain predicate, and
 * time-of-day rules.
 *
 * SQL clauses refer to `i` (images) and `p` (palettes, LEFT JOINed: its
 * columns are NULL when the image has no palette). Colour constraints
 * exclude images without a palette; the others include them.
 *
 * @module
 */
import type { Lightness, Orientation } from "../config/choices.ts";
import type { TimeRule } from "../config/schema.ts";
import type { SimilaritySummary } from "./weights.ts";

/** Average lightness (OKLab L, as palettes store it) below this is "dark", at or above it "light". */
export const DARK_BELOW = 0.5;

/** An inclusive hue range in degrees; `from > to` wraps past 360 (350–20). */
export interface HueRange {
  from: number;
  to: number;
}

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
  } | null;
}

/** A WHERE fragment with its parameters. */
export interface SqlClause {
  sql: string;
  params: (number | string)[];
}

/** Normalises degrees to [0, 360). */
export function normalizeHue(h: number): number {
  // Values already in range are kept as they are: `(h + 360) % 360` would round
  // a tiny hue such as 5e-324 to 0, and SQL compares the stored value itself.
  if (h >= 0 && h < 360) return h;
  return ((h % 360) + 360) % 360;
}

/** Whether a hue lies in a range (inclusive, wrapping when `from > to`). */
export function hueInRange(h: number, r: HueRange): boolean {
  const x = normalizeHue(h), a = normalizeHue(r.from), b = normalizeHue(r.to);
  if (r.to - r.from >= 360) return true;
  return a <= b ? x >= a && x <= b : x >= a || x <= b;
}

/** Whether any colour constraint is set (they need a palette). */
export function needsPalette(c: Constraints): boolean {
  return c.lightness !== undefined || c.hue !== undefined || c.minSaturation !== undefined ||
    c.maxSaturation !== undefined || c.temperature !== undefined || c.similarTo !== undefined;
}

/**
 * Builds the WHERE clause for the constraints (without banned/missing,
 * which the selector always adds).
 *
 * @returns `{ sql: "1" }` when nothing is constrained.
 */
export function constraintSql(c: Constraints): SqlClause {
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
  if (c.hue && c.hue.to - c.hue.from < 360) {
    const a = normalizeHue(c.hue.from), b = normalizeHue(c.hue.to);
    if (a <= b) parts.push("p.avg_hue BETWEEN ? AND ?");
    else parts.push("(p.avg_hue >= ? OR p.avg_hue <= ?)");
    params.push(a, b);
  } else if (c.hue) {
    parts.push("p.avg_hue IS NOT NULL");
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
  else if (c.orientation === "portrait") parts.push("i.height >= i.width");
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
 * covering colour indexes (`SELECT image_id FROM palettes p WHERE …`).
 *
 * @returns undefined when no lightness, hue, saturation or temperature is constrained.
 */
export function paletteSql(c: Constraints): SqlClause | undefined {
  const only: Constraints = {
    lightness: c.lightness,
    hue: c.hue,
    minSaturation: c.minSaturation,
    maxSaturation: c.maxSaturation,
    temperature: c.temperature,
  };
  const clause = constraintSql(only);
  return clause.sql === "1" || clause.sql === "p.image_id IS NOT NULL" ? undefined : clause;
}

/** The same test as {@linkcode constraintSql}, on a plain record. */
export function matchesConstraints(x: ConstraintSubject, c: Constraints): boolean {
  const p = x.palette;
  if (needsPalette(c) && !p) return false;
  if (p) {
    if (c.lightness === "dark" && !(p.avg_lightness < DARK_BELOW)) return false;
    if (c.lightness === "light" && !(p.avg_lightness >= DARK_BELOW)) return false;
    if (c.hue && (p.avg_hue === null || !hueInRange(p.avg_hue, c.hue))) return false;
    if (c.minSaturation !== undefined && !(p.avg_saturation >= c.minSaturation)) return false;
    if (c.maxSaturation !== undefined && !(p.avg_saturation <= c.maxSaturation)) return false;
    if (c.temperature === "warm" && !(p.temperature > 0)) return false;
    if (c.temperature === "cool" && !(p.temperature < 0)) return false;
  }
  if (c.orientation === "landscape" && x.width < x.height) return false;
  if (c.orientation === "portrait" && x.height < x.width) return false;
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

/** Describes constraints in words, for messages ("dark, hue 350–20"). */
export function describeConstraints(c: Constraints): string {
  const out: string[] = [];
  if (c.lightness) out.push(c.lightness);
  if (c.hue) out.push(`hue ${c.hue.from}–${c.hue.to}`);
  if (c.minSaturation !== undefined) out.push(`saturation ≥ ${c.minSaturation}`);
  if (c.maxSaturation !== undefined) out.push(`saturation ≤ ${c.maxSaturation}`);
  if (c.temperature) out.push(c.temperature);
  if (c.orientation) out.push(c.orientation);
  if (c.minWidth !== undefined) out.push(`width ≥ ${c.minWidth}`);
  if (c.minHeight !== undefined) out.push(`height ≥ ${c.minHeight}`);
  if (c.similarTo) out.push(`similar to ${c.similarToLabel ?? "a palette"}`);
  return out.join(", ");
}
