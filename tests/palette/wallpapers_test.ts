// Every JPEG, PNG, WebP and GIF in Debian's wallpaper packages gets a palette that meets the
// contrast guarantees, in both variants. Skips (saying why) where the folders are absent.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { paletteFromPixels } from "../../src/palette/builtin.ts";
import { decodeFile } from "../../src/palette/decode.ts";
import { hexContrast } from "../../src/palette/contrast.ts";
import { downscale } from "../../src/palette/downscale.ts";
import { quantizeCelebi } from "../../src/palette/material/celebi.ts";
import { seeded } from "../../src/palette/material/source_color.ts";
import { argbFromRgb, QuantizerCelebi } from "@material/material-color-utilities";

const FOLDERS = ["/usr/share/backgrounds", "/usr/share/wallpapers"];

async function collect(): Promise<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory || (e.isSymlink && (await Deno.stat(p).catch(() => null))?.isDirectory)) {
        await walk(p);
      } else if (/\.(jpe?g|png|webp|gif)$/i.test(e.name)) {
        const real = await Deno.realPath(p).catch(() => null);
        if (real && !seen.has(real)) {
          seen.add(real);
          out.push(real);
        }
      }
    }
  };
  for (const f of FOLDERS) {
    if (await Deno.stat(f).catch(() => null)) await walk(f);
  }
  return out.sort();
}

const files = await collect();
if (files.length === 0) {
  console.log(`wallpapers_test: skipped, no images under ${FOLDERS.join(" or ")}`);
}

Deno.test({
  name:
    "paletteFromPixels() meets the guarantees, six distinct accents, on every installed wallpaper",
  ignore: files.length === 0,
  async fn() {
    for (const file of files) {
      const px = await decodeFile(file);
      for (const variant of ["dark16", "light16"] as const) {
        const p = paletteFromPixels(px, { variant }).palette;
        const label = `${file} (${variant})`;
        assertEquals(p.colors.length, 16, label);
        const fg = hexContrast(p.foreground, p.background);
        assert(fg >= 4.5, `${label}: foreground contrast ${fg.toFixed(2)}`);
        for (let i = 1; i < 16; i++) {
          if (i === 8) continue;
          const c = hexContrast(p.colors[i], p.background);
          assert(c >= 3, `${label}: color${i} contrast ${c.toFixed(2)}`);
        }
        // Six colours a terminal can tell apart (red, green, … never one colour twice).
        const accents = p.colors.slice(1, 7);
        assertEquals(new Set(accents).size, 6, `${label}: ${accents.join(" ")}`);
      }
    }
    console.log(`checked ${files.length} wallpapers`);
  },
});

Deno.test({
  name: "quantizeCelebi() equals the library's quantiser on every installed wallpaper",
  ignore: files.length === 0,
  async fn() {
    for (const file of files) {
      // the source colour's input: the image at 112 px, as ARGB
      const small = downscale(downscale(await decodeFile(file), 256), 112);
      const argbs: number[] = [];
      for (let i = 0; i < small.data.length; i += 4) {
        if (small.data[i + 3] < 255) continue;
        argbs.push(argbFromRgb(small.data[i], small.data[i + 1], small.data[i + 2]));
      }
      assertEquals(
        [...seeded(() => quantizeCelebi(argbs, 128))],
        [...seeded(() => QuantizerCelebi.quantize(argbs, 128))],
        file,
      );
    }
    console.log(`compared ${files.length} wallpapers`);
  },
});
