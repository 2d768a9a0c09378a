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
  /**
   * Bytes the decoder held on the way when more than `data` (an SVG's
   * embedded pictures, decoded whole): what a long-lived decoding thread
   * counts toward replacing itself.
   */
  workBytes?: number;
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
 * @example 4×2 to at most 2 px on the long side
 * ```ts
 * import assert from "node:assert/strict";
 * import { downscale } from "./downscale.ts";
 *
 * const src = { width: 4, height: 2, data: new Uint8Array(32).fill(200) };
 * const out = downscale(src, 2);
 * assert.deepEqual([out.width, out.height], [2, 1]);
 * assert.deepEqual([...out.data.slice(0, 4)], [200, 200, 200, 200]);
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
  if (Math.max(w, h) <= maxSide) return src;
  const ds = new RowDownscaler(w, h, maxSide);
  for (let y = 0; y < h; y++) ds.addRow(data, y * w * 4);
  return ds.finish();
}

/**
 * Area-averaging downscaler fed one RGBA row at a time, so that a decoder
 * can shrink an image without ever holding it whole (memory: one row plus
 * the small result).
 *
 * @example Rows in, a 2×2 average out
 * ```ts
 * import assert from "node:assert/strict";
 * import { RowDownscaler } from "./downscale.ts";
 *
 * const ds = new RowDownscaler(4, 4, 2);
 * const row = new Uint8Array(16).fill(100);
 * for (let y = 0; y < 4; y++) ds.addRow(row, 0);
 * const out = ds.finish();
 * assert.deepEqual([out.width, out.height, out.data[0]], [2, 2, 100]);
 * ```
 */
export class RowDownscaler {
  readonly width: number;
  readonly height: number;
  #xs: Spans;
  #ys: Spans;
  #acc: Float64Array;
  #row: Float64Array;
  /** Per target column: end of the source pixels wholly inside it. */
  #colEnd: Int32Array;
  /** Per target column: share of the straddling pixel at `#colEnd` (0 when none). */
  #colSplit: Float64Array;
  #y = 0;

  /**
   * @param w Source width.
   * @param h Source height.
   * @param maxSide Longest side of the result (no enlarging).
   */
  constructor(w: number, h: number, maxSide: number) {
    const scale = Math.min(1, maxSide / Math.max(w, h));
    this.width = Math.max(1, Math.round(w * scale));
    this.height = Math.max(1, Math.round(h * scale));

    this.#xs = spans(w, this.width);
    this.#ys = spans(h, this.height);
    this.#acc = new Float64Array(this.width * this.height * 4);
    this.#row = new Float64Array(this.width * 4);
    this.#colEnd = new Int32Array(this.width);
    this.#colSplit = new Float64Array(this.width);
    const xs = this.#xs;
    let x = 0;
    for (let tx = 0; tx < this.width; tx++) {
      while (x < w && xs.index[x] === tx && xs.frac[x] === 1) x++;
      this.#colEnd[tx] = x;
      if (x < w && xs.index[x] === tx) {
        this.#colSplit[tx] = xs.frac[x];
        x++;
      }
    }
  }

  /** Adds the next source row: `w` RGBA pixels starting at `off` in `data`. */
  addRow(data: Uint8Array, off: number): void {
    const y = this.#y++;
    if (y >= this.#ys.index.length) throw new RangeError("More rows than the image height");
    const row = this.#row, acc = this.#acc;
    const fullEnd = this.#colEnd, split = this.#colSplit, tw = this.width;
    // Walk target columns; sums live in locals, only a pixel straddling two columns is split.
    let x = 0;
    let cr = 0, cg = 0, cb = 0, ca = 0; // carried part of the last straddling pixel
    for (let tx = 0; tx < tw; tx++) {
      let sr = cr, sg = cg, sb = cb, sa = ca;
      cr =
        cg =
        cb =
        ca =
          0;
      const end = fullEnd[tx];
      for (; x < end; x++) {
        const p = off + x * 4;
        const a = data[p + 3];
        sr += data[p] * a;
        sg += data[p + 1] * a;
        sb += data[p + 2] * a;
        sa += a;
      }
      const f = split[tx];
      if (f > 0) {
        const p = off + x * 4;
        const a = data[p + 3];
        const r = data[p] * a, g = data[p + 1] * a, b = data[p + 2] * a;
        sr += r * f, sg += g * f, sb += b * f, sa += a * f;
        const q = 1 - f;
        cr = r * q, cg = g * q, cb = b * q, ca = a * q;
        x++;
      }
      const o = tx * 4;
      row[o] = sr, row[o + 1] = sg, row[o + 2] = sb, row[o + 3] = sa;
    }
    const t = this.#ys.index[y] * this.width * 4;
    const f = this.#ys.frac[y];
    if (f === 1) {
      for (let i = 0; i < row.length; i++) acc[t + i] += row[i];
    } else {
      const q = 1 - f, t2 = t + this.width * 4;
      for (let i = 0; i < row.length; i++) {
        acc[t + i] += row[i] * f;
        acc[t2 + i] += row[i] * q;
      }
    }
  }

  /** The shrunk image (rows not added count as transparent). */
  finish(): Pixels {
    const { width: tw, height: th } = this;
    const acc = this.#acc;
    const out = new Uint8Array(tw * th * 4);
    const area = this.#xs.size * this.#ys.size;
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
