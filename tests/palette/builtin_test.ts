import fc from "../_helpers/fc.ts";
import { assert, assertEquals, assertRejects } from "../_helpers/assert.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { Frame, GIF } from "imagescript";
import { paletteFromPixels } from "../../src/palette/builtin.ts";
import { builtinPaletteForFile } from "../../src/palette/builtin_file.ts";
import { downscale, type Pixels } from "../../src/palette/downscale.ts";
import { quantize } from "../../src/palette/quantize.ts";
import {
  assertGuarantees,
  MIN_COLOR_CONTRAST,
  MIN_FOREGROUND_CONTRAST,
} from "../../src/palette/derive.ts";
import { hexContrast } from "../../src/palette/contrast.ts";
import {
  decodeImage,
  ImageDecodeError,
  ImageTooLargeError,
  UnsupportedFormatError,
  webpSize,
} from "../../src/palette/decode.ts";
import type { PaletteRecord } from "../../src/palette/palette_record.ts";

/** Checks the guarantees independently of derive.ts's own check. */
function checkContrast(p: PaletteRecord, label: string): void {
  const fg = hexContrast(p.foreground, p.background);
  assert(fg >= MIN_FOREGROUND_CONTRAST, `${label}: foreground contrast ${fg}`);
  for (let i = 1; i < 16; i++) {
    if (i === 8) continue;
    const c = hexContrast(p.colors[i], p.background);
    assert(c >= MIN_COLOR_CONTRAST, `${label}: color${i} ${p.colors[i]} contrast ${c}`);
  }
  assertEquals(p.colors.length, 16);
  for (const c of [p.background, p.foreground, p.cursor, ...p.colors]) {
    assert(/^#[0-9a-f]{6}$/.test(c), `${label}: ${c} is not #rrggbb`);
  }
  assertEquals(p.colors[0], p.background);
  assert(p.avg_saturation >= 0 && p.avg_saturation <= 1);
  assert(p.avg_lightness >= 0 && p.avg_lightness <= 1);
  assert(p.temperature >= -1 && p.temperature <= 1);
  assert(p.avg_hue === null || (p.avg_hue >= 0 && p.avg_hue < 360));
}

function solid(w: number, h: number, rgba: number[]): Pixels {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set(rgba, i * 4);
  return { width: w, height: h, data };
}

const pixelSet = fc.record({
  width: fc.integer({ min: 1, max: 40 }),
  height: fc.integer({ min: 1, max: 40 }),
  seed: fc.array(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), {
    minLength: 1,
    maxLength: 24,
  }),
  variant: fc.constantFrom("dark16" as const, "light16" as const),
}).map(({ width, height, seed, variant }) => {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set(seed[(i * 7 + (i >> 3)) % seed.length], i * 4);
  return { px: { width, height, data } as Pixels, variant };
});

Deno.test("paletteFromPixels() meets the contrast guarantees for random pixel sets", () => {
  fc.assert(
    fc.property(pixelSet, ({ px, variant }) => {
      const { palette } = paletteFromPixels(px, { variant });
      checkContrast(palette, `${px.width}x${px.height} ${variant}`);
      assertEquals(palette.variant, variant);
      assertEquals(palette.origin, "builtin");
    }),
    { numRuns: 300 },
  );
});

Deno.test("paletteFromPixels() is deterministic", () => {
  fc.assert(
    fc.property(pixelSet, ({ px, variant }) => {
      const a = paletteFromPixels(px, { variant }).palette;
      const b = paletteFromPixels({ ...px, data: px.data.slice() }, { variant }).palette;
      assertEquals(a, b);
    }),
    { numRuns: 100 },
  );
});

Deno.test("paletteFromPixels() handles single colours, black, white and transparency", () => {
  for (
    const rgba of [[0, 0, 0, 255], [255, 255, 255, 255], [128, 128, 128, 255], [255, 0, 0, 255], [
      10,
      200,
      30,
      0,
    ]]
  ) {
    for (const variant of ["dark16", "light16"] as const) {
      const { palette } = paletteFromPixels(solid(5, 3, rgba), { variant });
      checkContrast(palette, `${rgba} ${variant}`);
    }
  }
});

Deno.test("paletteFromPixels() puts a dark background under a light16 foreground the other way round", () => {
  const px = solid(8, 8, [40, 90, 160, 255]);
  const dark = paletteFromPixels(px, { variant: "dark16" }).palette;
  const light = paletteFromPixels(px, { variant: "light16" }).palette;
  assert(hexContrast(dark.background, "#000000") < hexContrast(dark.background, "#ffffff"));
  assert(hexContrast(light.background, "#ffffff") < hexContrast(light.background, "#000000"));
});

