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

/** A grey `#rrggbb` for a lightness in [0, 1] (kept off pure black and white). */
export function greyHex(lightness: number): string {
  const v = Math.round(40 + lightness * 200).toString(16).padStart(2, "0");
  return `#${v}${v}${v}`;
}

/** The 10-bin lightness histogram, each bar in the grey of its centre. */
export function lightnessHistogramRows(s: CollectionStats): ColoredRow[] {
  return s.lightness.histogram.map((b) => ({
    label: b.name,
    count: b.count,
    color: greyHex((b.from + b.to) / 2),
  }));
}

/**
 * The named hue ranges in their colours, then the grey palettes, then (when
 * there are any) those whose figures are not recomputed yet.
 */
export function hueRows(s: CollectionStats): ColoredRow[] {
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

/** Cool, neutral and warm palettes. */
export function temperatureRows(s: CollectionStats): ColoredRow[] {
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

/** When present images were last shown (last day … never). */
export function freshnessRows(s: CollectionStats): ChartRow[] {
  return s.freshness.map((f) => ({ label: FRESHNESS_LABELS[f.name] ?? f.name, count: f.count }));
}
