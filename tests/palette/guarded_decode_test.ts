// Hostile and huge images: refused before decoding, decodes stopped by the timeout, and the
// errors that mark an image as undecodable.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import { COLORS, paint, writeImage } from "../_helpers/images.ts";
import {
  jpegWithSecondFrame,
  patchJpegSize,
  patchPngSize,
  pngHeaderOnly,
  solidPng,
  truncated,
} from "../_helpers/hostile_images.ts";
import { Frame, GIF } from "imagescript";
import {
  checkPixelLimit,
  ImageTooLargeError,
  MAX_SIDE,
  maxPixelsOf,
} from "../../src/palette/pixel_limit.ts";
import { implausibleHeader, readImageHeader } from "../../src/palette/image_header.ts";
import {
  decodeFile,
  decodeImage,
  ImageDecodeError,
  UnsupportedFormatError,
} from "../../src/palette/decode.ts";
import {
  checkImageFile,
  decodeImageFile,
  decodeImageFileWithMaterial,
  DecodeTimeoutError,
  DecodeWorker,
  describeDecodeFailure,
  isDecodeFailure,
} from "../../src/palette/guarded_decode.ts";
import { builtinPaletteForFile } from "../../src/palette/builtin_file.ts";
import { paletteForImage } from "../../src/palette/palette_for_image.ts";
import { sourceColorFromPixels } from "../../src/palette/material/source_color.ts";
import { materialScheme } from "../../src/palette/material/scheme.ts";
import { withStatusRoles } from "../../src/palette/material/status_roles.ts";
import type { Pixels } from "../../src/palette/downscale.ts";

const sourceColorOf = (px: Pixels) => {
  const r = sourceColorFromPixels(px);
  return { source: r.source, meanTone: r.meanTone };
};
import { DEFAULTS } from "../../src/config/schema.ts";
import type { Config } from "../../src/config/schema.ts";
import type { Paths } from "../../src/config/paths.ts";

const LIMIT = 150e6;

async function tmp(): Promise<string & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "varietal-hostile-" });
  return Object.assign(dir, {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  }) as string & AsyncDisposable;
}

async function smallJpeg(): Promise<Uint8Array> {
  return await paint({
    width: 640,
    height: 480,
    colors: [COLORS.red, COLORS.blue],
    gradient: true,
    noise: 30,
  }).encodeJPEG(90);
}

async function smallPng(): Promise<Uint8Array> {
  return await paint({ width: 64, height: 48, colors: [COLORS.teal, COLORS.orange] }).encode(1);
}

Deno.test("checkPixelLimit() names the size and the limit, and refuses absurd sides", () => {
  assertEquals(
    checkPixelLimit(30000, 30000, LIMIT),
    "too large: 30000×30000 exceeds 150 megapixels",
  );
  assertEquals(checkPixelLimit(15000, 10000, LIMIT), undefined, "exactly the limit is allowed");
  assertEquals(
    checkPixelLimit(15000, 10001, LIMIT),
    "too large: 15000×10001 exceeds 150 megapixels",
  );
  assertEquals(checkPixelLimit(3840, 2160, 8.2e6), "too large: 3840×2160 exceeds 8.2 megapixels");
  assertEquals(
    checkPixelLimit(MAX_SIDE + 1, 1, LIMIT),
    `too large: ${MAX_SIDE + 1}×1 has a side longer than ${MAX_SIDE} pixels`,
  );
  assertEquals(checkPixelLimit(MAX_SIDE, 2000, LIMIT), undefined);
  assertEquals(maxPixelsOf({ palette: { max_megapixels: 0.5 } }), 500_000);
  assertEquals(maxPixelsOf({ palette: DEFAULTS.palette }), LIMIT);
});

