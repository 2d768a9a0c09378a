/**
 * A PNG decoder that shrinks while it decodes: the image data is inflated
 * as a stream (the platform's native zlib via `DecompressionStream`), each
 * row is unfiltered against the previous one and handed straight to an
 * area-averaging downscaler. Memory stays at two rows plus the small
 * result, however large the PNG. Non-interlaced PNGs of every colour type
 * and bit depth; interlaced ones return `undefined` (use a full decoder).
 *
 * @module
 */
import { type Pixels, RowDownscaler } from "./downscale.ts";

interface Header {
  width: number;
  height: number;
  depth: number;
  type: number;
  interlace: number;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Width, height and interlacing from the IHDR chunk.
 *
 * @example The IHDR fields of a 2×1 RGB PNG
 * ```ts
 * import assert from "node:assert/strict";
 * import { pngHeader } from "./png_stream.ts";
 *
 * // A PNG chunk (its CRC left 0: the decoder does not check it)
 * const chunk = (type: string, body: Uint8Array) => {
 *   const out = new Uint8Array(12 + body.length);
 *   new DataView(out.buffer).setUint32(0, body.length);
 *   out.set(new TextEncoder().encode(type), 4);
 *   out.set(body, 8);
 *   return out;
 * };
 * const ihdr = new Uint8Array(13);
 * new DataView(ihdr.buffer).setUint32(0, 2); // width
 * new DataView(ihdr.buffer).setUint32(4, 1); // height
 * ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, not interlaced
 * const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunk("IHDR", ihdr)]);
 * assert.deepEqual(pngHeader(png), { width: 2, height: 1, depth: 8, type: 2, interlace: 0 });
 * assert.equal(pngHeader(new Uint8Array(8)), undefined);
 * ```
 */
export function pngHeader(d: Uint8Array): Header | undefined {
  if (d.length < 33 || d[12] !== 0x49 || d[13] !== 0x48 || d[14] !== 0x44 || d[15] !== 0x52) {
    return undefined;
  }
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  return {
    width: v.getUint32(16),
    height: v.getUint32(20),
    depth: d[24],
    type: d[25],
    interlace: d[28],
  };
}

/** Compressed bytes given to the inflater at a time (at most ~8 MB come out of one). */
const INFLATE_SLICE = 8192;

/**
 * Decodes a PNG, shrinking it to at most `maxSide` pixels on the long side.
 *
 * @returns The shrunk RGBA image, or `undefined` for interlaced PNGs.
 * @throws {Error} When the PNG is damaged or truncated.
 * @example A red and a blue pixel, full size and shrunk to one
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodePngScaled } from "./png_stream.ts";
 *
 * // A PNG chunk (its CRC left 0: the decoder does not check it)
 * const chunk = (type: string, body: Uint8Array) => {
 *   const out = new Uint8Array(12 + body.length);
 *   new DataView(out.buffer).setUint32(0, body.length);
 *   out.set(new TextEncoder().encode(type), 4);
 *   out.set(body, 8);
 *   return out;
 * };
 * const ihdr = new Uint8Array(13);
 * new DataView(ihdr.buffer).setUint32(0, 2); // width
 * new DataView(ihdr.buffer).setUint32(4, 1); // height
 * ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, not interlaced
 * const rows = new Uint8Array([0, 255, 0, 0, 0, 0, 255]); // filter type 0, red, blue
 * const idat = new Uint8Array(
 *   await new Response(new Blob([rows]).stream().pipeThrough(new CompressionStream("deflate")))
 *     .arrayBuffer(),
 * );
 * const png = new Uint8Array([
 *   ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
 *   ...chunk("IHDR", ihdr),
 *   ...chunk("IDAT", idat),
 *   ...chunk("IEND", new Uint8Array()),
 * ]);
 * const full = await decodePngScaled(png, 256);
 * assert.deepEqual([...full!.data], [255, 0, 0, 255, 0, 0, 255, 255]);
 * const one = await decodePngScaled(png, 1);
 * assert.deepEqual([...one!.data], [128, 0, 128, 255]); // the area average
 * ```
 */
export async function decodePngScaled(d: Uint8Array, maxSide: number): Promise<Pixels | undefined> {
  const h = pngHeader(d);
  if (!h) throw new Error("missing IHDR");
  const ch = CHANNELS[h.type];
  if (!ch || ![1, 2, 4, 8, 16].includes(h.depth) || h.width === 0 || h.height === 0) {
    throw new Error(`unsupported colour type ${h.type} / bit depth ${h.depth}`);
  }
  if (h.interlace !== 0) return undefined;
  // chunks: palette, transparency, and the compressed data parts
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const idat: Uint8Array[] = [];
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  for (let p = 8; p + 8 <= d.length;) {
    const len = view.getUint32(p);
    const type = String.fromCharCode(d[p + 4], d[p + 5], d[p + 6], d[p + 7]);
    const body = d.subarray(p + 8, p + 8 + len);
    if (type === "IDAT") idat.push(body);
    else if (type === "PLTE") palette = body;
    else if (type === "tRNS") trns = body;
    else if (type === "IEND") break;
    p += 12 + len;
  }
  if (!idat.length) throw new Error("no image data");
  if (h.type === 3 && !palette) throw new Error("palette image without PLTE");

  const bpp = Math.max(1, (ch * h.depth) >> 3);
  const rowBytes = Math.ceil((h.width * ch * h.depth) / 8);
  const stride = rowBytes + 1;
  let prev = new Uint8Array(rowBytes);
  let cur = new Uint8Array(rowBytes);
  const rgba = new Uint8Array(h.width * 4);
  const ds = new RowDownscaler(h.width, h.height, maxSide);
  const toRgba = rowConverter(h, ch, palette, trns);
  const pending = new Uint8Array(stride);
  let filled = 0;
  let y = 0;

  // Fed in small slices, one as the inflater asks: it inflates each slice it is given whole,
  // and deflate expands up to ~1000×, so a single 1 MB IDAT (as optimisers write them) would
  // come out as one gigabyte-sized buffer.
  let part = 0, at = 0;
  const stream = new ReadableStream<BufferSource>({
    pull(c) {
      while (part < idat.length && at >= idat[part].length) [part, at] = [part + 1, 0];
      if (part === idat.length) return c.close();
      const slice = idat[part].subarray(at, at + INFLATE_SLICE);
      at += slice.length;
      c.enqueue(slice as Uint8Array<ArrayBuffer>);
    },
  }, { highWaterMark: 0 }).pipeThrough<Uint8Array>(new DecompressionStream("deflate"));
  const reader = stream.getReader();
  try {
    while (y < h.height) {
      const { value, done } = await reader.read();
      if (done) break;
      let i = 0;
      while (i < value.length && y < h.height) {
        const take = Math.min(stride - filled, value.length - i);
        pending.set(value.subarray(i, i + take), filled);
        filled += take;
        i += take;
        if (filled === stride) {
          unfilter(pending[0], pending.subarray(1), prev, cur, bpp);
          toRgba(cur, rgba);
          ds.addRow(rgba, 0);
          [prev, cur] = [cur, prev];
          filled = 0;
          y++;
        }
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  if (y < h.height) throw new Error(`truncated: ${y} of ${h.height} rows`);
  return ds.finish();
}

function unfilter(f: number, src: Uint8Array, prev: Uint8Array, out: Uint8Array, bpp: number) {
  const n = src.length;
  switch (f) {
    case 0:
      out.set(src);
      break;
    case 1:
      for (let i = 0; i < n; i++) out[i] = src[i] + (i >= bpp ? out[i - bpp] : 0);
      break;
    case 2:
      for (let i = 0; i < n; i++) out[i] = src[i] + prev[i];
      break;
    case 3:
      for (let i = 0; i < n; i++) {
        out[i] = src[i] + (((i >= bpp ? out[i - bpp] : 0) + prev[i]) >> 1);
      }
      break;
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? out[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        out[i] = src[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      break;
    default:
      throw new Error(`bad filter type ${f}`);
  }
}

/** Builds a function that turns one unfiltered row into 8-bit RGBA. */
function rowConverter(
  h: Header,
  ch: number,
  palette: Uint8Array | undefined,
  trns: Uint8Array | undefined,
): (row: Uint8Array, out: Uint8Array) => void {
  const { width, depth, type } = h;
  const max = (1 << depth) - 1;
  const sample = (row: Uint8Array, i: number): number => {
    // i-th sample of the row, as 0–255
    if (depth === 8) return row[i];
    if (depth === 16) return row[i * 2];
    const bit = i * depth;
    const v = (row[bit >> 3] >> (8 - depth - (bit & 7))) & max;
    return type === 3 ? v : Math.round((v * 255) / max);
  };
  const raw16 = (row: Uint8Array, i: number) =>
    depth === 16 ? (row[i * 2] << 8) | row[i * 2 + 1] : -1;
  const key = trns && type !== 3
    ? Array.from({ length: type === 0 ? 1 : 3 }, (_, k) => (trns[k * 2] << 8) | trns[k * 2 + 1])
    : undefined;
  const rawSample = (row: Uint8Array, i: number) => {
    if (depth === 16) return raw16(row, i);
    if (depth === 8) return row[i];
    const bit = i * depth;
    return (row[bit >> 3] >> (8 - depth - (bit & 7))) & max;
  };
  return (row, out) => {
    for (let x = 0; x < width; x++) {
      const o = x * 4;
      const s = x * ch;
      switch (type) {
        case 0: {
          const g = sample(row, s);
          out[o] = out[o + 1] = out[o + 2] = g;
          out[o + 3] = key && rawSample(row, s) === key[0] ? 0 : 255;
          break;
        }
        case 2:
          out[o] = sample(row, s), out[o + 1] = sample(row, s + 1), out[o + 2] = sample(row, s + 2);
          out[o + 3] = key && rawSample(row, s) === key[0] && rawSample(row, s + 1) === key[1] &&
              rawSample(row, s + 2) === key[2]
            ? 0
            : 255;
          break;
        case 3: {
          const idx = sample(row, s);
          out[o] = palette![idx * 3] ?? 0;
          out[o + 1] = palette![idx * 3 + 1] ?? 0;
          out[o + 2] = palette![idx * 3 + 2] ?? 0;
          out[o + 3] = trns && idx < trns.length ? trns[idx] : 255;
          break;
        }
        case 4: {
          const g = sample(row, s);
          out[o] = out[o + 1] = out[o + 2] = g;
          out[o + 3] = sample(row, s + 1);
          break;
        }
        default:
          out[o] = sample(row, s), out[o + 1] = sample(row, s + 1), out[o + 2] = sample(row, s + 2);
          out[o + 3] = sample(row, s + 3);
      }
    }
  };
}
