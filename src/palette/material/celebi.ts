/**
 * Celebi's colour quantizer (pure): Wu's variance-cutting box quantizer
 * gives the starting clusters of a weighted k-means in CIELAB, as
 * material-color-utilities' `QuantizerCelebi` does — with the same
 * arithmetic in the same order, so the result is the library's to the last
 * bit (the tests compare the two on real wallpapers and random images).
 *
 * Why not call the library: version 0.3.0 spends most of its time on
 * bookkeeping rather than on the algorithm — five 35,937-entry arrays built
 * with `Array.from({ length })`, an array of objects per cluster pair, and,
 * in every k-means iteration, a `sort()` of each row of that matrix with the
 * default comparator (which turns every element into the string
 * "[object Object]", so the sort changes nothing). On the 112 px copy of a
 * wallpaper that was ~100 ms on a cold JIT; this takes a few milliseconds.
 * The colour conversions are the library's own, passed in.
 *
 * @module
 */

/** The library's conversions this quantizer uses (`labFromArgb`, `argbFromLab`). */
export interface LabConversions {
  labFromArgb(argb: number): number[];
  argbFromLab(l: number, a: number, b: number): number;
}

const INDEX_BITS = 5;
const SIDE = 33; // (1 << INDEX_BITS) + 1
const SIDE2 = SIDE * SIDE;
const CELLS = SIDE2 * SIDE;
const MAX_ITERATIONS = 10;
const MIN_MOVEMENT = 3.0;

/**
 * Quantizes opaque ARGB pixels into at most `maxColors` colours.
 *
 * @param pixels ARGB colours (pixels whose alpha is below 255 are left out).
 * @param maxColors The most colours returned.
 * @param random Draws the k-means' initial assignment (the library uses
 *   `Math.random`); the same sequence gives the same result.
 * @returns Colour → number of pixels, in the library's order; undefined for
 *   the degenerate inputs it does not handle (no opaque pixel), which the
 *   caller hands to the library.
 */
export function quantizeCelebi(
  pixels: readonly number[],
  maxColors: number,
  random: () => number,
  lab: LabConversions,
): Map<number, number> | undefined {
  const starting = wu(pixels, maxColors);
  if (starting.length === 0) return undefined;
  return wsmeans(pixels, starting, maxColors, random, lab);
}

/** Index of a cell of the 33³ histogram. */
function cell(r: number, g: number, b: number): number {
  return r * (SIDE * SIDE) + g * SIDE + b;
}

/** A box of the RGB cube (corner indices, exclusive lower bounds). */
interface Box {
  r0: number;
  r1: number;
  g0: number;
  g1: number;
  b0: number;
  b1: number;
  vol: number;
}

type Axis = 0 | 1 | 2;

