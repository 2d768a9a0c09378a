/**
 * Summary figures of a palette (pure): average hue, saturation, lightness,
 * a warm–cool temperature and the hue shares, used by colour constraints,
 * statistics and `--similar-to`.
 *
 * The figures describe what a person sees. A colour whose OKLCH chroma is
 * below {@linkcode CHROMA_GREY} counts as grey: white, black, greys,
 * off-whites and warm or cool greys have no hue and add nothing to the
 * saturation, however their sRGB channels round (HSL saturation, which the
 * figures used before, calls an almost-white pixel fully saturated).
 *
 * @module
 */
import { circularMeanHue, labToLch, parseHex, type RGB, rgbToHsl, rgbToOklab } from "./color.ts";
import {
  HUE_BUCKET_DEGREES,
  HUE_BUCKETS,
  HUE_SHARE_MIN,
  hueBucket,
  type HueShare,
} from "./hue_ranges.ts";
import type { Cluster } from "./quantize.ts";

/** The summary columns of a {@linkcode PaletteRecord}. */
export interface PaletteSummary {
  /**
   * Circular mean of the coloured parts' HSL hues in degrees [0, 360),
   * weighted by share × chroma; null when less than
   * {@linkcode HUE_SHARE_MIN} of the picture is coloured.
   */
  avg_hue: number | null;
  /**
   * Mean colourfulness in [0, 1]: OKLCH chroma above {@linkcode CHROMA_GREY},
   * scaled so that {@linkcode CHROMA_VIVID} is 1; greys count 0.
   */
  avg_saturation: number;
  /** Mean perceptual lightness (OKLab L) in [0, 1]. */
  avg_lightness: number;
  /** Warm (> 0) to cool (< 0) in [-1, 1]. */
  temperature: number;
  /** Share of the picture per 5° bucket of HSL hue, coloured parts only; buckets with none left out. */
  hue_shares: HueShare[];
}

/** OKLCH chroma below which a colour is grey (off-whites and warm greys are ≈ 0.02). */
export const CHROMA_GREY = 0.025;
/** OKLCH chroma of a vivid colour (pure orange is 0.19): saturation 1. */
export const CHROMA_VIVID = 0.2;

/**
 * The saturation figure of one colour: 0 for greys (chroma below
 * {@linkcode CHROMA_GREY}), rising linearly to 1 at {@linkcode CHROMA_VIVID}.
 * @example Greys are 0, chroma 0.2 is 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { CHROMA_VIVID, chromaSaturation } from "./summary.ts";
 *
 * assert.equal(chromaSaturation(0.01), 0);
 * assert.equal(chromaSaturation(CHROMA_VIVID), 1);
 * assert.ok(Math.abs(chromaSaturation(0.1125) - 0.5) < 1e-12);
 * ```
 */
export function chromaSaturation(chroma: number): number {
  return clamp01((chroma - CHROMA_GREY) / (CHROMA_VIVID - CHROMA_GREY));
}

/** The colours a summary is taken from. */
export interface SummaryInput {
  background: string;
  /** color0 … color15 */
  colors: readonly string[];
}

/** OKLCH hue of the warmest direction (orange); the coolest is opposite (blue). */
const WARM_HUE = 60;
/** OKLCH chroma at which a colour counts fully towards temperature. */
const FULL_CHROMA = 0.12;

/**
 * Summarises a palette file (when the image itself is not at hand) from
 * the colours that describe the image: the background (counted twice) and
 * the dominant hues color1–color6. The derived greys (color0, 7, 8, 15)
 * and the lighter copies (9–14) are left out so that they do not dilute
 * the figures. See {@linkcode summarizeClusters} for the image-based form.
 *
 * @param p Background and the 16 colours as hex.
 * @returns The summary figures, rounded to 4 decimals.
 * @throws {SyntaxError} When a colour is not hex.
 * @example An orange palette file is warm
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizePalette } from "./summary.ts";
 *
 * const s = summarizePalette({ background: "#201008", colors: Array(16).fill("#e08020") });
 * assert.ok(s.temperature > 0.5);
 * assert.ok(s.avg_hue! > 15 && s.avg_hue! < 45);
 * ```
 */
