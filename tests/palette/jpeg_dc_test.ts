import { assert, assertEquals } from "../_helpers/assert.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import {
  decodeJpegDc,
  decodeJpegDcFrom,
  type JpegBytes,
  jpegSize,
} from "../../src/palette/jpeg_dc.ts";
import { decodeFile, decodeImage } from "../../src/palette/decode.ts";
import type { Pixels } from "../../src/palette/downscale.ts";
import { progressiveJpeg } from "../_helpers/progressive_jpeg.ts";
import jpeg from "imagescript/wasm/node/jpeg.js";

const codec = await jpeg.init();

/** Mean absolute difference per channel against imagescript's 1/8-scale WASM decode. */
function compare(bytes: Uint8Array): { diff: number; width: number; height: number } {
  const px = decodeJpegDc(bytes);
  assert(px, "decoded");
  const fb = codec.decode(bytes, 1, 1);
  assertEquals([px.width, px.height], [fb.width, fb.height]);
  const ch = fb.format === 0 ? 1 : 3;
  let diff = 0;
  for (let i = 0; i < px.width * px.height; i++) {
    for (let c = 0; c < 3; c++) {
      diff += Math.abs(px.data[i * 4 + c] - fb.buffer[i * ch + (ch === 1 ? 0 : c)]);
    }
  }
  return { diff: diff / (px.width * px.height * 3), width: px.width, height: px.height };
}