/** Wu's quantizer: the colours of up to `maxColors` boxes, as signed ARGB integers. */
function wu(pixels: readonly number[], maxColors: number): number[] {
  const weights = new Float64Array(CELLS);
  const mr = new Float64Array(CELLS);
  const mg = new Float64Array(CELLS);
  const mb = new Float64Array(CELLS);
  const m2 = new Float64Array(CELLS);
  // Histogram of the opaque pixels (integer sums: the order of adding does not matter).
  const counts = new Map<number, number>();
  for (const p of pixels) {
    if (p >>> 24 < 255) continue;
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const shift = 8 - INDEX_BITS;
  for (const [p, n] of counts) {
    const r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
    const i = cell((r >> shift) + 1, (g >> shift) + 1, (b >> shift) + 1);
    weights[i] += n;
    mr[i] += n * r;
    mg[i] += n * g;
    mb[i] += n * b;
    m2[i] += n * (r * r + g * g + b * b);
  }
  // Cumulative moments over the cube.
  const area = new Float64Array(SIDE), areaR = new Float64Array(SIDE);
  const areaG = new Float64Array(SIDE), areaB = new Float64Array(SIDE);
  const area2 = new Float64Array(SIDE);
  for (let r = 1; r < SIDE; r++) {
    area.fill(0), areaR.fill(0), areaG.fill(0), areaB.fill(0), area2.fill(0);
    for (let g = 1; g < SIDE; g++) {
      let line = 0, lineR = 0, lineG = 0, lineB = 0, line2 = 0;
      for (let b = 1; b < SIDE; b++) {
        const i = r * SIDE2 + g * SIDE + b;
        line += weights[i];
        lineR += mr[i];
        lineG += mg[i];
        lineB += mb[i];
        line2 += m2[i];
        area[b] += line;
        areaR[b] += lineR;
        areaG[b] += lineG;
        areaB[b] += lineB;
        area2[b] += line2;
        const prev = i - SIDE2;
        weights[i] = weights[prev] + area[b];
        mr[i] = mr[prev] + areaR[b];
        mg[i] = mg[prev] + areaG[b];
        mb[i] = mb[prev] + areaB[b];
        m2[i] = m2[prev] + area2[b];
      }
    }
  }

  const volume = (c: Box, m: Float64Array) =>
    m[cell(c.r1, c.g1, c.b1)] - m[cell(c.r1, c.g1, c.b0)] - m[cell(c.r1, c.g0, c.b1)] +
    m[cell(c.r1, c.g0, c.b0)] - m[cell(c.r0, c.g1, c.b1)] + m[cell(c.r0, c.g1, c.b0)] +
    m[cell(c.r0, c.g0, c.b1)] - m[cell(c.r0, c.g0, c.b0)];
  // The moments are sums of integers (exact in doubles), so the corners may be added in any
  // order. Along `axis`, a face of the box is the moment at four corners of the other two.
  const face = (c: Box, axis: Axis): [number, number, number, number] =>
    axis === 0
      ? [c.g1 * SIDE + c.b1, c.g1 * SIDE + c.b0, c.g0 * SIDE + c.b1, c.g0 * SIDE + c.b0]
      : axis === 1
      ? [c.r1 * SIDE2 + c.b1, c.r1 * SIDE2 + c.b0, c.r0 * SIDE2 + c.b1, c.r0 * SIDE2 + c.b0]
      : [
        c.r1 * SIDE2 + c.g1 * SIDE,
        c.r1 * SIDE2 + c.g0 * SIDE,
        c.r0 * SIDE2 + c.g1 * SIDE,
        c.r0 * SIDE2 + c.g0 * SIDE,
      ];
  const variance = (c: Box) => {
    const dr = volume(c, mr), dg = volume(c, mg), db = volume(c, mb);
    const xx = volume(c, m2);
    const hypotenuse = dr * dr + dg * dg + db * db;
    return xx - hypotenuse / volume(c, weights);
  };
  /** The best cut of `c` along `axis` strictly inside (first, last): where, and its score. */
  const maximize = (
    c: Box,
    axis: Axis,
    first: number,
    last: number,
    whole: [number, number, number, number],
  ): [number, number] => {
    const [k11, k10, k01, k00] = face(c, axis);
    const stride = axis === 0 ? SIDE2 : axis === 1 ? SIDE : 1;
    // the moment of the slab of the box up to `at` along the axis (from the cube's origin)
    const top = (m: Float64Array, at: number) => {
      const o = at * stride;
      return m[o + k11] - m[o + k10] - m[o + k01] + m[o + k00];
    };
    const low = axis === 0 ? c.r0 : axis === 1 ? c.g0 : c.b0;
    const bR = -top(mr, low), bG = -top(mg, low), bB = -top(mb, low), bW = -top(weights, low);
    let max = 0.0, cut = -1;
    for (let i = first; i < last; i++) {
      let hR = bR + top(mr, i), hG = bG + top(mg, i);
      let hB = bB + top(mb, i), hW = bW + top(weights, i);
      if (hW === 0) continue;
      let temp = (hR * hR + hG * hG + hB * hB) / hW;
      hR = whole[0] - hR, hG = whole[1] - hG, hB = whole[2] - hB, hW = whole[3] - hW;
      if (hW === 0) continue;
      temp += (hR * hR + hG * hG + hB * hB) / hW;
      if (temp > max) {
        max = temp;
        cut = i;
      }
    }
    return [cut, max];
  };
  const cut = (one: Box, two: Box): boolean => {
    const whole: [number, number, number, number] = [
      volume(one, mr),
      volume(one, mg),
      volume(one, mb),
      volume(one, weights),
    ];
    const [cutR, maxR] = maximize(one, 0, one.r0 + 1, one.r1, whole);
    const [cutG, maxG] = maximize(one, 1, one.g0 + 1, one.g1, whole);
    const [cutB, maxB] = maximize(one, 2, one.b0 + 1, one.b1, whole);
    let axis: Axis;
    if (maxR >= maxG && maxR >= maxB) {
      if (cutR < 0) return false;
      axis = 0;
    } else axis = maxG >= maxR && maxG >= maxB ? 1 : 2;
    two.r1 = one.r1;
    two.g1 = one.g1;
    two.b1 = one.b1;
    if (axis === 0) {
      one.r1 = cutR;
      two.r0 = one.r1;
      two.g0 = one.g0;
      two.b0 = one.b0;
    } else if (axis === 1) {
      one.g1 = cutG;
      two.r0 = one.r0;
      two.g0 = one.g1;
      two.b0 = one.b0;
    } else {
      one.b1 = cutB;
      two.r0 = one.r0;
      two.g0 = one.g0;
      two.b0 = one.b1;
    }
    one.vol = (one.r1 - one.r0) * (one.g1 - one.g0) * (one.b1 - one.b0);
    two.vol = (two.r1 - two.r0) * (two.g1 - two.g0) * (two.b1 - two.b0);
    return true;
  };

  const boxes: Box[] = Array.from(
    { length: maxColors },
    () => ({ r0: 0, r1: 0, g0: 0, g1: 0, b0: 0, b1: 0, vol: 0 }),
  );
  boxes[0].r1 = boxes[0].g1 = boxes[0].b1 = SIDE - 1;
  const vv = new Float64Array(maxColors);
  let made = maxColors;
  let next = 0;
  for (let i = 1; i < maxColors; i++) {
    if (cut(boxes[next], boxes[i])) {
      vv[next] = boxes[next].vol > 1 ? variance(boxes[next]) : 0.0;
      vv[i] = boxes[i].vol > 1 ? variance(boxes[i]) : 0.0;
    } else {
      vv[next] = 0.0;
      i--;
    }
    next = 0;
    let best = vv[0];
    for (let j = 1; j <= i; j++) {
      if (vv[j] > best) {
        best = vv[j];
        next = j;
      }
    }
    if (best <= 0.0) {
      made = i + 1;
      break;
    }
  }
  const colors: number[] = [];
  for (let i = 0; i < made; i++) {
    const c = boxes[i];
    const w = volume(c, weights);
    if (w > 0) {
      const r = Math.round(volume(c, mr) / w);
      const g = Math.round(volume(c, mg) / w);
      const b = Math.round(volume(c, mb) / w);
      colors.push((255 << 24) | ((r & 0xff) << 16) | ((g & 0xff) << 8) | (b & 0xff));
    }
  }
  return colors;
}

/** Weighted k-means in CIELAB from the starting clusters (Celebi's "WSM"). */
function wsmeans(
  input: readonly number[],
  starting: readonly number[],
  maxColors: number,
  random: () => number,
  lab: LabConversions,
): Map<number, number> {
  // Distinct pixels in order of first appearance, with their counts.
  const index = new Map<number, number>();
  const distinct: number[] = [];
  const countList: number[] = [];
  for (const p of input) {
    const i = index.get(p);
    if (i === undefined) {
      index.set(p, distinct.length);
      distinct.push(p);
      countList.push(1);
    } else countList[i]++;
  }
  const n = distinct.length;
  const points = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) points.set(lab.labFromArgb(distinct[i]), i * 3);
  const counts = Float64Array.from(countList);
  const k = Math.min(maxColors, n, starting.length);
  const clusters = new Float64Array(starting.length * 3);
  for (let i = 0; i < starting.length; i++) clusters.set(lab.labFromArgb(starting[i]), i * 3);
  const assigned = new Int32Array(n);
  for (let i = 0; i < n; i++) assigned[i] = Math.floor(random() * k);
  // Squared distances between clusters; the diagonal stays -1 (never skips).
  const between = new Float64Array(k * k).fill(-1);
  const byL = new Int32Array(k), sortedL = new Float64Array(k);
  const population = new Float64Array(k);
  const sumL = new Float64Array(k), sumA = new Float64Array(k), sumB = new Float64Array(k);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    for (let i = 0; i < k; i++) {
      const ci = i * 3;
      for (let j = i + 1; j < k; j++) {
        const cj = j * 3;
        const dL = clusters[ci] - clusters[cj], dA = clusters[ci + 1] - clusters[cj + 1];
        const dB = clusters[ci + 2] - clusters[cj + 2];
        const d = dL * dL + dA * dA + dB * dB;
        between[j * k + i] = d;
        between[i * k + j] = d;
      }
    }
    // The clusters by lightness, to find a point's nearest cluster without measuring
    // every one: one whose lightness alone is farther than the best so far cannot be nearer.
    for (let i = 0; i < k; i++) byL[i] = i;
    byL.sort((a, b) => clusters[a * 3] - clusters[b * 3] || a - b);
    for (let m = 0; m < k; m++) sortedL[m] = clusters[byL[m] * 3];
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const p = i * 3;
      const pL = points[p], pA = points[p + 1], pB = points[p + 2];
      const was = assigned[i];
      let dL = pL - clusters[was * 3], dA = pA - clusters[was * 3 + 1];
      let dB = pB - clusters[was * 3 + 2];
      const before = dL * dL + dA * dA + dB * dB;
      // The library measures the clusters nearer the point's cluster than 4× its (squared)
      // distance to it, in number order, and keeps a strictly nearer one: that is the
      // nearest cluster of all, the lowest number among equals, when it is nearer than the
      // point's own — found here outward from the point's lightness — provided it is one
      // of those measured (else, in a rounding corner, measure as the library does).
      let best = before, to = -1;
      let lo = 0, hi = k;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sortedL[mid] < pL) lo = mid + 1;
        else hi = mid;
      }
      for (let up = lo, down = lo - 1; up < k || down >= 0;) {
        let m: number;
        if (down < 0 || (up < k && sortedL[up] - pL <= pL - sortedL[down])) m = up++;
        else m = down--;
        dL = pL - sortedL[m];
        if (dL * dL > best) {
          if (m >= lo) up = k;
          else down = -1;
          continue;
        }
        const j = byL[m], c = j * 3;
        dA = pA - clusters[c + 1], dB = pB - clusters[c + 2];
        const d = dL * dL + dA * dA + dB * dB;
        if (d < best || (d === best && to !== -1 && j < to)) {
          best = d;
          to = j;
        }
      }
      const row = was * k;
      if (to !== -1 && between[row + to] >= 4 * before) {
        best = before, to = -1;
        for (let j = 0; j < k; j++) {
          if (between[row + j] >= 4 * before) continue;
          const c = j * 3;
          dL = pL - clusters[c], dA = pA - clusters[c + 1], dB = pB - clusters[c + 2];
          const d = dL * dL + dA * dA + dB * dB;
          if (d < best) {
            best = d;
            to = j;
          }
        }
      }
      if (to !== -1 && Math.abs(Math.sqrt(best) - Math.sqrt(before)) > MIN_MOVEMENT) {
        moved++;
        assigned[i] = to;
      }
    }
    if (moved === 0 && iteration !== 0) break;
    sumL.fill(0), sumA.fill(0), sumB.fill(0), population.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assigned[i], w = counts[i];
      population[c] += w;
      sumL[c] += points[i * 3] * w;
      sumA[c] += points[i * 3 + 1] * w;
      sumB[c] += points[i * 3 + 2] * w;
    }
    for (let i = 0; i < k; i++) {
      const w = population[i];
      if (w === 0) {
        clusters[i * 3] = clusters[i * 3 + 1] = clusters[i * 3 + 2] = 0;
        continue;
      }
      clusters[i * 3] = sumL[i] / w;
      clusters[i * 3 + 1] = sumA[i] / w;
      clusters[i * 3 + 2] = sumB[i] / w;
    }
  }
  const out = new Map<number, number>();
  for (let i = 0; i < k; i++) {
    if (population[i] === 0) continue;
    const argb = lab.argbFromLab(clusters[i * 3], clusters[i * 3 + 1], clusters[i * 3 + 2]);
    if (!out.has(argb)) out.set(argb, population[i]);
  }
  return out;
}