Deno.test("readImageHeader() reads the declared size of each decodable format", async () => {
  assertEquals(readImageHeader(pngHeaderOnly(30000, 20000), "png")?.width, 30000);
  assertEquals(readImageHeader(pngHeaderOnly(30000, 20000), "png")?.height, 20000);
  const jpeg = await smallJpeg();
  const h = readImageHeader(jpeg, "jpeg")!;
  assertEquals([h.width, h.height], [640, 480]);
  assertEquals(readImageHeader(patchJpegSize(jpeg, 65000, 65000), "jpeg")?.width, 65000);
  // a second frame header: the bigger one counts
  const two = readImageHeader(jpegWithSecondFrame(jpeg, 60000, 50000), "jpeg")!;
  assertEquals([two.width, two.height], [60000, 50000]);
  const f = new Frame(40, 30, 100);
  f.fill(0x102030ff);
  const gif = await new GIF([f]).encode();
  assertEquals(readImageHeader(gif, "gif")?.height, 30);
  // a GIF whose first frame claims more than its logical screen
  const g = gif.slice();
  const frame = g.indexOf(0x2c, 13);
  g.set([0xff, 0xff, 0xff, 0xff], frame + 5);
  assertEquals(readImageHeader(g, "gif")?.width, 65535);
  assertEquals(readImageHeader(new Uint8Array(8), "png"), undefined);
});

Deno.test("implausibleHeader() accepts real JPEGs and catches sizes patched far up", async () => {
  // a flat image compresses best: the bound must hold for it
  for (const [w, h] of [[8, 8], [640, 480], [2000, 1200]]) {
    const flat = await paint({ width: w, height: h, colors: [COLORS.black] }).encodeJPEG(50);
    const header = readImageHeader(flat, "jpeg")!;
    assertEquals(implausibleHeader(header, flat.length), undefined, `${w}×${h} flat JPEG`);
  }
  const jpeg = await smallJpeg();
  const big = readImageHeader(patchJpegSize(jpeg, 12000, 12000), "jpeg")!;
  const why = implausibleHeader(big, jpeg.length);
  assert(why, "a 12000×12000 frame in a small file");
  assertStringIncludes(why, "12000×12000");
  const zero = readImageHeader(patchJpegSize(jpeg, 0, 480), "jpeg")!;
  assertStringIncludes(implausibleHeader(zero, jpeg.length) ?? "", "0×480");
});

Deno.test("implausibleHeader() refuses a file far larger than its pixels could need, or over 512 MiB", () => {
  const png = { format: "png" as const, width: 1920, height: 1080 };
  assertEquals(implausibleHeader(png, 6 * 2 ** 20), undefined, "a real PNG's size");
  // 16-bit RGBA stored without compression: 8 bytes a pixel and a filter byte a row.
  assertEquals(implausibleHeader(png, 1920 * 1080 * 8 + 1080), undefined, "uncompressed");
  const padded = implausibleHeader(png, 2 ** 31);
  assertStringIncludes(
    padded ?? "",
    "the file has 2 GiB, far more than a 1920×1080 picture needs",
  );
  const huge = { format: "jpeg" as const, width: 12000, height: 12000 };
  assertStringIncludes(implausibleHeader(huge, 600 * 2 ** 20) ?? "", "600 MiB");
  // A GIF's frames add up: held to the file cap only.
  const gif = { format: "gif" as const, width: 320, height: 240 };
  assertEquals(implausibleHeader(gif, 100 * 2 ** 20), undefined);
  assert(implausibleHeader(gif, 513 * 2 ** 20));
});

Deno.test("a fully transparent picture has no palette (never a made-up black one)", async () => {
  const clear = paint({ width: 40, height: 30, colors: [COLORS.blue] });
  clear.bitmap.forEach((_, i, d) => {
    if (i % 4 === 3) d[i] = 0;
  });
  const png = await clear.encode(1);
  const err = await assertRejects(() => decodeImage(png, { name: "clear.png" }), ImageDecodeError);
  assertStringIncludes(err.message, "clear.png: the picture is fully transparent");
  assert(isDecodeFailure(err), "marked, not drawn again until it changes");
  // One visible pixel is enough.
  clear.bitmap[3] = 255;
  const px = await decodeImage(await clear.encode(1), { name: "one.png" });
  assertEquals([px.width, px.height], [40, 30]);
});

