// Our Celebi quantizer gives exactly what material-color-utilities' QuantizerCelebi gives
// (same seed): same colours, same counts, same order — on real wallpapers and random pixels.
import { assert, assertEquals } from "../_helpers/assert.ts";
import fc from "../_helpers/fc.ts";
import { argbFromLab, argbFromRgb, labFromArgb } from "@material/material-color-utilities";
import { celebi, libraryCelebi } from "../../src/palette/material/source_color.ts";
import { quantizeCelebi } from "../../src/palette/material/celebi.ts";
import { decodeImageFile } from "../../src/palette/guarded_decode.ts";
import { downscale, type Pixels } from "../../src/palette/downscale.ts";
import { hasImageExtension } from "../../src/scan/probe.ts";

const same = (pixels: number[], max = 128) =>
  assertEquals([...celebi(pixels, max)], [...libraryCelebi(pixels, max)]);

/** Opaque ARGB of the 112 px copy, as `sourceColorFromPixels` feeds the quantizer. */
function argbs(px: Pixels): number[] {
  const small = downscale(px, 112);
  const out: number[] = [];
  for (let i = 0; i < small.data.length; i += 4) {
    if (small.data[i + 3] === 255) {
      out.push(argbFromRgb(small.data[i], small.data[i + 1], small.data[i + 2]));
    }
  }
  return out;
}

Deno.test("celebi() equals the library on random pixels, few colours (ties, empty clusters) or many", () => {
  const rgb = fc.integer({ min: 0, max: 0xffffff });
  const pixels = fc.oneof(
    // a handful of colours repeated: duplicate points, equal distances, clusters left empty
    fc.array(rgb, { minLength: 1, maxLength: 6 }).chain((palette) =>
      fc.array(fc.constantFrom(...palette), { minLength: 1, maxLength: 3000 })
    ),
    // colours near each other (one region of the cube)
    fc.tuple(rgb, fc.array(fc.integer({ min: 0, max: 0x0f0f0f }), { maxLength: 3000 })).map((
      [base, offs],
    ) => offs.map((o) => (base & 0xf0f0f0) + o)),
    fc.array(rgb, { minLength: 1, maxLength: 4000 }),
  ).map((xs) => xs.map((c) => (0xff000000 | c) >>> 0));
  fc.assert(
    fc.property(pixels, fc.integer({ min: 1, max: 128 }), (px, max) => same(px, max)),
    { numRuns: 60 },
  );
});

Deno.test("celebi() leaves what it does not handle to the library: no opaque pixel", () => {
  assertEquals(
    quantizeCelebi([], 128, Math.random, { labFromArgb, argbFromLab }),
    undefined,
  );
  assertEquals(
    quantizeCelebi([0x80ff0000], 128, Math.random, { labFromArgb, argbFromLab }),
    undefined,
  );
  same([]);
  same([0x80ff0000, 0x00000000]);
  same([0xffff0000]);
});

Deno.test("celebi() equals the library on the installed wallpapers", async (t) => {
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) walk(p);
      else if (e.isFile && hasImageExtension(p) && !/\.(svg|bmp|avif)$/i.test(p)) files.push(p);
    }
  };
  for (const root of ["/usr/share/backgrounds", "/usr/share/wallpapers"]) walk(root);
  if (files.length === 0) {
    console.log("skipped: no wallpapers in /usr/share/backgrounds or /usr/share/wallpapers");
    return;
  }
  // A spread of at most 16 of them (each decode takes a moment).
  const step = Math.max(1, Math.floor(files.length / 16));
  let compared = 0;
  for (let i = 0; i < files.length; i += step) {
    let px;
    try {
      px = await decodeImageFile(files[i], { worker: false });
    } catch {
      continue; // not decodable by the built-in decoders: nothing to compare
    }
    await t.step(files[i], () => same(argbs(px)));
    compared++;
  }
  assert(compared > 0, "no wallpaper could be decoded");
});
