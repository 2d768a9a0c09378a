// The typed-array Celebi quantiser gives the library's clusters and counts exactly: on
// generated images, on arbitrary pixel lists (fast-check) and on odd inputs.
import { assertEquals } from "../_helpers/assert.ts";
import fc from "../_helpers/fc.ts";
import {
  argbFromRgb,
  QuantizerCelebi,
  QuantizerWsmeans,
  QuantizerWu,
} from "@material/material-color-utilities";
import { quantizeCelebi, quantizeWsmeans, quantizeWu } from "../../src/palette/material/celebi.ts";
import { seeded } from "../../src/palette/material/source_color.ts";
import { downscale } from "../../src/palette/downscale.ts";
import { paint } from "../_helpers/images.ts";

/** Both quantisers on the same input, each from the same seed. */
function same(pixels: number[], maxColors: number, label = "") {
  assertEquals(quantizeWu(pixels, maxColors), new QuantizerWu().quantize(pixels, maxColors), label);
  const ours = seeded(() => quantizeCelebi(pixels, maxColors));
  const theirs = seeded(() => QuantizerCelebi.quantize(pixels, maxColors));
  // the same colours, counts and order (the order decides ties in the ranking)
  assertEquals([...ours], [...theirs], label);
}

function argbsOf(spec: Parameters<typeof paint>[0], side = 112): number[] {
  const img = paint(spec);
  const small = downscale(
    { width: img.width, height: img.height, data: new Uint8Array(img.bitmap) },
    side,
  );
  const out: number[] = [];
  for (let i = 0; i < small.data.length; i += 4) {
    out.push(argbFromRgb(small.data[i], small.data[i + 1], small.data[i + 2]));
  }
  return out;
}

Deno.test("quantizeCelebi() equals the library on generated images", () => {
  const specs: Parameters<typeof paint>[0][] = [
    { width: 640, height: 360, colors: [0x204080, 0xc05020, 0x808080, 0x30a040], noise: 40 },
    { width: 400, height: 400, colors: [0x101010, 0xf0f0f0], noise: 90 },
    { width: 300, height: 200, colors: [0xff0000, 0x00ff00, 0x0000ff, 0xffff00, 0xff00ff] },
    { width: 500, height: 300, colors: [0x336699], noise: 120 },
    { width: 64, height: 64, colors: [0xc82828] },
  ];
  for (const [i, spec] of specs.entries()) {
    const argbs = argbsOf(spec);
    for (const n of [128, 16, 1]) same(argbs, n, `image ${i}, ${n} colours`);
  }
});

Deno.test("quantizeCelebi() equals the library on any pixels (property)", () => {
  const opaque = fc.integer({ min: 0, max: 0xffffff }).map((c) => (0xff000000 | c) >>> 0);
  // few distinct colours repeated (clusters that meet and empty) or many
  const pixels = fc.oneof(
    fc.array(opaque, { minLength: 1, maxLength: 600 }),
    fc.array(opaque, { minLength: 1, maxLength: 6 }).chain((palette) =>
      fc.array(fc.constantFrom(...palette), { minLength: 1, maxLength: 400 })
    ),
  );
  fc.assert(
    fc.property(pixels, fc.integer({ min: 1, max: 128 }), (px, n) => same(px, n)),
    { numRuns: 150 },
  );
});

Deno.test("quantizeWsmeans() from no start draws random clusters as the library does", () => {
  const argbs = argbsOf({ width: 200, height: 120, colors: [0x2060a0, 0xe0c040], noise: 60 });
  for (const n of [8, 64]) {
    assertEquals(
      [...seeded(() => quantizeWsmeans(argbs, [], n))],
      [...seeded(() => QuantizerWsmeans.quantize(argbs, [], n))],
    );
  }
});

Deno.test("quantizeCelebi() on odd input: nothing, see-through pixels, one colour", () => {
  same([], 128, "no pixels");
  // not opaque: left out of Wu's boxes, kept by the k-means, as in the library
  same([0x80ff0000, 0xff00ff00, 0x00000000, 0xff00ff00], 128, "see-through");
  same(Array(50).fill(0xff123456), 128, "one colour");
  assertEquals([...seeded(() => quantizeCelebi(Array(50).fill(0xff123456), 128))], [[
    0xff123456,
    50,
  ]]);
});