Deno.test("decodeFile() tells a file that is no image from its first bytes, never reading it whole", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/x.jpg`;
    await Deno.writeFile(path, new Uint8Array(0));
    await Deno.truncate(path, 64 * 2 ** 20); // sparse: 64 MiB of zeros
    const readSync = Deno.FsFile.prototype.readSync;
    let read = 0;
    Deno.FsFile.prototype.readSync = function (this: Deno.FsFile, p: Uint8Array) {
      const n = readSync.call(this, p);
      read += n ?? 0;
      return n;
    };
    try {
      await assertRejects(() => decodeFile(path), ImageDecodeError, "its bytes are no image");
    } finally {
      Deno.FsFile.prototype.readSync = readSync;
    }
    assert(read <= 2 ** 20, `read ${read} bytes`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hostile files are refused or fail to decode; none gives pixels", async () => {
  await using dir = await tmp();
  const jpeg = await smallJpeg();
  const png = await smallPng();
  const cases: [string, Uint8Array, new (...a: never[]) => Error, string][] = [
    ["huge-ihdr.png", pngHeaderOnly(30000, 30000), ImageTooLargeError, "30000×30000"],
    ["patched.png", patchPngSize(png, 30000, 30000), ImageTooLargeError, "exceeds 150"],
    ["tall.png", pngHeaderOnly(1, 100_000), ImageTooLargeError, "side longer"],
    ["patched-65000.jpg", patchJpegSize(jpeg, 65000, 65000), ImageTooLargeError, "65000×65000"],
    ["second-frame.jpg", jpegWithSecondFrame(jpeg, 60000, 50000), ImageTooLargeError, "60000"],
    ["patched-12000.jpg", patchJpegSize(jpeg, 12000, 12000), ImageDecodeError, "header"],
    ["zero-width.jpg", patchJpegSize(jpeg, 0, 480), ImageDecodeError, "0×480"],
    ["truncated.jpg", truncated(jpeg, 0.5), ImageDecodeError, "JPEG"],
    ["no-eoi.jpg", truncated(jpeg, jpeg.length - 2), ImageDecodeError, "JPEG"],
    ["header-only.jpg", truncated(jpeg, 300), ImageDecodeError, "JPEG"],
    ["truncated.png", truncated(png, 0.4), ImageDecodeError, "PNG"], // inside the image data
    ["patched-800.png", patchPngSize(png, 800, 600), ImageDecodeError, "PNG"],
  ];
  for (const [name, bytes, cls, text] of cases) {
    const path = `${dir}/${name}`;
    await Deno.writeFile(path, bytes);
    await assertRejects(() => decodeImageFile(path), cls, text).catch((e) => {
      throw new Error(`${name}: ${e.message}`);
    });
    await assertRejects(() => decodeImage(bytes, { name }), cls, text);
    const e = await decodeImageFile(path).catch((e) => e);
    assert(isDecodeFailure(e), `${name}: a decode failure`);
  }
  // the pixel limit is configurable
  const path = await writeImage(`${dir}/ok.png`, { width: 400, height: 300, colors: [COLORS.red] });
  await assertRejects(
    () => decodeImageFile(path, { maxPixels: 100_000 }),
    ImageTooLargeError,
    "too large: 400×300 exceeds 0.1 megapixels",
  );
  assertEquals((await decodeImageFile(path, { maxPixels: 120_000 })).width, 256);
});

Deno.test("checkImageFile() refuses over-limit images of formats only wallust reads", async () => {
  await using dir = await tmp();
  // a BMP header claiming 20000×20000
  const bmp = new Uint8Array(54);
  const v = new DataView(bmp.buffer);
  bmp.set([0x42, 0x4d]);
  v.setUint32(2, 54, true);
  v.setUint32(10, 54, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, 20000, true);
  v.setInt32(22, 20000, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, 24, true);
  await Deno.writeFile(`${dir}/huge.bmp`, bmp);
  await assertRejects(() => checkImageFile(`${dir}/huge.bmp`, LIMIT), ImageTooLargeError);
  v.setInt32(18, 200, true);
  v.setInt32(22, 100, true);
  await Deno.writeFile(`${dir}/small.bmp`, bmp);
  assertEquals((await checkImageFile(`${dir}/small.bmp`, LIMIT)).format, "bmp");
  await assertRejects(() => decodeImageFile(`${dir}/small.bmp`), UnsupportedFormatError);
});

Deno.test("paletteForImage() refuses a huge image before wallust runs", async () => {
  await using dir = await tmp();
  const marker = `${dir}/wallust-ran`;
  const exe = `${dir}/wallust`;
  await Deno.writeTextFile(exe, `#!/bin/sh\ntouch "${marker}"\nexit 1\n`);
  await Deno.chmod(exe, 0o755);
  await Deno.writeFile(`${dir}/huge.png`, pngHeaderOnly(30000, 30000));
  const config = {
    ...DEFAULTS,
    palette: { ...DEFAULTS.palette, origin: "wallust", wallust: exe },
    file: "",
    found: false,
  } as Config;
  const paths = { cacheHome: `${dir}/cache`, configHome: `${dir}/config` } as Paths;
  await assertRejects(
    () => paletteForImage(`${dir}/huge.png`, { config, paths }),
    ImageTooLargeError,
    "max_megapixels",
  );
  assertEquals(await Deno.stat(marker).catch(() => null), null, "wallust never ran");
});

