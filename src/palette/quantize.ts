/**
 * Colour quantisation (pure): a 5-bit-per-channel histogram of the pixels,
 * then weighted k-means in OKLab with deterministic seeding.
 *
 * @module
 */
import { type Lab, linearToOklab, oklabToRgb, type RGB } from "./color.ts";
import type { Pixels } from "./downscale.ts";

/** One colour cluster of an image. */
export interface Cluster {
  /** Mean colour in OKLab. */
  lab: Lab;
  /** Mean colour in sRGB (0–255, unrounded). */
  rgb: RGB;
  /** Share of the image's (alpha-weighted) pixels, 0–1. */
  weight: number;
}

/** Options for {@linkcode quantize}. */
export interface QuantizeOptions {
  /** Number of clusters. @default 16 */
  k?: number;
  /** Maximum k-means iterations. @default 24 */
  iterations?: number;
}

/** A weighted colour histogram bin: mean OKLab and summed weight. */
export interface Bin {
  L: number;
  a: number;
  b: number;
  w: number;
}

const LINEAR = (() => {
  const t = new Float64Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    t[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  return t;
})();

/**
 * Builds a 32×32×32 histogram of the pixels (alpha-weighted); each bin keeps
 * the mean of the exact colours that fell into it, converted to OKLab.
 * Fully transparent images count as black.
 *
 * @example Transparent pixels count for nothing
 * ```ts
 * import assert from "node:assert/strict";
 * import { histogram } from "./quantize.ts";
 *
 * // red, red, blue, and a fully transparent blue
 * const data = new Uint8Array([255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 0]);
 * const bins = histogram({ width: 4, height: 1, data });
 * assert.equal(bins.length, 2);
 * assert.deepEqual(bins.map((b) => Math.round(b.w * 3)).sort(), [1, 2]); // shares of the visible pixels
 * ```
 */
export function histogram(px: Pixels): Bin[] {
  const n = px.width * px.height;
  const sums = new Float64Array(32768 * 4);
  const d = px.data;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = i * 4;
    const a = d[p + 3];
    if (a === 0) continue;
    const r = d[p], g = d[p + 1], b = d[p + 2];
    const k = ((r >> 3) << 10 | (g >> 3) << 5 | (b >> 3)) * 4;
    sums[k] += r * a;
    sums[k + 1] += g * a;
    sums[k + 2] += b * a;
    sums[k + 3] += a;
    total += a;
  }
  if (total === 0) return [{ L: 0, a: 0, b: 0, w: 1 }];
  const bins: Bin[] = [];
  for (let k = 0; k < 32768; k++) {
    const w = sums[k * 4 + 3];
    if (w === 0) continue;
    const r = sums[k * 4] / w, g = sums[k * 4 + 1] / w, b = sums[k * 4 + 2] / w;
    const lab = linearToOklab(lin(r), lin(g), lin(b));
    bins.push({ L: lab.L, a: lab.a, b: lab.b, w: w / total });
  }
  return bins;
}

function lin(v: number): number {
  const i = Math.floor(v);
  if (i >= 255) return LINEAR[255];
  const f = v - i;
  return LINEAR[i] + (LINEAR[i + 1] - LINEAR[i]) * f;
}

/**
 * Weighted k-means over histogram bins in OKLab. Seeding is deterministic:
 * the heaviest bin first, then repeatedly the bin with the largest
 * weight × squared distance to its nearest centre (a greedy k-means++).
 *
 * @returns Up to `k` clusters (fewer when the image has fewer distinct
 * colours), heaviest first.
 *
 * @example One cluster is the weighted mean in OKLab
 * ```ts
 * import assert from "node:assert/strict";
 * import { histogram, kmeans } from "./quantize.ts";
 *
 * const data = new Uint8Array([255, 0, 0, 255, 0, 0, 255, 255]);
 * const [only, ...rest] = kmeans(histogram({ width: 2, height: 1, data }), { k: 1 });
 * assert.equal(rest.length, 0);
 * assert.equal(only.weight, 1);
 * assert.ok(only.rgb.r > only.rgb.g && only.rgb.b > only.rgb.g); // between red and blue: a purple
 * ```
 */
