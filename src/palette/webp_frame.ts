/**
 * The first frame of an animated WebP as a still WebP file, for decoders
 * that read only stills (libwebp's simple decoder, as @jsquash/webp has it,
 * refuses an animation). Pure: bytes in, bytes out.
 *
 * An animated WebP is a `VP8X` file with the animation flag whose frames are
 * `ANMF` chunks: 16 bytes of placement and timing, then the frame's own
 * chunks (an optional `ALPH`, then `VP8 ` or `VP8L`). A still is those
 * chunks in a RIFF container, with a `VP8X` header when there is an `ALPH`.
 *
 * @module
 */

const ASCII = new TextEncoder();

/**
 * Whether a WebP file is animated (its `VP8X` header says so).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isAnimatedWebp } from "./webp_frame.ts";
 *
 * const b = new Uint8Array(30);
 * b.set(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8X"));
 * assert.equal(isAnimatedWebp(b), false);
 * b[20] = 0x02; // the animation flag
 * assert.equal(isAnimatedWebp(b), true);
 * ```
 */
export function isAnimatedWebp(b: Uint8Array): boolean {
  return b.length >= 21 && fourcc(b, 0) === "RIFF" && fourcc(b, 8) === "WEBP" &&
    fourcc(b, 12) === "VP8X" && (b[20] & 0x02) !== 0;
}

/**
 * The first frame of an animated WebP as a still WebP file, or undefined
 * when `b` is not an animated WebP or its first frame cannot be found.
 *
 * @example Not animated: nothing to do
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstWebpFrame } from "./webp_frame.ts";
 * assert.equal(firstWebpFrame(new Uint8Array(8)), undefined);
 * ```
 */
export function firstWebpFrame(b: Uint8Array): Uint8Array<ArrayBuffer> | undefined {
  if (!isAnimatedWebp(b)) return undefined;
  for (const c of chunks(b, 12, b.length)) {
    if (c.id !== "ANMF" || c.size < 16) continue;
    const width = 1 + u24(b, c.start + 6), height = 1 + u24(b, c.start + 9);
    const parts = [...chunks(b, c.start + 16, c.start + c.size)];
    const image = parts.find((p) => p.id === "VP8 " || p.id === "VP8L");
    if (!image) return undefined;
    const alpha = parts.find((p) => p.id === "ALPH");
    const body: Uint8Array[] = [];
    if (alpha && image.id === "VP8 ") {
      // VP8X: flags (alpha), 3 reserved bytes, canvas width − 1 and height − 1 (24 bits each).
      const vp8x = new Uint8Array(10);
      vp8x[0] = 0x10;
      vp8x.set(le24(width - 1), 4);
      vp8x.set(le24(height - 1), 7);
      body.push(chunk("VP8X", vp8x), raw(b, alpha));
    }
    body.push(raw(b, image));
    return riff(body);
  }
  return undefined;
}

interface Chunk {
  id: string;
  /** Where its data starts, and its length (without the pad byte). */
  start: number;
  size: number;
}

/** The chunks between `from` and `to` (each 8 bytes of header, data padded to even). */
function* chunks(b: Uint8Array, from: number, to: number): Generator<Chunk> {
  for (let p = from; p + 8 <= to;) {
    const size = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24)) >>> 0;
    if (p + 8 + size > to) return; // cut off
    yield { id: fourcc(b, p), start: p + 8, size };
    p += 8 + size + (size & 1);
  }
}

/** A chunk of `b` as it is there: header, data and pad byte. */
function raw(b: Uint8Array, c: Chunk): Uint8Array {
  return chunk(c.id, b.subarray(c.start, c.start + c.size));
}

function chunk(id: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length + (data.length & 1));
  out.set(ASCII.encode(id), 0);
  out.set(le32(data.length), 4);
  out.set(data, 8);
  return out;
}

function riff(body: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const size = 4 + body.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(8 + size);
  out.set(ASCII.encode("RIFF"), 0);
  out.set(le32(size), 4);
  out.set(ASCII.encode("WEBP"), 8);
  let p = 12;
  for (const c of body) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

const fourcc = (b: Uint8Array, p: number) =>
  String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3]);
const u24 = (b: Uint8Array, p: number) => b[p] | (b[p + 1] << 8) | (b[p + 2] << 16);
const le24 = (v: number) => [v & 255, (v >> 8) & 255, (v >> 16) & 255];
const le32 = (v: number) => [v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255];