Deno.test("a decode that does not finish is stopped at the timeout", async () => {
  await using dir = await tmp();
  const path = await writeImage(`${dir}/a.png`, { width: 64, height: 64, colors: [COLORS.red] });
  // a decoder stuck in a loop it never leaves (like WebAssembly spinning on a hostile file)
  const stuck = new URL(
    "data:application/javascript," +
      encodeURIComponent(
        "self.onmessage = () => { for (;;) {} }; self.postMessage({ type: 'ready' });",
      ),
  );
  using worker = new DecodeWorker(stuck);
  const e = await decodeImageFile(path, { worker, timeoutMs: 200 }).catch((e) => e);
  assert(e instanceof DecodeTimeoutError, String(e));
  assertStringIncludes(e.message, "decode_timeout");
  assertEquals(describeDecodeFailure(e, LIMIT), {
    reason: "decoding took longer than 0.2s and was stopped",
    pixels: null,
  });
  // the stuck thread was terminated; a new decode gets a new one (stuck again here)
  await assertRejects(() => decodeImageFile(path, { worker, timeoutMs: 50 }), DecodeTimeoutError);
});

Deno.test("a genuinely slow decode (a one-colour 12000×12000 PNG) is stopped too", async () => {
  await using dir = await tmp();
  await Deno.writeFile(`${dir}/big.png`, await solidPng(12000, 12000));
  // inflating 432 MB and shrinking 144 megapixels takes far longer than 50 ms anywhere
  await assertRejects(
    () => decodeImageFile(`${dir}/big.png`, { timeoutMs: 50 }),
    DecodeTimeoutError,
  );
});

Deno.test("an abort stops the decoding thread", async () => {
  await using dir = await tmp();
  const path = await writeImage(`${dir}/a.png`, { width: 64, height: 64, colors: [COLORS.red] });
  const stuck = new URL(
    "data:application/javascript," +
      encodeURIComponent(
        "self.onmessage = () => { for (;;) {} }; self.postMessage({ type: 'ready' });",
      ),
  );
  using worker = new DecodeWorker(stuck);
  const ac = new AbortController();
  const p = decodeImageFile(path, { worker, signal: ac.signal, timeoutMs: 60_000 });
  setTimeout(() => ac.abort(new DOMException("Interrupted", "AbortError")), 100);
  const e = await p.catch((e) => e);
  assertEquals((e as Error).name, "AbortError");
  assert(!isDecodeFailure(e), "an interruption is not the image's fault");
});

Deno.test("the worker decodes exactly what this thread does, and falls back when it cannot start", async () => {
  await using dir = await tmp();
  const path = await writeImage(`${dir}/a.jpg`, {
    width: 900,
    height: 500,
    colors: [COLORS.navy, COLORS.yellow],
    gradient: true,
    noise: 20,
  });
  const inWorker = await decodeImageFile(path);
  const here = await decodeImageFile(path, { worker: false });
  assertEquals([inWorker.width, inWorker.height], [here.width, here.height]);
  assertEquals(Array.from(inWorker.data), Array.from(here.data));
  using broken = new DecodeWorker(
    new URL("data:application/javascript,throw new Error('worker cannot load')"),
  );
  const fallback = await decodeImageFile(path, { worker: broken });
  assertEquals(Array.from(fallback.data), Array.from(here.data));
  // errors keep their class across the thread boundary
  await Deno.writeFile(`${dir}/t.jpg`, truncated(await Deno.readFile(path), 0.5));
  const e = await decodeImageFile(`${dir}/t.jpg`).catch((e) => e);
  assert(e instanceof ImageDecodeError, String(e));
  assertStringIncludes(e.message, `${dir}/t.jpg`);
  await assertRejects(() => decodeImageFile(`${dir}/none.jpg`), Deno.errors.NotFound);
});

