import { assert, assertEquals } from "../_helpers/assert.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { decodeJpegDc, jpegSize } from "../../src/palette/jpeg_dc.ts";
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
