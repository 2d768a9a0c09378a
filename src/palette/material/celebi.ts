/**
 * Material Color Utilities' `QuantizerCelebi` (a Wu quantiser whose boxes
 * seed a weighted k-means in L*a*b*), ported to typed arrays: the same
 * arithmetic in the same order, so the same clusters and counts to the last
 * bit (the tests compare both on every input they make), in about half the
 * library's time in a fresh process and a third of it warm (its k-means keeps
 * every point and cluster as an array object, and sorts each row of its
 * distance matrix by `toString`, which leaves the row as it was). Like the library, the k-means
 * starts from `Math.random()`: run it under `seeded` (./source_color.ts) for
 * a repeatable result. Pure.
 *
 * Ported from material-color-utilities 0.3.0 (`quantize/quantizer_wu`,
 * `quantizer_wsmeans`, `quantizer_celebi`), Copyright 2021 Google LLC,
 * under the Apache License 2.0 (./LICENSE.material-color-utilities).
 *
 * @module
 */
import { argbFromLab, labFromArgb } from "@material/material-color-utilities";

// Wu's histogram: 5 bits per channel, plus a zero plane in front for the running sums.
const INDEX_BITS = 5;
const SIDE = 33;
const TOTAL = SIDE * SIDE * SIDE;
const at = (r: number, g: number, b: number) => r * SIDE * SIDE + g * SIDE + b;

const RED = 0, GREEN = 1, BLUE = 2;

/** Boxes of the colour cube, as six corners and a volume per box. */
interface Boxes {
  r0: Int32Array;
  r1: Int32Array;
  g0: Int32Array;
  g1: Int32Array;
  b0: Int32Array;
  b1: Int32Array;
  vol: Int32Array;
}

/** Running (3-D prefix) sums of the histogram: weights, channel sums, squared sums. */
interface Moments {
  w: Float64Array;
  r: Float64Array;
  g: Float64Array;
  b: Float64Array;
  m2: Float64Array;
}

function histogram(pixels: ArrayLike<number>): Moments {
  const m: Moments = {
    w: new Float64Array(TOTAL),
    r: new Float64Array(TOTAL),
    g: new Float64Array(TOTAL),
    b: new Float64Array(TOTAL),
    m2: new Float64Array(TOTAL),
  };
  const shift = 8 - INDEX_BITS;
  // Integer sums only: the order they are added in cannot change them.
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i];
    if (((p >> 24) & 255) < 255) continue; // the library skips pixels that are not opaque
    const red = (p & 0xff0000) >> 16, green = (p & 0xff00) >> 8, blue = p & 0xff;
    const k = at((red >> shift) + 1, (green >> shift) + 1, (blue >> shift) + 1);
    m.w[k] += 1;
    m.r[k] += red;
    m.g[k] += green;
    m.b[k] += blue;
    m.m2[k] += red * red + green * green + blue * blue;
  }
  const area = new Float64Array(SIDE), areaR = new Float64Array(SIDE);
  const areaG = new Float64Array(SIDE), areaB = new Float64Array(SIDE);
  const area2 = new Float64Array(SIDE);
  for (let r = 1; r < SIDE; r++) {
    area.fill(0), areaR.fill(0), areaG.fill(0), areaB.fill(0), area2.fill(0);
    for (let g = 1; g < SIDE; g++) {
      let line = 0, lineR = 0, lineG = 0, lineB = 0, line2 = 0;
      for (let b = 1; b < SIDE; b++) {
        const k = at(r, g, b), prev = at(r - 1, g, b);
        line += m.w[k];
        lineR += m.r[k];
        lineG += m.g[k];
        lineB += m.b[k];
        line2 += m.m2[k];
        area[b] += line;
        areaR[b] += lineR;
        areaG[b] += lineG;
        areaB[b] += lineB;
        area2[b] += line2;
        m.w[k] = m.w[prev] + area[b];
        m.r[k] = m.r[prev] + areaR[b];
        m.g[k] = m.g[prev] + areaG[b];
        m.b[k] = m.b[prev] + areaB[b];
        m.m2[k] = m.m2[prev] + area2[b];
      }
    }
  }
  return m;
}

function volume(x: Boxes, i: number, m: Float64Array): number {
  const r0 = x.r0[i], r1 = x.r1[i], g0 = x.g0[i], g1 = x.g1[i], b0 = x.b0[i], b1 = x.b1[i];
  return m[at(r1, g1, b1)] - m[at(r1, g1, b0)] - m[at(r1, g0, b1)] + m[at(r1, g0, b0)] -
    m[at(r0, g1, b1)] + m[at(r0, g1, b0)] + m[at(r0, g0, b1)] - m[at(r0, g0, b0)];
}

