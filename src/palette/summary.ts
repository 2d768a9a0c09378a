/**
 * Summary figures of a palette (pure): average hue, saturation, lightness
 * and a warm–cool temperature, used by colour constraints and statistics.
 *
 * @module
 */
import { circularMeanHue, labToLch, parseHex, type RGB, rgbToHsl, rgbToOklab } from "./color.ts";
import type { Cluster } from "./quantize.ts";

/** The summary columns of a {@linkcode PaletteRecord}. */
export interface PaletteSummary {
  /** Circular mean of the hues in degrees [0, 360), weighted by saturation; null for greys. */
  avg_hue: number | null;
  /** Mean HSL saturation in [0, 1]. */
  avg_saturation: number;
  /** Mean perceptual lightness (OKLab L) in [0, 1]. */
  avg_lightness: number;
  /** Warm (> 0) to cool (< 0) in [-1, 1]. */
  temperature: number;
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
 * @returns The four summary figures, rounded to 4 decimals.
 * @throws {SyntaxError} When a colour is not hex.
 * @example
 * ```ts
 * import { summarizePalette } from "./summary.ts";
 * const s = summarizePalette({
 *   background: "#201008",
 *   colors: Array(16).fill("#e08020"),
 * });
 * if (!(s.temperature > 0.5)) throw new Error("orange is warm");
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
 */
export function summarizeClusters(clusters: readonly Cluster[]): PaletteSummary {
  return summarizeColors(clusters.map((c) => c.rgb), clusters.map((c) => c.weight));
}

/**
 * Summarises weighted colours (e.g. an image's clusters weighted by pixel
 * count).
 *
 * @param colors sRGB colours.
 * @param weights Non-negative weights, one per colour; default all 1.
 */
export function summarizeColors(
  colors: readonly RGB[],
  weights?: readonly number[],
): PaletteSummary {
  const w = weights ?? colors.map(() => 1);
  let total = 0, sat = 0, light = 0, warm = 0;
  const hues: number[] = [];
  const hueWeights: number[] = [];
  colors.forEach((c, i) => {
    const wi = Math.max(0, w[i] ?? 0);
    const hsl = rgbToHsl(c);
    const lch = labToLch(rgbToOklab(c));
    total += wi;
    sat += hsl.s * wi;
    light += lch.L * wi;
    const strength = Math.min(1, lch.C / FULL_CHROMA);
    warm += Math.cos((lch.h - WARM_HUE) * Math.PI / 180) * strength * wi;
    hues.push(hsl.h);
    hueWeights.push(hsl.s * wi * strength);
  });
  if (total <= 0) return { avg_hue: null, avg_saturation: 0, avg_lightness: 0, temperature: 0 };
  const hue = hueWeights.some((x) => x > 0) ? circularMeanHue(hues, hueWeights) : null;
  return {
    avg_hue: hue === null ? null : round(hue % 360),
    avg_saturation: round(clamp01(sat / total)),
    avg_lightness: round(clamp01(light / total)),
    temperature: round(Math.max(-1, Math.min(1, warm / total))),
  };
}

const clamp01 = (v: number) => v < 0 ? 0 : v > 1 ? 1 : v;
const round = (v: number) => Math.round(v * 1e4) / 1e4;
