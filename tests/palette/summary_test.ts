import { assert, assertEquals } from "../_helpers/assert.ts";
import { Image } from "imagescript";
import { paletteFromPixels } from "../../src/palette/builtin.ts";
import { builtinPaletteForFile, imageSummary } from "../../src/palette/builtin_file.ts";
import type { Pixels } from "../../src/palette/downscale.ts";
import { summarizeClusters, summarizeColors, summarizePalette } from "../../src/palette/summary.ts";
import { quantize } from "../../src/palette/quantize.ts";
import {
  hueMask,
  maskNames,
  NAMED_HUES,
  rangeMatches,
  shareInRange,
} from "../../src/palette/hue_ranges.ts";
import { parseHex } from "../../src/palette/color.ts";

/** Pixels in horizontal bands of the given colours, with deterministic noise. */
function bands(colors: [number, number, number, number][], noise = 0): Pixels {
  const w = 40, h = 40;
  const data = new Uint8Array(w * h * 4);
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 0xffffffff - 0.5) * noise;
  for (let y = 0; y < h; y++) {
    const c = colors[Math.floor((y / h) * colors.length)];
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      for (let k = 0; k < 3; k++) data[o + k] = Math.max(0, Math.min(255, c[k] + rand()));
      data[o + 3] = c[3];
    }
  }
  return { width: w, height: h, data };
}

const GREYS: Record<string, [number, number, number, number]> = {
  white: [255, 255, 255, 255],
  grey: [128, 128, 128, 255],
  black: [0, 0, 0, 255],
  "off-white": [250, 248, 245, 255],
  linen: [250, 240, 230, 255],
  "warm grey": [140, 132, 120, 255],
  "cool grey": [127, 134, 144, 255],
};

Deno.test("paletteFromPixels() gives white, grey, black, off-white and warm grey images no hue and no saturation", () => {
  for (const [name, c] of Object.entries(GREYS)) {
    for (const noise of [0, 3]) {
      const p = paletteFromPixels(bands([c], noise)).palette;
      assertEquals(p.avg_hue, null, `${name} (noise ${noise}) has no hue`);
      assert(p.avg_saturation < 0.02, `${name} (noise ${noise}) saturation ${p.avg_saturation}`);
      assertEquals(p.hue_shares, [], `${name} (noise ${noise}) has no coloured share`);
    }
  }
  // A mix of greys is still grey.
  const mix = paletteFromPixels(bands(Object.values(GREYS), 2)).palette;
  assertEquals([mix.avg_hue, mix.avg_saturation, mix.hue_shares], [null, 0, []]);
});