function bottom(x: Boxes, i: number, dir: number, m: Float64Array): number {
  const r0 = x.r0[i], r1 = x.r1[i], g0 = x.g0[i], g1 = x.g1[i], b0 = x.b0[i], b1 = x.b1[i];
  if (dir === RED) {
    return -m[at(r0, g1, b1)] + m[at(r0, g1, b0)] + m[at(r0, g0, b1)] - m[at(r0, g0, b0)];
  }
  if (dir === GREEN) {
    return -m[at(r1, g0, b1)] + m[at(r1, g0, b0)] + m[at(r0, g0, b1)] - m[at(r0, g0, b0)];
  }
  return -m[at(r1, g1, b0)] + m[at(r1, g0, b0)] + m[at(r0, g1, b0)] - m[at(r0, g0, b0)];
}

function top(x: Boxes, i: number, dir: number, pos: number, m: Float64Array): number {
  const r0 = x.r0[i], r1 = x.r1[i], g0 = x.g0[i], g1 = x.g1[i], b0 = x.b0[i], b1 = x.b1[i];
  if (dir === RED) {
    return m[at(pos, g1, b1)] - m[at(pos, g1, b0)] - m[at(pos, g0, b1)] + m[at(pos, g0, b0)];
  }
  if (dir === GREEN) {
    return m[at(r1, pos, b1)] - m[at(r1, pos, b0)] - m[at(r0, pos, b1)] + m[at(r0, pos, b0)];
  }
  return m[at(r1, g1, pos)] - m[at(r1, g0, pos)] - m[at(r0, g1, pos)] + m[at(r0, g0, pos)];
}

function variance(x: Boxes, i: number, m: Moments): number {
  const dr = volume(x, i, m.r), dg = volume(x, i, m.g), db = volume(x, i, m.b);
  const xx = volume(x, i, m.m2);
  const hypotenuse = dr * dr + dg * dg + db * db;
  return xx - hypotenuse / volume(x, i, m.w);
}

/** The best cut of box `i` along `dir`: [position or -1, its score]. */
function maximize(
  x: Boxes,
  i: number,
  dir: number,
  first: number,
  last: number,
  whole: readonly [number, number, number, number],
  m: Moments,
): [number, number] {
  const bR = bottom(x, i, dir, m.r), bG = bottom(x, i, dir, m.g);
  const bB = bottom(x, i, dir, m.b), bW = bottom(x, i, dir, m.w);
  let max = 0, cut = -1;
  for (let p = first; p < last; p++) {
    let hR = bR + top(x, i, dir, p, m.r);
    let hG = bG + top(x, i, dir, p, m.g);
    let hB = bB + top(x, i, dir, p, m.b);
    let hW = bW + top(x, i, dir, p, m.w);
    if (hW === 0) continue;
    let temp = (hR * hR + hG * hG + hB * hB) / hW;
    hR = whole[0] - hR;
    hG = whole[1] - hG;
    hB = whole[2] - hB;
    hW = whole[3] - hW;
    if (hW === 0) continue;
    temp += (hR * hR + hG * hG + hB * hB) / hW;
    if (temp > max) {
      max = temp;
      cut = p;
    }
  }
  return [cut, max];
}

/** Splits box `one` into itself and box `two`; false when it cannot be cut. */
function cut(x: Boxes, one: number, two: number, m: Moments): boolean {
  const whole = [
    volume(x, one, m.r),
    volume(x, one, m.g),
    volume(x, one, m.b),
    volume(x, one, m.w),
  ] as const;
  const [cutR, maxR] = maximize(x, one, RED, x.r0[one] + 1, x.r1[one], whole, m);
  const [cutG, maxG] = maximize(x, one, GREEN, x.g0[one] + 1, x.g1[one], whole, m);
  const [cutB, maxB] = maximize(x, one, BLUE, x.b0[one] + 1, x.b1[one], whole, m);
  let dir: number;
  if (maxR >= maxG && maxR >= maxB) {
    if (cutR < 0) return false;
    dir = RED;
  } else if (maxG >= maxR && maxG >= maxB) dir = GREEN;
  else dir = BLUE;
  x.r1[two] = x.r1[one];
  x.g1[two] = x.g1[one];
  x.b1[two] = x.b1[one];
  if (dir === RED) {
    x.r1[one] = cutR;
    x.r0[two] = x.r1[one];
    x.g0[two] = x.g0[one];
    x.b0[two] = x.b0[one];
  } else if (dir === GREEN) {
    x.g1[one] = cutG;
    x.r0[two] = x.r0[one];
    x.g0[two] = x.g1[one];
    x.b0[two] = x.b0[one];
  } else {
    x.b1[one] = cutB;
    x.r0[two] = x.r0[one];
    x.g0[two] = x.g0[one];
    x.b0[two] = x.b1[one];
  }
  for (const k of [one, two]) {
    x.vol[k] = (x.r1[k] - x.r0[k]) * (x.g1[k] - x.g0[k]) * (x.b1[k] - x.b0[k]);
  }
  return true;
}