export function kmeans(bins: readonly Bin[], options: QuantizeOptions = {}): Cluster[] {
  const k = Math.min(options.k ?? 16, bins.length);
  const iterations = options.iterations ?? 24;
  const n = bins.length;
  const cL = new Float64Array(k), cA = new Float64Array(k), cB = new Float64Array(k);
  const nearest = new Float64Array(n).fill(Infinity);
  const assign = new Int32Array(n);
  // seeding
  let first = 0;
  for (let i = 1; i < n; i++) if (bins[i].w > bins[first].w) first = i;
  let count = 0;
  let pick = first;
  while (count < k) {
    cL[count] = bins[pick].L;
    cA[count] = bins[pick].a;
    cB[count] = bins[pick].b;
    let best = -1, bestScore = 0;
    for (let i = 0; i < n; i++) {
      const x = bins[i];
      const dd = (x.L - cL[count]) ** 2 + (x.a - cA[count]) ** 2 + (x.b - cB[count]) ** 2;
      if (dd < nearest[i]) nearest[i] = dd;
      const score = x.w * nearest[i];
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    count++;
    if (best < 0 || bestScore < 1e-12) break;
    pick = best;
  }
  // Lloyd iterations
  const sL = new Float64Array(count), sA = new Float64Array(count), sB = new Float64Array(count);
  const sW = new Float64Array(count);
  for (let it = 0; it < iterations; it++) {
    sL.fill(0), sA.fill(0), sB.fill(0), sW.fill(0);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const x = bins[i];
      let bj = 0, bd = Infinity;
      for (let j = 0; j < count; j++) {
        const dd = (x.L - cL[j]) ** 2 + (x.a - cA[j]) ** 2 + (x.b - cB[j]) ** 2;
        if (dd < bd) {
          bd = dd;
          bj = j;
        }
      }
      if (assign[i] !== bj || it === 0) changed++;
      assign[i] = bj;
      sL[bj] += x.L * x.w;
      sA[bj] += x.a * x.w;
      sB[bj] += x.b * x.w;
      sW[bj] += x.w;
    }
    for (let j = 0; j < count; j++) {
      if (sW[j] > 0) {
        cL[j] = sL[j] / sW[j];
        cA[j] = sA[j] / sW[j];
        cB[j] = sB[j] / sW[j];
      }
    }
    if (changed === 0) break;
  }
  const out: Cluster[] = [];
  for (let j = 0; j < count; j++) {
    if (sW[j] <= 0) continue;
    const lab = { L: cL[j], a: cA[j], b: cB[j] };
    const rgb = oklabToRgb(lab);
    // To a thousandth: the round trip through OKLab leaves dust (pure yellow's green as
    // 254.999996) that would move a hue off its 5° step, and a bucket down.
    const dust = (x: number) => Math.round(clamp(x) * 1000) / 1000;
    out.push({ lab, rgb: { r: dust(rgb.r), g: dust(rgb.g), b: dust(rgb.b) }, weight: sW[j] });
  }
  return out.sort((x, y) => y.weight - x.weight || x.lab.L - y.lab.L);
}

/**
 * Quantises an image (ideally already downscaled) to at most `k` clusters.
 *
 * @example Two reds and a blue make two clusters, heaviest first
 * ```ts
 * import assert from "node:assert/strict";
 * import { toHex } from "./color.ts";
 * import { quantize } from "./quantize.ts";
 *
 * const data = new Uint8Array([255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 255, 255]);
 * const clusters = quantize({ width: 3, height: 1, data });
 * assert.deepEqual(clusters.map((c) => toHex(c.rgb)), ["#ff0000", "#0000ff"]);
 * assert.ok(Math.abs(clusters[0].weight - 2 / 3) < 1e-12);
 * ```
 */
export function quantize(px: Pixels, options: QuantizeOptions = {}): Cluster[] {
  return kmeans(histogram(px), options);
}

const clamp = (v: number) => v < 0 ? 0 : v > 255 ? 255 : v;
