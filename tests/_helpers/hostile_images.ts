// Hostile images made from code: small generated files with their headers patched to claim
// huge sizes, truncated files, bogus JPEG frame headers, and a genuinely large PNG that is cheap
// to store (one colour) but slow to decode. Nothing binary is committed.

/** Offset of the first JPEG frame header (SOFn marker), or -1. */
export function jpegSofOffset(b: Uint8Array): number {
  let p = 2;
  while (p + 9 < b.length && b[p] === 0xff) {
    const m = b[p + 1];
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return p;
    p += 2 + ((b[p + 2] << 8) | b[p + 3]);
  }
  return -1;
}

/** A copy of a JPEG whose frame header claims `width` × `height` (the data is unchanged). */
export function patchJpegSize(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const out = jpeg.slice();
  const p = jpegSofOffset(out);
  if (p < 0) throw new Error("no JPEG frame header");
  out.set([height >> 8, height & 255, width >> 8, width & 255], p + 5);
  return out;
}

/**
 * A copy of a JPEG with a second, bigger frame header inserted before the
 * real one (a reader that stops at the first frame would see the small size).
 */
export function jpegWithSecondFrame(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const p = jpegSofOffset(jpeg);
  if (p < 0) throw new Error("no JPEG frame header");
  const len = (jpeg[p + 2] << 8) | jpeg[p + 3];
  const sof = jpeg.slice(p, p + 2 + len);
  sof.set([height >> 8, height & 255, width >> 8, width & 255], 5);
  const out = new Uint8Array(jpeg.length + sof.length);
  out.set(jpeg.subarray(0, p), 0);
  out.set(sof, p);
  out.set(jpeg.subarray(p), p + sof.length);
  return out;
}

/** A copy of a PNG whose IHDR claims `width` × `height` (with a correct CRC). */
export function patchPngSize(png: Uint8Array, width: number, height: number): Uint8Array {
  const out = png.slice();
  const v = new DataView(out.buffer);
  v.setUint32(16, width);
  v.setUint32(20, height);
  v.setUint32(29, crc32(out.subarray(12, 29)));
  return out;
}

/** The first `n` bytes (or a fraction when 0 < n < 1) of a file. */
export function truncated(bytes: Uint8Array, n: number): Uint8Array {
  return bytes.slice(0, n < 1 ? Math.floor(bytes.length * n) : n);
}

/**
 * A valid, non-interlaced 8-bit greyscale PNG of `width` × `height` in one
 * colour: a few hundred kilobytes on disk however large (zeros compress
 * ~1000:1), but every row must be inflated and unfiltered to decode it.
 */
export async function solidPng(width: number, height: number, grey = 0): Promise<Uint8Array> {
  const row = new Uint8Array(width + 1);
  row.fill(grey, 1); // filter byte 0, then the pixels
  const rowsPerChunk = Math.max(1, Math.floor((1 << 20) / row.length));
  const block = new Uint8Array(row.length * rowsPerChunk);
  for (let i = 0; i < rowsPerChunk; i++) block.set(row, i * row.length);
  let left = height;
  const stream = new ReadableStream<Uint8Array<ArrayBuffer>>({
    pull(c) {
      if (left === 0) return c.close();
      const n = Math.min(left, rowsPerChunk);
      left -= n;
      c.enqueue(block.slice(0, n * row.length));
    },
  }).pipeThrough(new CompressionStream("deflate"));
  const idat = new Uint8Array(await new Response(stream).arrayBuffer());
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 0, 0, 0, 0], 8); // depth 8, greyscale, deflate, filter 0, no interlace
  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/** A PNG of just a signature and an IHDR claiming `width` × `height`, and a tiny IDAT. */
export function pngHeaderOnly(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", new Uint8Array([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, body.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(body, 8);
  v.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