Deno.test("describeDecodeFailure() keeps the pixel count only for the configured limit", () => {
  const over = new ImageTooLargeError("x.png", 30000, 30000, LIMIT);
  assertEquals(describeDecodeFailure(over, LIMIT), {
    reason:
      "too large: 30000×30000 exceeds 150 megapixels; raise [palette] max_megapixels to allow it",
    pixels: 900_000_000,
  });
  // refused by the whole-image decode limit of another format: no setting lets it through
  assertEquals(
    describeDecodeFailure(new ImageTooLargeError("x.webp", 12000, 12000, 1e8), LIMIT)?.pixels,
    null,
  );
  assertEquals(
    describeDecodeFailure(new ImageTooLargeError("x.png", 70000, 10, LIMIT), LIMIT)?.pixels,
    null,
  );
  assertEquals(describeDecodeFailure(new Error("x"), LIMIT), undefined);
  assertEquals(describeDecodeFailure(new UnsupportedFormatError("x.svg", "svg"), LIMIT), undefined);
});

Deno.test("builtinPaletteForFile() never records black for a hostile file: it throws", async () => {
  await using dir = await tmp();
  await Deno.writeFile(`${dir}/h.jpg`, patchJpegSize(await smallJpeg(), 65000, 65000));
  await assertRejects(() => builtinPaletteForFile(`${dir}/h.jpg`), ImageTooLargeError);
});

Deno.test("DecodeWorker.warm() starts the thread early; its decodes equal this thread's", async () => {
  await using dir = await tmp();
  const path = await writeImage(`${dir}/a.jpg`, {
    width: 700,
    height: 400,
    colors: [COLORS.purple, COLORS.white],
    gradient: true,
  });
  const here = await decodeImageFile(path, { worker: false });
  using worker = new DecodeWorker();
  worker.warm("jpeg");
  const px = await decodeImageFile(path, { worker });
  assertEquals(Array.from(px.data), Array.from(here.data));
  assertEquals((await decodeImageFile(path, { worker, maxSide: 64 })).width, 64);
  // a warmed thread that hangs still fails its decode with the timeout error
  const stuck = new URL(
    "data:application/javascript," +
      encodeURIComponent(
        "self.onmessage = () => { for (;;) {} }; self.postMessage({ type: 'ready' });",
      ),
  );
  using slow = new DecodeWorker(stuck);
  slow.warm("jpeg");
  await assertRejects(
    () => decodeImageFile(path, { worker: slow, timeoutMs: 100 }),
    DecodeTimeoutError,
  );
});

Deno.test("the thread picks the Material source colour and scheme of the pixels it hands over, as this thread would", async () => {
  await using dir = await tmp();
  const path = await writeImage(`${dir}/a.jpg`, {
    width: 700,
    height: 400,
    colors: [COLORS.orange, COLORS.navy],
    gradient: true,
    noise: 20,
  });
  const want = { scheme: { scheme: "vibrant" as const, contrast: 0.25 } };
  const here = await decodeImageFileWithMaterial(path, { worker: false }, want);
  using worker = new DecodeWorker();
  worker.warm("jpeg", { scheme: true });
  const there = await decodeImageFileWithMaterial(path, { worker }, want);
  assertEquals(Array.from(there.pixels.data), Array.from(here.pixels.data));
  const m = await there.material;
  assertEquals(m, await here.material);
  assertEquals(m, {
    ...sourceColorOf(here.pixels),
    // kept with its status colours (a theme needs them; made here, off the main thread)
    scheme: withStatusRoles(materialScheme(m.source, { scheme: "vibrant", contrast: 0.25 })),
  });
  // an own thread (none given) ends after both replies
  const own = await decodeImageFileWithMaterial(path, {}, {});
  assertEquals(await own.material, sourceColorOf(here.pixels));
  // the palette made from it carries the same source colour
  const p = await builtinPaletteForFile(path, { material: true });
  assertEquals([p.source_color, p.mean_tone], [m.source, m.meanTone]);
});