Deno.test("paletteFromPixels() places an image's hues on matching ANSI slots", () => {
  // bands of red, green, yellow, blue, magenta and cyan on black
  const bands = [[200, 30, 30], [40, 170, 50], [220, 200, 40], [40, 70, 210], [190, 40, 190], [
    40,
    190,
    200,
  ], [5, 5, 5]];
  const w = 70, h = 10;
  const data = new Uint8Array(w * h * 4);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) data.set([...bands[Math.floor(x / 10)], 255], (y * w + x) * 4);
  }
  const { palette } = paletteFromPixels({ width: w, height: h, data });
  const hue = (hex: string) => {
    const n = parseInt(hex.slice(1), 16);
    const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    return { r, g, b };
  };
  const c1 = hue(palette.colors[1]), c2 = hue(palette.colors[2]), c4 = hue(palette.colors[4]);
  assert(c1.r > c1.g && c1.r > c1.b, `color1 ${palette.colors[1]} is reddish`);
  assert(c2.g > c2.r && c2.g > c2.b, `color2 ${palette.colors[2]} is greenish`);
  assert(c4.b > c4.r && c4.b > c4.g, `color4 ${palette.colors[4]} is bluish`);
});

Deno.test("downscale() averages areas instead of picking pixels", () => {
  // a 1-pixel checkerboard of black and white averages to mid grey
  const w = 64, h = 64;
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const v = ((i % w) + Math.floor(i / w)) % 2 ? 255 : 0;
    data.set([v, v, v, 255], i * 4);
  }
  const out = downscale({ width: w, height: h, data }, 10);
  assertEquals([out.width, out.height], [10, 10]);
  for (let i = 0; i < out.width * out.height; i++) {
    assert(Math.abs(out.data[i * 4] - 127.5) < 12, `pixel ${i} = ${out.data[i * 4]}`);
    assertEquals(out.data[i * 4 + 3], 255);
  }
});

Deno.test("downscale() keeps the mean colour and ignores transparent pixels", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 60 }),
      fc.integer({ min: 2, max: 60 }),
      fc.integer({ min: 1, max: 20 }),
      (w, h, side) => {
        const data = new Uint8Array(w * h * 4);
        for (let i = 0; i < w * h; i++) data.set([(i * 13) % 256, (i * 29) % 256, 77, 255], i * 4);
        const out = downscale({ width: w, height: h, data }, side);
        assert(Math.max(out.width, out.height) <= Math.max(side, 1) || (w <= side && h <= side));
        const mean = (px: Pixels, c: number) => {
          let s = 0;
          for (let i = 0; i < px.width * px.height; i++) s += px.data[i * 4 + c];
          return s / (px.width * px.height);
        };
        assert(Math.abs(mean(out, 0) - mean({ width: w, height: h, data }, 0)) < 2.5);
        assertEquals(mean(out, 2), 77);
      },
    ),
    { numRuns: 200 },
  );
  // transparent red around an opaque blue centre: no red in the result
  const w = 8, h = 8;
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const inner = (i % w) >= 2 && (i % w) < 6 && Math.floor(i / w) >= 2 && Math.floor(i / w) < 6;
    data.set(inner ? [0, 0, 255, 255] : [255, 0, 0, 0], i * 4);
  }
  const out = downscale({ width: w, height: h, data }, 2);
  for (let i = 0; i < 4; i++) assertEquals(out.data[i * 4], 0);
});

Deno.test("quantize() finds the image's colours with their shares", () => {
  const w = 40, h = 10;
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    data.set(i % w < 30 ? [200, 40, 40, 255] : [30, 60, 200, 255], i * 4);
  }
  const clusters = quantize({ width: w, height: h, data });
  assertEquals(clusters.length, 2);
  assert(Math.abs(clusters[0].weight - 0.75) < 1e-9);
  assert(Math.abs(clusters[0].rgb.r - 200) < 2 && Math.abs(clusters[0].rgb.g - 40) < 2);
});

