/**
 * Pixel buffers and area-averaging downscaling (pure).
 *
 * @module
 */

/** An RGBA image: 4 bytes per pixel, rows top to bottom, not premultiplied. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/**
 * Shrinks an image so that its longer side is at most `maxSide`, averaging
 * every source pixel that falls into each target pixel (weighted by the
 * covered area and by alpha). Images already small enough are returned
 * unchanged.
 *
 * @param src The image.
 * @param maxSide The longest side of the result. @default 256
 * @returns A new image (or `src` itself when no shrinking is needed).
 * @throws {RangeError} When the buffer is shorter than width × height × 4.
 * @example
 * ```ts
 * import { downscale } from "./downscale.ts";
 * const src = { width: 4, height: 2, data: new Uint8Array(32).fill(200) };
 * const out = downscale(src, 2);
 * if (out.width !== 2 || out.height !== 1 || out.data[0] !== 200) throw new Error();
 * ```
 */
export function downscale(src: Pixels, maxSide = 256): Pixels {
  const { width: w, height: h, data } = src;
  if (data.length < w * h * 4) {
    throw new RangeError(`Pixel buffer too short: ${data.length} bytes for ${w}×${h}`);
  }
  const scale = Math.min(1, maxSide / Math.max(w, h));
  if (scale >= 1) return src;
  const tw = Math.max(1, Math.round(w * scale));
  const th = Math.max(1, Math.round(h * scale));
  const xs = spans(w, tw);
  const ys = spans(h, th);
  // Horizontal pass: premultiplied sums per target column for one source row.
  const row = new Float64Array(tw * 4);
  const acc = new Float64Array(tw * 4);
  const out = new Uint8Array(tw * th * 4);
  let ty = 0;
  let yEnd = ys.ends[0];
  const flush = (t: number) => {
    const area = ys.size * xs.size;
    for (let x = 0; x < tw; x++) {
      const o = x * 4, d = (t * tw + x) * 4;
      const a = acc[o + 3];
      if (a > 0) {
        out[d] = Math.round(acc[o] / a);
        out[d + 1] = Math.round(acc[o + 1] / a);
        out[d + 2] = Math.round(acc[o + 2] / a);
      }
      out[d + 3] = Math.round(a / area);
    }
    acc.fill(0);
  };
  for (let y = 0; y < h; y++) {
    rowSums(data, y * w * 4, w, xs, row);
    // The source row [y, y+1) may straddle two target rows.
    let from = y;
    while (from < y + 1) {
      const to = Math.min(y + 1, yEnd);
      const f = to - from;
      for (let i = 0; i < row.length; i++) acc[i] += row[i] * f;
      from = to;
      if (to >= yEnd - 1e-9 && ty < th) {
        flush(ty);
        ty++;
        yEnd = ty < th ? ys.ends[ty] : Infinity;
      }
    }
  }
  return { width: tw, height: th, data: out };
}

interface Spans {
  /** Source length covered by one target pixel. */
  size: number;
  /** End (exclusive, fractional) of each target pixel in source units. */
  ends: Float64Array;
}

function spans(n: number, t: number): Spans {
  const size = n / t;
  const ends = new Float64Array(t);
  for (let i = 0; i < t; i++) ends[i] = i === t - 1 ? n : (i + 1) * size;
  return { size, ends };
}

/** Sums one source row into target columns: alpha-weighted RGB and alpha. */
function rowSums(
  data: Uint8Array | Uint8ClampedArray,
  off: number,
  w: number,
  xs: Spans,
  row: Float64Array,
): void {
  row.fill(0);
  let tx = 0;
  let xEnd = xs.ends[0];
  for (let x = 0; x < w; x++) {
    const p = off + x * 4;
    const a = data[p + 3];
    const r = data[p] * a, g = data[p + 1] * a, b = data[p + 2] * a;
    let from = x;
    while (from < x + 1) {
      const to = Math.min(x + 1, xEnd);
      const f = to - from;
      const o = tx * 4;
      row[o] += r * f;
      row[o + 1] += g * f;
      row[o + 2] += b * f;
      row[o + 3] += a * f;
      from = to;
      if (to >= xEnd - 1e-9 && tx < xs.ends.length - 1) {
        tx++;
        xEnd = xs.ends[tx];
      } else if (to >= xEnd - 1e-9) break;
    }
  }
}