Deno.test("decodeJpegDc() matches a full decoder's 1/8-scale image on baseline JPEGs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const [w, h] of [[640, 360], [333, 201], [17, 9]]) {
      const path = await writeImage(`${dir}/a.jpg`, {
        width: w,
        height: h,
        colors: [COLORS.navy, COLORS.orange, COLORS.teal, COLORS.white],
        gradient: true,
        noise: 30,
      });
      const bytes = await Deno.readFile(path);
      assertEquals(jpegSize(bytes), { width: w, height: h, progressive: false });
      const r = compare(bytes);
      assertEquals([r.width, r.height], [Math.ceil(w / 8), Math.ceil(h / 8)]);
      assert(r.diff < 3, `${w}x${h}: mean difference ${r.diff}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const PROGRESSIVE = [
  "/usr/share/backgrounds/mate/abstract/Elephants.jpg",
  "/usr/share/backgrounds/mate/abstract/Elephants_5640x3172.jpg", // 16 MB: read in chunks
  "/usr/share/backgrounds/mate/nature/GreenMeadow.jpg",
];
const present = PROGRESSIVE.filter((p) => {
  try {
    return jpegSize(Deno.readFileSync(p))?.progressive === true;
  } catch {
    return false;
  }
});
if (!present.length) console.log("jpeg_dc_test: no progressive JPEG installed, skipping that test");

Deno.test({
  name: "decodeJpegDc() reads progressive JPEGs from their DC scans",
  ignore: present.length === 0,
  fn() {
    for (const p of present) {
      const r = compare(Deno.readFileSync(p));
      assert(r.diff < 3, `${p}: mean difference ${r.diff}`);
    }
  },
});

/** A decode's outcome in short: size and a digest of the pixels, or the error's message. */
function digest(f: () => Pixels | undefined): string {
  try {
    const px = f();
    if (!px) return "undefined";
    let h = 0;
    for (let i = 0; i < px.data.length; i++) h = (Math.imul(h, 31) + px.data[i]) | 0;
    return `${px.width}×${px.height} ${h}`;
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

Deno.test({
  name: "progressive DC scans give the general scan reader's pixels exactly, whole and in chunks",
  ignore: present.length === 0,
  fn() {
    const whole = (b: Uint8Array): JpegBytes => ({ buf: b, eof: true, more: () => 0 });
    for (const p of present) {
      const bytes = Deno.readFileSync(p);
      const general = digest(() => decodeJpegDcFrom(whole(bytes), { generic: true }));
      assertEquals(digest(() => decodeJpegDcFrom(whole(bytes))), general, p);
      assertEquals(digest(() => decodeJpegDcFrom(chunked(bytes, 4099))), general, `${p}, chunks`);
      // cut short in the middle of a scan: the same as the general reader too
      const cut = bytes.subarray(0, Math.floor(bytes.length * 0.02));
      assertEquals(
        digest(() => decodeJpegDcFrom(whole(cut))),
        digest(() => decodeJpegDcFrom(whole(cut), { generic: true })),
        `${p}, cut`,
      );
    }
  },
});

Deno.test("decodeJpegDc() rejects what is not a JPEG and survives truncation", async () => {
  assertEquals(decodeJpegDc(new Uint8Array([0x89, 0x50, 0x4e, 0x47])), undefined);
  const dir = await Deno.makeTempDir();
  try {
    const path = await writeImage(`${dir}/t.jpg`, {
      width: 200,
      height: 120,
      colors: [COLORS.red, COLORS.blue],
    });
    const bytes = await Deno.readFile(path);
    for (const cut of [bytes.length >> 1, 700, 20]) {
      try {
        const px = decodeJpegDc(bytes.subarray(0, cut));
        if (px) assertEquals([px.width, px.height], [25, 15]);
      } catch (e) {
        assert(e instanceof Error, String(e));
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** `bytes` as a window that holds at most `chunk` new bytes per read (the file decoder's shape). */
function chunked(bytes: Uint8Array, chunk: number): JpegBytes {
  let start = 0, end = Math.min(chunk, bytes.length);
  const w: JpegBytes = {
    buf: bytes.slice(0, end),
    eof: end >= bytes.length,
    more(keep) {
      start += keep;
      end = Math.min(end + chunk, bytes.length);
      w.eof = end >= bytes.length;
      w.buf = bytes.slice(start, end); // a copy: nothing behind `start` can be read
      return keep;
    },
  };
  return w;
}

/** The result of a decode, or its error's message. */
function outcome(f: () => unknown): unknown {
  try {
    const px = f() as { width: number; height: number; data: Uint8Array } | undefined;
    return px && { width: px.width, height: px.height, data: Array.from(px.data) };
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

Deno.test("decodeJpegDcFrom() over bytes read in chunks gives what the whole file gives", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const inputs: [string, Uint8Array][] = [];
    const path = await writeImage(`${dir}/a.jpg`, {
      width: 333,
      height: 201,
      colors: [COLORS.navy, COLORS.orange, COLORS.teal],
      gradient: true,
      noise: 30,
    });
    const baseline = await Deno.readFile(path);
    inputs.push(["baseline", baseline]);
    inputs.push(["truncated", baseline.subarray(0, baseline.length >> 1)]);
    inputs.push(["no end", baseline.subarray(0, baseline.length - 2)]);
    for (const p of present) inputs.push([p, Deno.readFileSync(p)]);
    for (const [what, bytes] of inputs) {
      const whole = outcome(() => decodeJpegDc(bytes));
      // chunk sizes that split markers, stuffed bytes and segments every which way
      for (const chunk of [1, 2, 3, 7, 64, 4099, 65536]) {
        if (bytes.length > 2e6 && chunk < 4099) continue; // too slow a byte at a time
        assertEquals(
          outcome(() => decodeJpegDcFrom(chunked(bytes, chunk))),
          whole,
          `${what}, ${chunk}`,
        );
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("decodeFile() reads a big progressive JPEG in chunks: the same pixels as decodeImage()", {
  ignore: present.length === 0,
}, async () => {
  for (const p of present) {
    const bytes = Deno.readFileSync(p);
    const whole = await decodeImage(bytes, { name: p });
    const streamed = await decodeFile(p);
    assertEquals([streamed.width, streamed.height], [whole.width, whole.height]);
    assert(streamed.data.every((v, i) => v === whole.data[i]), p);
  }
});

/** `bytes` read in chunks, with how far the decoder asked to read. */
function watched(bytes: Uint8Array, chunk: number): { bytes: JpegBytes; read: () => number } {
  let start = 0;
  const w = chunked(bytes, chunk);
  const more = w.more;
  w.more = (keep) => {
    start += keep;
    return more(keep);
  };
  return { bytes: w, read: () => start + w.buf.length };
}

/** The most any channel of `a` is off from `b`'s. */
function worstError(a: Pixels, b: Pixels): number {
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
  return worst;
}

Deno.test("a progressive JPEG's last DC bits are not read when they are worth at most a level", () => {
  // colours that are not multiples of the DC step, so that low bits matter
  const colour = (
    x: number,
    y: number,
  ) => [37 + ((x * 13 + y * 7) % 181), 90 + x % 61, 170 - y % 53];
  const cases = [
    { components: 3 as const, dcStep: 8, al: 1, skips: true }, // libjpeg's quality ~95
    { components: 3 as const, dcStep: 16, al: 1, skips: true },
    { components: 1 as const, dcStep: 4, al: 2, skips: true },
    { components: 3 as const, dcStep: 17, al: 1, skips: false, exact: true }, // 1 bit: > a level
    // the first refinement is read (3 × 8 is 3 levels), the second is not (1 bit: 1 level)
    { components: 1 as const, dcStep: 8, al: 2, skips: false, exact: false },
  ];
  for (const c of cases) {
    const what = JSON.stringify(c);
    const options = {
      blocksX: 40,
      blocksY: 30,
      block: colour,
      components: c.components,
      dcStep: c.dcStep,
      al: c.al,
      acPadding: 300_000,
    };
    const jpg = { ...progressiveJpeg(options), options };
    const w = watched(jpg.bytes, 4099);
    const px = decodeJpegDcFrom(w.bytes);
    assert(px, what);
    assertEquals([px.width, px.height], [40, 30], what);
    if (c.skips) {
      assert(w.read() < jpg.refinementAt, `${what}: read ${w.read()} of ${jpg.bytes.length}`);
    } else assert(w.read() > jpg.refinementAt, `${what}: stopped at ${w.read()}`);
    // Against the same picture with its whole DC in the first scan: each component off by
    // at most a level, which YCbCr → RGB makes at most 1 + 1.772 (Cb in blue), plus rounding.
    const exact = decodeJpegDc(progressiveJpeg({ ...jpg.options, al: 0 }).bytes);
    assert(exact, what);
    const worst = worstError(px, exact);
    if (c.exact) assertEquals(worst, 0, what);
    else assert(worst <= (c.components === 1 ? 1 : 2.772) + 1, `${what}: off by ${worst}`);
    // The whole file decoded at once gives the same pixels.
    assertEquals(decodeJpegDc(jpg.bytes)?.data, px.data, what);
  }
});

Deno.test("a progressive JPEG cut off inside its DC scan is an error, not a picture gone black at the cut", () => {
  const colour = (
    x: number,
    y: number,
  ) => [60 + ((x * 13 + y * 7) % 150), 90 + x % 61, 170 - y % 53];
  const { bytes } = progressiveJpeg({
    blocksX: 160,
    blocksY: 120,
    block: colour,
    components: 3,
    dcStep: 8,
    al: 0,
  });
  let sos = 0;
  while (!(bytes[sos] === 0xff && bytes[sos + 1] === 0xda)) sos++;
  const whole = (b: Uint8Array): JpegBytes => ({ buf: b, eof: true, more: () => 0 });
  assert(decodeJpegDcFrom(whole(bytes)), "the whole file decodes");
  // Two thirds of the way into the DC scan (which is most of this file).
  const cut = bytes.subarray(0, sos + Math.floor((bytes.length - sos) * 2 / 3));
  for (const generic of [false, true]) {
    assertEquals(
      outcome(() => decodeJpegDcFrom(whole(cut), { generic })),
      "error: the scan's data ends early (cut off)",
      `generic: ${generic}`,
    );
  }
});