Deno.test("builtinPaletteForFile() sees a white, mostly transparent PNG as grey", async () => {
  const dir = await Deno.makeTempDir({ prefix: "varietal-summary-" });
  try {
    const img = new Image(64, 48);
    const bm = img.bitmap;
    for (let i = 0; i < 64 * 48; i++) {
      bm.set([255, 255, 255, (i * 37) % 7 === 0 ? 200 : i % 5], i * 4);
    }
    await Deno.writeFile(`${dir}/overlay.png`, await img.encode(1));
    const p = await builtinPaletteForFile(`${dir}/overlay.png`);
    assertEquals([p.avg_hue, p.avg_saturation, p.hue_shares], [null, 0, []]);
    assert(p.avg_lightness > 0.95, `lightness ${p.avg_lightness}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("summarizeColors() stores the share of the picture per hue, not only the average", () => {
  // Honeywave-like: 30 % orange, 60 % blue, 10 % warm grey. The average hue is
  // meaningless for such a picture; the shares are not.
  const s = summarizeColors(
    [parseHex("#e07828"), parseHex("#2a4e8c"), parseHex("#8c8478")],
    [0.3, 0.6, 0.1],
  );
  const orange = NAMED_HUES.find((h) => h.name === "orange")!;
  const blue = NAMED_HUES.find((h) => h.name === "blue")!;
  const magenta = NAMED_HUES.find((h) => h.name === "magenta")!;
  assertEquals(shareInRange(s.hue_shares, orange), 0.3);
  assertEquals(shareInRange(s.hue_shares, blue), 0.6);
  assert(rangeMatches(s.hue_shares, orange) && rangeMatches(s.hue_shares, blue));
  assert(!rangeMatches(s.hue_shares, magenta));
  assertEquals(maskNames(hueMask(s.hue_shares)), ["orange", "blue"]);
  assert(s.avg_hue !== null);
});

Deno.test("summarizeColors() rates vivid colours saturated and pastels, dark and dull ones less", () => {
  const sat = (hex: string) => summarizeColors([parseHex(hex)]).avg_saturation;
  assert(sat("#ff8000") > 0.9, `orange ${sat("#ff8000")}`);
  assert(sat("#ff0000") === 1, `red ${sat("#ff0000")}`);
  assert(sat("#ffd0d8") < 0.2, `pastel pink ${sat("#ffd0d8")}`);
  assert(sat("#3a2a20") < 0.05, `dark brown ${sat("#3a2a20")}`);
  assert(sat("#8b4513") > 0.4 && sat("#8b4513") < 0.6, `saddle brown ${sat("#8b4513")}`);
  // A small touch of colour on grey: a hue share, but no hue for the picture.
  const touch = summarizeColors([parseHex("#d03030"), parseHex("#808080")], [0.05, 0.95]);
  assertEquals(touch.avg_hue, null);
  assertEquals(touch.hue_shares, [{ hue: 0, share: 0.05 }]);
  assertEquals(hueMask(touch.hue_shares), 0);
});

Deno.test("summarizePalette() gives palette files hue shares too", () => {
  const s = summarizePalette({ background: "#101010", colors: Array(16).fill("#e08020") });
  assertEquals(maskNames(hueMask(s.hue_shares)), ["orange"]);
  const grey = summarizePalette({ background: "#101010", colors: Array(16).fill("#c0c0c0") });
  assertEquals([grey.avg_hue, grey.hue_shares], [null, []]);
});

const HONEYWAVE = "/usr/share/wallpapers/Honeywave/contents/images/5120x2880.jpg";
const GREY = "/usr/share/wallpapers/Grey/contents/images/2560x1600.jpg";
const TRANSPARENT = "/usr/share/backgrounds/mate/abstract/Arc-Colors-Transparent-Wallpaper.png";

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

Deno.test("imageSummary() on Debian's wallpapers: Honeywave is orange and blue, not magenta; Grey and a transparent overlay are grey", async () => {
  const found = await Promise.all([HONEYWAVE, GREY, TRANSPARENT].map(exists));
  if (!found.every(Boolean)) {
    console.log(
      "  skipped: Debian's wallpaper packages (plasma, desktop-base, mate) not installed",
    );
    return;
  }
  const honey = await imageSummary(HONEYWAVE);
  const names = maskNames(hueMask(honey.hue_shares));
  assert(names.includes("orange") && names.includes("blue"), `Honeywave: ${names}`);
  assert(!names.includes("magenta"), `Honeywave: ${names}`);
  for (const path of [GREY, TRANSPARENT]) {
    const s = await imageSummary(path);
    assertEquals([s.avg_hue, s.avg_saturation, s.hue_shares], [null, 0, []], path);
  }
});

Deno.test("summarizeColors() files a colour at a hue of 5° steps in its own bucket, despite float dust", () => {
  // What the quantiser gives back for pure blue, green and #5500ff (hue 260°) after OKLab.
  for (
    const [c, bucket] of [
      [{ r: 0, g: 1e-9, b: 255 }, 240],
      [{ r: 1e-9, g: 255, b: 2e-9 }, 120],
      [{ r: 85, g: 1e-10, b: 255 }, 260],
      [{ r: 255, g: 254.99999578703057, b: 0 }, 60], // pure yellow, as the quantiser had it
    ] as const
  ) {
    const s = summarizeColors([c]);
    assertEquals(s.hue_shares.map((x) => x.hue), [bucket], JSON.stringify(c));
    assertEquals(Math.round(s.avg_hue! * 1e6) / 1e6, bucket);
  }
});

Deno.test("a flat pure colour's palette is filed under its own hue (quantiser to summary)", () => {
  for (
    const [rgb, bucket] of [[[255, 255, 0], 60], [[0, 0, 255], 240], [[85, 0, 255], 260]] as const
  ) {
    const data = new Uint8Array(64 * 4);
    for (let i = 0; i < 64; i++) data.set([...rgb, 255], i * 4);
    const s = summarizeClusters(quantize({ width: 8, height: 8, data }));
    assertEquals(s.hue_shares.map((x) => x.hue), [bucket], `${rgb}`);
    assertEquals(s.avg_hue, bucket);
  }
});
