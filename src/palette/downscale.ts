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
  const { width: w, height: h } = src;
  // one concrete array type keeps the hot loop monomorphic
  const data = src.data instanceof Uint8Array
    ? src.data
    : new Uint8Array(src.data.buffer, src.data.byteOffset, src.data.length);
  if (data.length < w * h * 4) {
    throw new RangeError(`Pixel buffer too short: ${data.length} bytes for ${w}×${h}`);
  }
  const scale = Math.min(1, maxSide / Math.max(w, h));
  if (scale >= 1) return src;
  const tw = Math.max(1, Math.round(w * scale));
  const th = Math.max(1, Math.round(h * scale));
  const xs = spans(w, tw);
  const ys = spans(h, th);
  // acc holds alpha-weighted RGB and alpha per target pixel
  const acc = new Float64Array(tw * th * 4);
  const row = new Float64Array(tw * 4);
  for (let y = 0; y < h; y++) {
    row.fill(0);
    const off = y * w * 4;
    for (let x = 0; x < w; x++) {
      const p = off + x * 4;
      const a = data[p + 3];
      if (a === 0) continue;
      const r = data[p] * a, g = data[p + 1] * a, b = data[p + 2] * a;
      const o = xs.index[x] * 4;
      const f = xs.frac[x];
      if (f === 1) {
        row[o] += r, row[o + 1] += g, row[o + 2] += b, row[o + 3] += a;
      } else {
        const q = 1 - f;
        row[o] += r * f, row[o + 1] += g * f, row[o + 2] += b * f, row[o + 3] += a * f;
        row[o + 4] += r * q, row[o + 5] += g * q, row[o + 6] += b * q, row[o + 7] += a * q;
      }
    }
    const t = ys.index[y] * tw * 4;
    const f = ys.frac[y];
    if (f === 1) {
      for (let i = 0; i < row.length; i++) acc[t + i] += row[i];
    } else {
      const q = 1 - f, t2 = t + tw * 4;
      for (let i = 0; i < row.length; i++) {
        acc[t + i] += row[i] * f;
        acc[t2 + i] += row[i] * q;
      }
    }
  }
  const out = new Uint8Array(tw * th * 4);
  const area = xs.size * ys.size;
  for (let i = 0; i < tw * th; i++) {
    const o = i * 4;
    const a = acc[o + 3];
    if (a > 0) {
      out[o] = Math.round(acc[o] / a);
      out[o + 1] = Math.round(acc[o + 1] / a);
      out[o + 2] = Math.round(acc[o + 2] / a);
    }
    out[o + 3] = Math.min(255, Math.round(a / area));
  }
  return { width: tw, height: th, data: out };
}

interface Spans {
  /** Source length covered by one target pixel (≥ 1 when shrinking). */
  size: number;
  /** Target pixel each source pixel starts in. */
  index: Int32Array;
  /** Share of the source pixel inside that target pixel; the rest goes to the next one. */
  frac: Float64Array;
}

/** Maps n source pixels onto t ≤ n target pixels of equal width. */
function spans(n: number, t: number): Spans {
  const size = n / t;
  const index = new Int32Array(n);
  const frac = new Float64Array(n);
  for (let x = 0; x < n; x++) {
    const i = Math.min(t - 1, Math.floor(x / size));
    const end = i === t - 1 ? n : (i + 1) * size;
    index[x] = i;
    frac[x] = x + 1 <= end + 1e-9 ? 1 : end - x;
  }
  return { size, index, frac };
}
