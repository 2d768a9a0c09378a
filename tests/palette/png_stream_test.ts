import { crc32, deflateSync } from "node:zlib";
import { assert, assertEquals, assertRejects } from "../_helpers/assert.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { decodePngScaled, pngHeader } from "../../src/palette/png_stream.ts";
import { decodeImage } from "../../src/palette/decode.ts";
import { downscale } from "../../src/palette/downscale.ts";

/** Builds a PNG from raw (unfiltered) rows, applying `filter` to every row. */
function png(opts: {
  width: number;
  height: number;
  depth: number;
  type: number;
  row: (y: number) => number[];
  plte?: number[];
  trns?: number[];
  filter?: number;
}): Uint8Array {
  const chunk = (type: string, body: Uint8Array) => {
    const out = new Uint8Array(12 + body.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, body.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(body, 8);
    v.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, opts.width);
  hv.setUint32(4, opts.height);
  ihdr.set([opts.depth, opts.type, 0, 0, 0], 8);
  const rows: number[] = [];
  let prev: number[] = [];
  for (let y = 0; y < opts.height; y++) {
    const raw = opts.row(y);
    const f = opts.filter ?? 0;
    rows.push(f);
    const bpp = Math.max(1, opts.depth >> 3) * ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[opts.type] ?? 1);
    raw.forEach((b, i) => {
      const a = i >= bpp ? raw[i - bpp] : 0, up = prev[i] ?? 0;
      const pred = f === 1 ? a : f === 2 ? up : f === 3 ? (a + up) >> 1 : 0;
      rows.push((b - pred) & 255);
    });
    prev = raw;
  }
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    ...(opts.plte ? [chunk("PLTE", new Uint8Array(opts.plte))] : []),
    ...(opts.trns ? [chunk("tRNS", new Uint8Array(opts.trns))] : []),
    chunk("IDAT", new Uint8Array(deflateSync(new Uint8Array(rows)))),
    chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
}

const pixel = (px: { data: Uint8Array | Uint8ClampedArray }, i: number) =>
  Array.from(px.data.subarray(i * 4, i * 4 + 4));

Deno.test("decodePngScaled() matches the full decoder plus downscale on RGBA PNGs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const [w, h] of [[600, 400], [257, 31], [90, 700]]) {
      const path = await writeImage(`${dir}/a.png`, {
        width: w,
        height: h,
        colors: [COLORS.navy, COLORS.orange, COLORS.teal],
        gradient: true,
        noise: 30,
      });
      const bytes = await Deno.readFile(path);
      const a = await decodePngScaled(bytes, 64);
      const b = downscale(await decodeImage(bytes, { minSide: 64 }), 64);
      assert(a);
      assertEquals([a.width, a.height], [b.width, b.height]);
      assertEquals(a.data, b.data);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("decodePngScaled() reads every colour type, bit depth and filter", async () => {
  const cases = [
    // 1-bit grey: left half black, right half white → mid grey overall
    { depth: 1, type: 0, row: () => [0x00, 0xff], want: [128, 128, 128, 255] },
    // 16-bit RGB (filters 0–3 are applied to every case; Paeth comes from the test above)
    {
      depth: 16,
      type: 2,
      row: () => Array(16).fill(0).flatMap(() => [200, 1, 100, 2, 50, 3]),
      want: [200, 100, 50, 255],
    },
    // 4-bit palette with transparency: index 1 opaque red, index 0 transparent
    {
      depth: 4,
      type: 3,
      row: () => Array(8).fill(0x11),
      plte: [0, 0, 255, 255, 0, 0],
      trns: [0, 255],
      want: [255, 0, 0, 255],
    },
    // grey + alpha, 8-bit
    {
      depth: 8,
      type: 4,
      row: () => Array(16).fill(0).flatMap(() => [90, 255]),
      want: [90, 90, 90, 255],
    },
    // RGBA 8-bit
    {
      depth: 8,
      type: 6,
      row: () => Array(16).fill(0).flatMap(() => [10, 20, 30, 255]),
      want: [10, 20, 30, 255],
    },
  ];
  for (const c of cases) {
    for (const filter of [0, 1, 2, 3]) {
      const bytes = png({ width: 16, height: 8, ...c, filter });
      const px = await decodePngScaled(bytes, 1);
      assert(px);
      assertEquals([px.width, px.height], [1, 1]);
      const got = pixel(px, 0);
      for (let k = 0; k < 4; k++) {
        assert(
          Math.abs(got[k] - c.want[k]) <= 1,
          `type ${c.type} filter ${filter}: ${got} vs ${c.want}`,
        );
      }
    }
  }
});

Deno.test("decodePngScaled() reports truncation and skips interlaced PNGs", async () => {
  const bytes = png({
    width: 64,
    height: 64,
    depth: 8,
    type: 2,
    row: (y) => Array(192).fill(y * 3),
  });
  const header = pngHeader(bytes)!;
  assertEquals([header.width, header.height, header.interlace], [64, 64, 0]);
  const idatEnd = bytes.length - 12 - 4; // drop IEND and the IDAT CRC
  await assertRejects(() => decodePngScaled(bytes.subarray(0, idatEnd - 40), 8), Error);
  const interlaced = bytes.slice();
  interlaced[28] = 1;
  assertEquals(await decodePngScaled(interlaced, 8), undefined);
});

Deno.test("decodePngScaled() feeds one big IDAT to the inflater in small slices (memory stays bounded)", async () => {
  // Noise rows compress poorly: one IDAT chunk of well over 8 KB.
  const width = 256, height = 256;
  const data = png({
    width,
    height,
    depth: 8,
    type: 2,
    row: () => [...crypto.getRandomValues(new Uint8Array(width * 3))],
  });
  const Real = globalThis.DecompressionStream;
  const fed: number[] = [];
  class Spy extends Real {
    constructor(format: CompressionFormat) {
      super(format);
      const write = this.writable;
      const spy = new TransformStream<BufferSource, BufferSource>({
        transform(chunk, c) {
          fed.push(chunk.byteLength);
          c.enqueue(chunk);
        },
      });
      spy.readable.pipeTo(write).catch(() => {});
      Object.defineProperty(this, "writable", { value: spy.writable });
    }
  }
  globalThis.DecompressionStream = Spy;
  let px;
  try {
    px = await decodePngScaled(data, 64);
  } finally {
    globalThis.DecompressionStream = Real;
  }
  assert(px);
  assertEquals([px.width, px.height], [64, 64]);
  const total = fed.reduce((a, b) => a + b, 0);
  assert(total > 8192 * 4, `the IDAT is big enough to need slicing (${total} bytes)`);
  assert(Math.max(...fed) <= 8192, `slices of at most 8 KB (got ${Math.max(...fed)})`);
});