/**
 * The library's `QuantizerWu.quantize`: up to `maxColors` colours, as the
 * library gives them (signed 32-bit ARGB, in box order).
 *
 * @example Two colours in two boxes
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantizeWu } from "./celebi.ts";
 *
 * const colors = quantizeWu([0xffc82828, 0xffc82828, 0xff2040a0], 8);
 * assert.deepEqual(colors.map((c) => (c >>> 0).toString(16)).sort(), ["ff2040a0", "ffc82828"]);
 * ```
 */
export function quantizeWu(pixels: ArrayLike<number>, maxColors: number): number[] {
  const m = histogram(pixels);
  const n = Math.max(0, maxColors);
  const x: Boxes = {
    r0: new Int32Array(n),
    r1: new Int32Array(n),
    g0: new Int32Array(n),
    g1: new Int32Array(n),
    b0: new Int32Array(n),
    b1: new Int32Array(n),
    vol: new Int32Array(n),
  };
  const vv = new Float64Array(n);
  if (n > 0) x.r1[0] = x.g1[0] = x.b1[0] = SIDE - 1;
  let made = n, next = 0;
  for (let i = 1; i < n; i++) {
    if (cut(x, next, i, m)) {
      vv[next] = x.vol[next] > 1 ? variance(x, next, m) : 0;
      vv[i] = x.vol[i] > 1 ? variance(x, i, m) : 0;
    } else {
      vv[next] = 0;
      i--;
    }
    next = 0;
    let temp = vv[0];
    for (let j = 1; j <= i; j++) {
      if (vv[j] > temp) {
        temp = vv[j];
        next = j;
      }
    }
    if (temp <= 0) {
      made = i + 1;
      break;
    }
  }
  const colors: number[] = [];
  for (let i = 0; i < made; i++) {
    const weight = volume(x, i, m.w);
    if (weight > 0) {
      const r = Math.round(volume(x, i, m.r) / weight);
      const g = Math.round(volume(x, i, m.g) / weight);
      const b = Math.round(volume(x, i, m.b) / weight);
      colors.push((255 << 24) | ((r & 0xff) << 16) | ((g & 0xff) << 8) | (b & 0xff));
    }
  }
  return colors;
}

const MAX_ITERATIONS = 10;
const MIN_MOVEMENT_DISTANCE = 3;

/**
 * The library's `QuantizerWsmeans.quantize`: k-means in L*a*b* weighted by
 * how often each colour occurs, from `starting` (or random clusters when
 * empty). Reads `Math.random()` as the library does, the same number of
 * times.
 *
 * @returns Each cluster's colour (ARGB) and how many pixels it holds.
 * @example Pixels near two starting colours gather around them
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantizeWsmeans } from "./celebi.ts";
 *
 * const counts = quantizeWsmeans(
 *   [0xffc82828, 0xffc82828, 0xffca2a2a, 0xff2040a0],
 *   [0xffc82828, 0xff2040a0],
 *   2,
 * );
 * assert.deepEqual([...counts.values()].sort(), [1, 3]);
 * ```
 */
