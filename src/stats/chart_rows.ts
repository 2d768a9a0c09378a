/**
 * The rows of the collection charts that `varietal stats` (terminal bars)
 * and `varietal report` (SVG bars) draw alike (pure).
 *
 * @module
 */
import type { CollectionStats } from "./collection_stats.ts";

/** One bar: its label and count. */
export interface ChartRow {
  label: string;
  count: number;
}

/** A bar with its `#rrggbb` colour. */
export interface ColoredRow extends ChartRow {
  color: string;
}

/**
 * A grey `#rrggbb` for a lightness in [0, 1] (kept off pure black and white).
 *
 * @example Greys kept off pure black and white
 * ```ts
 * import assert from "node:assert/strict";
 * import { greyHex } from "./chart_rows.ts";
 *
 * assert.equal(greyHex(0), "#282828");
 * assert.equal(greyHex(1), "#f0f0f0");
 * ```
 */
export function greyHex(lightness: number): string {
  const v = Math.round(40 + lightness * 200).toString(16).padStart(2, "0");
  return `#${v}${v}${v}`;
}

/**
 * The 10-bin lightness histogram, each bar in the grey of its centre.
 *
 * @example Ten bars of 0.1
 * ```ts
 * import assert from "node:assert/strict";
 * import { distributions } from "./summarize.ts";
 * import { greyHex, lightnessHistogramRows } from "./chart_rows.ts";
 *
 * const d = distributions([
 *   { d: "l", b: 6, n: 3 }, // lightness 0.30–0.35: three palettes
 *   { d: "l", b: 15, n: 1 }, // 0.75–0.80: one
 *   { d: "h", b: 0b100010, n: 2 }, // orange and blue: two
 *   { d: "h", b: 0, n: 1 }, // grey: one
 *   { d: "h", b: -1, n: 1 }, // not recomputed: one
 *   { d: "t", b: -1, n: 3 }, // cool: three
 *   { d: "t", b: 1, n: 1 }, // warm: one
 * ]);
 * const rows = lightnessHistogramRows({ lightness: d.lightness });
 * assert.equal(rows.length, 10);
 * assert.deepEqual(rows[3], { label: "0.3–0.4", count: 3, color: greyHex(0.35) });
 * ```
 */
export function lightnessHistogramRows(s: Pick<CollectionStats, "lightness">): ColoredRow[] {
  return s.lightness.histogram.map((b) => ({
    label: b.name,
    count: b.count,
    color: greyHex((b.from + b.to) / 2),
  }));
}

/**
 * The named hue ranges in their colours, then the grey palettes, then (when
 * there are any) those whose figures are not recomputed yet.
 *
 * @example The named ranges, grey, and the palettes not recomputed
 * ```ts
 * import assert from "node:assert/strict";
 * import { distributions } from "./summarize.ts";
 * import { hueRows } from "./chart_rows.ts";
 *
 * const d = distributions([
 *   { d: "l", b: 6, n: 3 }, // lightness 0.30–0.35: three palettes
 *   { d: "l", b: 15, n: 1 }, // 0.75–0.80: one
 *   { d: "h", b: 0b100010, n: 2 }, // orange and blue: two
 *   { d: "h", b: 0, n: 1 }, // grey: one
 *   { d: "h", b: -1, n: 1 }, // not recomputed: one
 *   { d: "t", b: -1, n: 3 }, // cool: three
 *   { d: "t", b: 1, n: 1 }, // warm: one
 * ]);
 * const rows = hueRows({ hue: d.hue });
 * assert.deepEqual(rows.filter((r) => r.count > 0).map((r) => `${r.label}: ${r.count}`), [
 *   "orange 15–45°: 2",
 *   "blue 200–260°: 2",
 *   "grey: 1",
 *   "not recomputed: 1",
 * ]);
 * ```
 */
export function hueRows(s: Pick<CollectionStats, "hue">): ColoredRow[] {
  return [
    ...s.hue.bins.map((b) => ({
      label: `${b.name} ${b.from}–${b.to}°`,
      count: b.count,
      color: b.color,
    })),
    { label: "grey", count: s.hue.grey, color: "#9a9a9a" },
    ...(s.hue.pending ? [{ label: "not recomputed", count: s.hue.pending, color: "#5a5a5a" }] : []),
  ];
}

/**
 * Cool, neutral and warm palettes.
 *
 * @example Cool, neutral, warm
 * ```ts
 * import assert from "node:assert/strict";
 * import { distributions } from "./summarize.ts";
 * import { temperatureRows } from "./chart_rows.ts";
 *
 * const d = distributions([
 *   { d: "l", b: 6, n: 3 }, // lightness 0.30–0.35: three palettes
 *   { d: "l", b: 15, n: 1 }, // 0.75–0.80: one
 *   { d: "h", b: 0b100010, n: 2 }, // orange and blue: two
 *   { d: "h", b: 0, n: 1 }, // grey: one
 *   { d: "h", b: -1, n: 1 }, // not recomputed: one
 *   { d: "t", b: -1, n: 3 }, // cool: three
 *   { d: "t", b: 1, n: 1 }, // warm: one
 * ]);
 * assert.deepEqual(temperatureRows({ temperature: d.temperature }).map((r) => r.count), [3, 0, 1]);
 * ```
 */
export function temperatureRows(s: Pick<CollectionStats, "temperature">): ColoredRow[] {
  return [
    { label: "cool", count: s.temperature.cool, color: "#5b8def" },
    { label: "neutral", count: s.temperature.neutral, color: "#a0a0a0" },
    { label: "warm", count: s.temperature.warm, color: "#ef8d4b" },
  ];
}

const FRESHNESS_LABELS: Record<string, string> = {
  day: "last day",
  week: "last week",
  month: "last month",
  older: "older",
  never: "never",
};

/**
 * When present images were last shown (last day … never).
 *
 * @example Labels for the freshness windows
 * ```ts
 * import assert from "node:assert/strict";
 * import { freshnessRows } from "./chart_rows.ts";
 *
 * const freshness = [{ name: "day", count: 2 }, { name: "never", count: 5 }];
 * assert.deepEqual(freshnessRows({ freshness }), [
 *   { label: "last day", count: 2 },
 *   { label: "never", count: 5 },
 * ]);
 * ```
 */
export function freshnessRows(s: Pick<CollectionStats, "freshness">): ChartRow[] {
  return s.freshness.map((f) => ({ label: FRESHNESS_LABELS[f.name] ?? f.name, count: f.count }));
}
