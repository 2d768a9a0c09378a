/**
 * Folding aggregate rows into the figures `varietal stats` shows (pure).
 *
 * @module
 */
import {
  type BucketDef,
  bucketOfCell,
  GRID,
  hueBinColor,
  LIGHTNESS_BUCKETS,
  SATURATION_BUCKETS,
  SELECTION_DARK_BELOW,
} from "./buckets.ts";
import { NAMED_HUES } from "../palette/hue_ranges.ts";

/** A counted range. */
export interface Bucket {
  name: string;
  from: number;
  to: number;
  count: number;
}

/** A counted named hue range with its display colour (`from > to` wraps past 360°). */
export interface HueBin extends Bucket {
  /** `#rrggbb` of the range's centre hue. */
  color: string;
}

/** Distributions over the palettes of present images. */
export interface PaletteDistributions {
  /** Palettes counted. */
  total: number;
  lightness: {
    buckets: Bucket[];
    /** 10 bins of 0.1. */
    histogram: Bucket[];
    /** How `--lightness dark|light` splits the collection (at 0.5). */
    selection: { dark: number; light: number };
  };
  /**
   * Palettes per named hue range (a palette is in every range holding 10 %
   * of its picture, so the bins can add up to more than `total`); `grey`:
   * in no range; `pending`: figures from an older version, not recomputed
   * yet (in no hue or saturation count).
   */
  hue: { bins: HueBin[]; grey: number; pending: number };
  /** Saturation of the palettes whose figures are current (`total - hue.pending`). */
  saturation: { buckets: Bucket[]; histogram: Bucket[] };
  temperature: { cool: number; neutral: number; warm: number };
}

/**
 * Palettes counted along one axis of the grid, as the database returns them:
 * `d` "l" lightness cell 0–19, "h" hue mask (0 grey, -1 pending), "s"
 * saturation cell 0–19 (-1 pending), "t" temperature -1/0/1.
 */
export interface Marginal {
  d: "l" | "h" | "s" | "t";
  b: number;
  n: number;
}

function buckets(defs: readonly BucketDef[]): Bucket[] {
  return defs.map((d) => ({ name: d.name, from: d.from, to: d.to, count: 0 }));
}

function histogram(bins: number): Bucket[] {
  return Array.from({ length: bins }, (_, i) => {
    const from = Math.round((i / bins) * 100) / 100;
    const to = Math.round(((i + 1) / bins) * 100) / 100;
    return { name: `${from.toFixed(1)}–${to.toFixed(1)}`, from, to, count: 0 };
  });
}

/**
 * Distributions from the grid's marginal counts.
 *
 * @param all Counts of every palette.
 * @param minus Counts to take away (the palettes of missing images).
 * @example Marginal counts of the grid into buckets
 * ```ts
 * import assert from "node:assert/strict";
 * import { distributions } from "./summarize.ts";
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
 * assert.equal(d.total, 4);
 * assert.deepEqual(d.lightness.buckets.map((b) => b.count), [3, 0, 1]); // dark, medium, light
 * assert.deepEqual(d.lightness.selection, { dark: 3, light: 1 });
 * assert.deepEqual([d.hue.grey, d.hue.pending], [1, 1]);
 * // the palettes of missing images are taken away
 * assert.equal(distributions([{ d: "l", b: 6, n: 3 }], [{ d: "l", b: 6, n: 1 }]).total, 2);
 * ```
 */
export function distributions(
  all: readonly Marginal[],
  minus: readonly Marginal[] = [],
): PaletteDistributions {
  const lightBuckets = buckets(LIGHTNESS_BUCKETS);
  const lightHist = histogram(10);
  const satBuckets = buckets(SATURATION_BUCKETS);
  const satHist = histogram(10);
  const hueBins: HueBin[] = NAMED_HUES.map((r, i) => ({
    name: r.name,
    from: r.from,
    to: r.to,
    color: hueBinColor(i),
    count: 0,
  }));
  const selection = { dark: 0, light: 0 };
  const temperature = { cool: 0, neutral: 0, warm: 0 };
  let grey = 0;
  let pending = 0;
  let total = 0;
  const darkCells = Math.round(SELECTION_DARK_BELOW * GRID);
  const add = (m: Marginal, sign: number) => {
    const n = m.n * sign;
    switch (m.d) {
      case "l":
        total += n;
        lightBuckets[bucketOfCell(LIGHTNESS_BUCKETS, m.b)].count += n;
        lightHist[Math.min(9, m.b >> 1)].count += n;
        if (m.b < darkCells) selection.dark += n;
        else selection.light += n;
        break;
      case "s":
        if (m.b < 0) break; // pending
        satBuckets[bucketOfCell(SATURATION_BUCKETS, m.b)].count += n;
        satHist[Math.min(9, m.b >> 1)].count += n;
        break;
      case "h":
        if (m.b < 0) pending += n;
        else if (m.b === 0) grey += n;
        else {
          hueBins.forEach((bin, i) => {
            if (m.b & (1 << i)) bin.count += n;
          });
        }
        break;
      case "t":
        if (m.b > 0) temperature.warm += n;
        else if (m.b < 0) temperature.cool += n;
        else temperature.neutral += n;
        break;
    }
  };
  for (const m of all) add(m, 1);
  for (const m of minus) add(m, -1);
  return {
    total,
    lightness: { buckets: lightBuckets, histogram: lightHist, selection },
    hue: { bins: hueBins, grey, pending },
    saturation: { buckets: satBuckets, histogram: satHist },
    temperature,
  };
}