export function quantizeWsmeans(
  input: ArrayLike<number>,
  starting: readonly number[],
  maxColors: number,
): Map<number, number> {
  // Distinct colours in the order first seen, with their counts.
  const countOf = new Map<number, number>();
  for (let i = 0; i < input.length; i++) {
    const p = input[i];
    countOf.set(p, (countOf.get(p) ?? 0) + 1);
  }
  const pointCount = countOf.size;
  const points = new Float64Array(pointCount * 3);
  const counts = new Float64Array(pointCount);
  let n = 0;
  for (const [p, c] of countOf) {
    points.set(labFromArgb(p), n * 3);
    counts[n++] = c;
  }
  let k = Math.min(maxColors, pointCount);
  if (starting.length > 0) k = Math.min(k, starting.length);
  const clusters = new Float64Array(Math.max(k, starting.length) * 3);
  for (let i = 0; i < starting.length; i++) clusters.set(labFromArgb(starting[i]), i * 3);
  if (starting.length === 0) {
    for (let i = 0; i < k; i++) {
      clusters[i * 3] = Math.random() * 100.0;
      clusters[i * 3 + 1] = Math.random() * (100.0 - (-100.0) + 1) + -100;
      clusters[i * 3 + 2] = Math.random() * (100.0 - (-100.0) + 1) + -100;
    }
  }
  const clusterOf = new Int32Array(pointCount);
  for (let i = 0; i < pointCount; i++) clusterOf[i] = Math.floor(Math.random() * k);
  // Squared distances between clusters, row by row (the library's own matrix, whose
  // sort by string keeps every row in index order; its diagonal stays -1).
  const between = new Float64Array(k * k).fill(-1);
  const own = new Float64Array(pointCount), far = new Float64Array(k);
  const start = new Int32Array(k + 1), near = new Int32Array(k * k);
  const sums = new Float64Array(k);
  const sumL = new Float64Array(k), sumA = new Float64Array(k), sumB = new Float64Array(k);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    for (let i = 0; i < k; i++) {
      const l = clusters[i * 3], a = clusters[i * 3 + 1], b = clusters[i * 3 + 2];
      for (let j = i + 1; j < k; j++) {
        const dL = l - clusters[j * 3], dA = a - clusters[j * 3 + 1], dB = b - clusters[j * 3 + 2];
        const d = dL * dL + dA * dA + dB * dB;
        between[j * k + i] = d;
        between[i * k + j] = d;
      }
    }
    // A point looks only at clusters nearer its own than twice its distance to it
    // (the library's pruning). Those of all the points of one cluster are listed
    // once, in index order, so that a point skips the rest without looking.
    far.fill(-1);
    for (let i = 0; i < pointCount; i++) {
      const c = clusterOf[i];
      const dL = points[i * 3] - clusters[c * 3], dA = points[i * 3 + 1] - clusters[c * 3 + 1];
      const dB = points[i * 3 + 2] - clusters[c * 3 + 2];
      const d = dL * dL + dA * dA + dB * dB;
      own[i] = d;
      if (4 * d > far[c]) far[c] = 4 * d;
    }
    let listed = 0;
    for (let c = 0; c < k; c++) {
      start[c] = listed;
      const row = c * k, limit = far[c];
      for (let j = 0; j < k; j++) if (between[row + j] < limit) near[listed++] = j;
    }
    start[k] = listed;
    let moved = 0;
    for (let i = 0; i < pointCount; i++) {
      const l = points[i * 3], a = points[i * 3 + 1], b = points[i * 3 + 2];
      const prev = clusterOf[i], prevDistance = own[i];
      const limit = 4 * prevDistance;
      const row = prev * k;
      let min = prevDistance, best = -1;
      for (let n = start[prev], end = start[prev + 1]; n < end; n++) {
        const j = near[n];
        if (between[row + j] >= limit) continue;
        const dL = l - clusters[j * 3], dA = a - clusters[j * 3 + 1], dB = b - clusters[j * 3 + 2];
        const d = dL * dL + dA * dA + dB * dB;
        if (d < min) {
          min = d;
          best = j;
        }
      }
      if (
        best !== -1 && Math.abs(Math.sqrt(min) - Math.sqrt(prevDistance)) > MIN_MOVEMENT_DISTANCE
      ) {
        moved++;
        clusterOf[i] = best;
      }
    }
    if (moved === 0 && iteration !== 0) break;
    sumL.fill(0), sumA.fill(0), sumB.fill(0), sums.fill(0);
    for (let i = 0; i < pointCount; i++) {
      const c = clusterOf[i], count = counts[i];
      sums[c] += count;
      sumL[c] += points[i * 3] * count;
      sumA[c] += points[i * 3 + 1] * count;
      sumB[c] += points[i * 3 + 2] * count;
    }
    for (let i = 0; i < k; i++) {
      const count = sums[i];
      if (count === 0) {
        clusters[i * 3] = clusters[i * 3 + 1] = clusters[i * 3 + 2] = 0;
        continue;
      }
      clusters[i * 3] = sumL[i] / count;
      clusters[i * 3 + 1] = sumA[i] / count;
      clusters[i * 3 + 2] = sumB[i] / count;
    }
  }
  const population = new Map<number, number>();
  for (let i = 0; i < k; i++) {
    const count = sums[i];
    if (count === 0) continue;
    const argb = argbFromLab(clusters[i * 3], clusters[i * 3 + 1], clusters[i * 3 + 2]);
    if (!population.has(argb)) population.set(argb, count);
  }
  return population;
}

/**
 * The library's `QuantizerCelebi.quantize`: Wu's colours refined by the
 * weighted k-means.
 *
 * @param pixels Colours as ARGB numbers (pixels that are not opaque are left
 *   out of Wu's boxes, as in the library).
 * @param maxColors At most this many colours.
 * @returns Each colour (ARGB) and how many pixels it stands for.
 * @example Two colours give themselves back, counted (in Wu's box order)
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantizeCelebi } from "./celebi.ts";
 *
 * const red = 0xffc82828, blue = 0xff2040a0;
 * const counts = quantizeCelebi([red, red, red, blue], 128);
 * assert.deepEqual([...counts], [[blue, 1], [red, 3]]);
 * ```
 */
export function quantizeCelebi(pixels: ArrayLike<number>, maxColors: number): Map<number, number> {
  return quantizeWsmeans(pixels, quantizeWu(pixels, maxColors), maxColors);
}