Deno.test("builtinPaletteForFile() reads PNG and JPEG and gives the same palette twice", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const ext of ["png", "jpg"]) {
      const path = await writeImage(`${dir}/img.${ext}`, {
        width: 300,
        height: 200,
        colors: [COLORS.navy, COLORS.orange, COLORS.teal],
        noise: 20,
      });
      const a = await builtinPaletteForFile(path);
      const b = await builtinPaletteForFile(path);
      assertEquals(a, b);
      checkContrast(a, path);
      assertGuarantees(a);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("builtinPaletteForFile() names unsupported and damaged files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/a.tif`, new Uint8Array([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8]));
    await assertRejects(
      () => builtinPaletteForFile(`${dir}/a.tif`),
      UnsupportedFormatError,
      "unsupported format (tiff)",
    );
    // Named a JPEG, with bytes of no image (emptied, overwritten): damaged, to be marked.
    await Deno.writeTextFile(`${dir}/b.jpg`, "hello");
    await assertRejects(
      () => builtinPaletteForFile(`${dir}/b.jpg`),
      ImageDecodeError,
      "damaged JPEG: its bytes are no image",
    );
    await Deno.writeFile(`${dir}/e.png`, new Uint8Array(0));
    await assertRejects(
      () => builtinPaletteForFile(`${dir}/e.png`),
      ImageDecodeError,
      "damaged PNG: the file is empty",
    );
    // Named as nothing we read: a format we do not know.
    await Deno.writeTextFile(`${dir}/b.heic`, "hello");
    await assertRejects(() => builtinPaletteForFile(`${dir}/b.heic`), UnsupportedFormatError);
    const good = await writeImage(`${dir}/c.png`, { width: 50, height: 50, colors: [COLORS.red] });
    const bytes = await Deno.readFile(good);
    await Deno.writeFile(`${dir}/d.png`, bytes.subarray(0, 60));
    await assertRejects(() => builtinPaletteForFile(`${dir}/d.png`), ImageDecodeError, "d.png");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("decodeImage() reads the first frame of a GIF", async () => {
  const f = new Frame(40, 30, 100);
  f.fill(0xd03030ff);
  const px = await decodeImage(await new GIF([f]).encode());
  assertEquals([px.width, px.height], [40, 30]);
  assertEquals(Array.from(px.data.subarray(0, 4)), [0xd0, 0x30, 0x30, 255]);
});

Deno.test("decodeImage() refuses a WebP too large to decode whole, before decoding", async () => {
  // RIFF....WEBPVP8X header for a 20000×20000 canvas, no image data
  const b = new Uint8Array(40);
  b.set(new TextEncoder().encode("RIFF"), 0);
  b.set(new TextEncoder().encode("WEBPVP8X"), 8);
  const w = 20000 - 1, h = 20000 - 1;
  b.set([w & 255, (w >> 8) & 255, w >> 16, h & 255, (h >> 8) & 255, h >> 16], 24);
  assertEquals(webpSize(b), { width: 20000, height: 20000 });
  await assertRejects(() => decodeImage(b, { name: "huge.webp" }), ImageTooLargeError, "huge.webp");
});

Deno.test("paletteFromPixels() summarises the image, not the terminal colours", () => {
  const dark = solid(20, 10, [30, 20, 60, 255]);
  const light = solid(20, 10, [235, 225, 200, 255]);
  for (const variant of ["dark16", "light16"] as const) {
    const d = paletteFromPixels(dark, { variant }).palette;
    const l = paletteFromPixels(light, { variant }).palette;
    assert(d.avg_lightness < 0.35, `dark image lightness ${d.avg_lightness}`);
    assert(l.avg_lightness > 0.85, `light image lightness ${l.avg_lightness}`);
  }
  const a = paletteFromPixels(dark, { variant: "dark16" }).palette;
  const b = paletteFromPixels(dark, { variant: "light16" }).palette;
  assertEquals(
    [a.avg_hue, a.avg_saturation, a.avg_lightness, a.temperature],
    [b.avg_hue, b.avg_saturation, b.avg_lightness, b.temperature],
  );
});

Deno.test("paletteFromPixels(): greys are no accents, so a striped grey wallpaper gets six distinct colours", () => {
  // Stripes of six greys (as Debian's MATE Stripes.png): as accents they all ended at one grey.
  const greys = [0x30, 0x50, 0x70, 0x90, 0xb0, 0xd0];
  const width = 60, height = 40;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const g = greys[Math.floor(x / 10)], o = (y * width + x) * 4;
      data.set([g, g, g, 255], o);
    }
  }
  for (const variant of ["dark16", "light16"] as const) {
    const { palette } = paletteFromPixels({ width, height, data }, { variant });
    const accents = palette.colors.slice(1, 7);
    assertEquals(new Set(accents).size, 6, `${variant}: ${accents.join(" ")}`);
    for (const c of accents) assert(hexContrast(c, palette.background) >= MIN_COLOR_CONTRAST, c);
  }
  // A colourful cluster is still taken as it is, beside a grey one.
  const mixed = new Uint8Array(data);
  for (let i = 0; i < mixed.length / 2; i += 4) mixed.set([0xc0, 0x30, 0x30, 255], i);
  const { palette } = paletteFromPixels({ width, height, data: mixed });
  assert(
    palette.colors.slice(1, 7).some((c) =>
      parseInt(c.slice(1, 3), 16) > parseInt(c.slice(3, 5), 16) + 40
    ),
  );
});