export function summarizePalette(p: SummaryInput): PaletteSummary {
  if (p.colors.length < 7) {
    throw new RangeError(`A palette needs 16 colours, got ${p.colors.length}`);
  }
  const picked: [RGB, number][] = [[parseHex(p.background), 2]];
  for (let i = 1; i <= 6; i++) picked.push([parseHex(p.colors[i]), 1]);
  return summarizeColors(picked.map((x) => x[0]), picked.map((x) => x[1]));
}

/**
 * Summarises an image from its colour clusters weighted by their share of
 * the pixels: the figures describe the picture itself (a bright photo has a
 * high lightness whatever its terminal palette looks like). The built-in
 * extractor uses this for every palette it makes, and `paletteForImage`
 * uses it for wallust's palettes too, so that both origins are comparable.
 *
 * @example A quarter orange, the rest near-black
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeClusters } from "./summary.ts";
 *
 * const s = summarizeClusters([
 *   { lab: { L: 0.72, a: 0.1, b: 0.15 }, rgb: { r: 255, g: 128, b: 0 }, weight: 0.25 },
 *   { lab: { L: 0.2, a: 0, b: 0 }, rgb: { r: 20, g: 20, b: 20 }, weight: 0.75 },
 * ]);
 * assert.deepEqual(s.hue_shares, [{ hue: 30, share: 0.25 }]); // the grey counts nowhere
 * assert.ok(s.avg_lightness < 0.5);
 * assert.ok(s.temperature > 0);
 * ```
 */
export function summarizeClusters(clusters: readonly Cluster[]): PaletteSummary {
  return summarizeColors(clusters.map((c) => c.rgb), clusters.map((c) => c.weight));
}

/**
 * Summarises weighted colours (e.g. an image's clusters weighted by pixel
 * share).
 *
 * @param colors sRGB colours.
 * @param weights Non-negative weights, one per colour; default all 1.
 * @example An off-white is grey
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeColors } from "./summary.ts";
 *
 * const s = summarizeColors([{ r: 250, g: 248, b: 245 }]);
 * assert.equal(s.avg_hue, null);
 * assert.equal(s.avg_saturation, 0);
 * assert.deepEqual(s.hue_shares, []);
 * ```
 */
export function summarizeColors(
  colors: readonly RGB[],
  weights?: readonly number[],
): PaletteSummary {
  const w = weights ?? colors.map(() => 1);
  let total = 0, sat = 0, light = 0, warm = 0, coloured = 0;
  const hues: number[] = [];
  const hueWeights: number[] = [];
  const buckets = new Float64Array(HUE_BUCKETS);
  colors.forEach((c, i) => {
    const wi = Math.max(0, w[i] ?? 0);
    const lch = labToLch(rgbToOklab(c));
    total += wi;
    light += lch.L * wi;
    const strength = Math.min(1, lch.C / FULL_CHROMA);
    warm += Math.cos((lch.h - WARM_HUE) * Math.PI / 180) * strength * wi;
    if (lch.C < CHROMA_GREY || wi === 0) return;
    // To a ten-thousandth of a degree: a colour that came back from OKLab with rounding dust
    // (pure blue as g ≈ 1e-6, hue 239.9999999) would be filed a bucket low.
    const h = Math.round(rgbToHsl(c).h * 1e4) / 1e4 % 360;
    coloured += wi;
    sat += chromaSaturation(lch.C) * wi;
    buckets[hueBucket(h)] += wi;
    hues.push(h);
    hueWeights.push(wi * Math.min(1, lch.C / CHROMA_VIVID));
  });
  if (total <= 0) {
    return { avg_hue: null, avg_saturation: 0, avg_lightness: 0, temperature: 0, hue_shares: [] };
  }
  const hue = coloured / total >= HUE_SHARE_MIN ? circularMeanHue(hues, hueWeights) : null;
  const hue_shares: HueShare[] = [];
  buckets.forEach((x, b) => {
    const share = round(x / total);
    if (share > 0) hue_shares.push({ hue: b * HUE_BUCKET_DEGREES, share });
  });
  return {
    avg_hue: hue === null ? null : round(hue % 360),
    avg_saturation: round(clamp01(sat / total)),
    avg_lightness: round(clamp01(light / total)),
    temperature: round(Math.max(-1, Math.min(1, warm / total))),
    hue_shares,
  };
}

const clamp01 = (v: number) => v < 0 ? 0 : v > 1 ? 1 : v;
const round = (v: number) => Math.round(v * 1e4) / 1e4;