Deno.test("the decode timeout covers decoding only: the Material facts that follow are not cut off", async () => {
  await using dir = await tmp();
  const path = await writeImage(`${dir}/a.png`, { width: 64, height: 64, colors: [COLORS.red] });
  // A thread that hands the pixels over at once and the Material facts 300 ms later.
  const slowMaterial = new URL(
    "data:application/javascript," +
      encodeURIComponent(`
self.onmessage = (e) => {
  const m = e.data;
  if (m.type !== "decode") return;
  self.postMessage({ type: "done", id: m.id, width: 1, height: 1, data: new Uint8Array(4) });
  setTimeout(() => self.postMessage({
    type: "material", id: m.id, material: { source: "#c82828", meanTone: 40 },
  }), 300);
};
self.postMessage({ type: "ready" });`),
  );
  using worker = new DecodeWorker(slowMaterial);
  // The timer also covers starting the thread, which a loaded machine (or a
  // coverage run) can make slow: start it under a generous limit first.
  const first = await decodeImageFileWithMaterial(path, { worker, timeoutMs: 30_000 }, {});
  await first.material;
  // Now the pixels come back at once; the facts 300 ms later, after the 100 ms limit.
  const r = await decodeImageFileWithMaterial(path, { worker, timeoutMs: 100 }, {});
  assertEquals(await r.material, { source: "#c82828", meanTone: 40 });
  // Stopping the thread before they come rejects them.
  const again = await decodeImageFileWithMaterial(path, { worker, timeoutMs: 100 }, {});
  worker.terminate();
  assertEquals(((await again.material.catch((e) => e)) as Error).name, "AbortError");
});

Deno.test("a thread whose decode needed more than its budget is replaced once idle, warmed again; pending work is never cut", async () => {
  await using dir = await tmp();
  const big = await writeImage(`${dir}/big.png`, {
    width: 400,
    height: 300,
    colors: [COLORS.teal, COLORS.orange],
  });
  const small = await writeImage(`${dir}/small.png`, {
    width: 40,
    height: 30,
    colors: [COLORS.teal, COLORS.orange],
  });
  const want = await decodeImageFile(big, { worker: false });
  // 400×300 RGBA is 480,000 bytes: over a budget of 100,000, a 40×30 image is not.
  using worker = new DecodeWorker(undefined, { recycleAboveBytes: 100_000, recycleDelayMs: 0 });
  worker.warm("png");
  assertEquals(worker.threadsStarted, 1);
  await decodeImageFile(small, { worker });
  await new Promise((ok) => setTimeout(ok, 50));
  assertEquals(worker.threadsStarted, 1, "under the budget: the same thread");
  // Two decodes in flight: the big one's recycle waits for the other to end.
  const [a, b] = await Promise.all([
    decodeImageFile(big, { worker }),
    decodeImageFileWithMaterial(small, { worker }, {}).then(async (r) => {
      await r.material;
      return r.pixels;
    }),
  ]);
  assertEquals(Array.from(a.data), Array.from(want.data));
  assertEquals(b.width, 40);
  for (let i = 0; i < 100 && worker.threadsStarted < 2; i++) {
    await new Promise((ok) => setTimeout(ok, 20));
  }
  assertEquals(worker.threadsStarted, 2, "over the budget: replaced by a new thread");
  // The new thread decodes as the old one did.
  assertEquals(Array.from((await decodeImageFile(big, { worker })).data), Array.from(want.data));
});

Deno.test("without a budget a thread is kept whatever it decodes", async () => {
  await using dir = await tmp();
  const big = await writeImage(`${dir}/big.png`, { width: 400, height: 300, colors: [COLORS.red] });
  using worker = new DecodeWorker(undefined, { recycleDelayMs: 0 });
  await decodeImageFile(big, { worker });
  await decodeImageFile(big, { worker });
  await new Promise((ok) => setTimeout(ok, 50));
  assertEquals(worker.threadsStarted, 1);
});
