// SVG wallpapers' palettes: drawn by resvg, refused clearly when damaged,
// never fetching what they link to, and left to the built-in extractor under
// `origin = "auto"` (wallust reads raster images only).
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import { decodeFile, decodeImage, ImageDecodeError } from "../../src/palette/decode.ts";
import { builtinPaletteForFile } from "../../src/palette/builtin_file.ts";
import { parseHex } from "../../src/palette/color.ts";
import { renderSvgPng, widthForMinSide } from "../../src/palette/svg_render.ts";
import { embeddedImages } from "../../src/palette/svg_header.ts";
import { decodeImageFile, DecodeWorker } from "../../src/palette/guarded_decode.ts";
import { ImageTooLargeError } from "../../src/palette/pixel_limit.ts";
import { patchPngSize, solidPng } from "../_helpers/hostile_images.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { setFakeMode, writeFakeWallust } from "./_fake_wallust.ts";

const NS = 'xmlns="http://www.w3.org/2000/svg"';
/** Left half red, right half blue, asking to be drawn at `w` × `h`. */
const halves = (w: number, h: number) =>
  `<svg ${NS} width="${w}" height="${h}" viewBox="0 0 2 1">` +
  `<rect width="1" height="1" fill="#ff0000"/><rect x="1" width="1" height="1" fill="#0000ff"/></svg>`;
const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("decodeImage() draws an SVG with its shorter side minSide long, whatever size it asks", async () => {
  for (const [w, h] of [[1920, 960], [100000, 50000], [2, 1]]) {
    const px = await decodeImage(bytes(halves(w, h)), { minSide: 64 });
    assertEquals([px.width, px.height], [128, 64], `${w}×${h}`);
    const at = (
      x: number,
      y: number,
    ) => [...px.data.subarray((y * px.width + x) * 4, (y * px.width + x) * 4 + 4)];
    assertEquals(at(10, 32), [255, 0, 0, 255]);
    assertEquals(at(117, 32), [0, 0, 255, 255]);
  }
  assertEquals(
    widthForMinSide({ width: 1, height: 100000 }, 256),
    1,
    "the long side stays bounded",
  );
});

Deno.test("the built-in palette of an SVG holds its colours", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/halves.svg`, halves(1920, 960));
    const p = await builtinPaletteForFile(`${dir}/halves.svg`);
    const near = (want: [number, number, number]) =>
      p.colors.some((c) => {
        const { r, g, b } = parseHex(c);
        return Math.abs(r - want[0]) + Math.abs(g - want[1]) + Math.abs(b - want[2]) < 150;
      });
    assert(near([255, 0, 0]), `a red in ${p.colors}`);
    assert(near([0, 0, 255]), `a blue in ${p.colors}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a damaged SVG is an ImageDecodeError naming the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (
      const [name, text] of [
        ["cut.svg", `<svg ${NS} width="10" height="10"><rect width="5" height=`],
        ["tag.svg", `<svg ${NS} width="10" height="10"><g></svg>`],
      ]
    ) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
      const e = await assertRejects(() => decodeFile(`${dir}/${name}`), ImageDecodeError);
      assertStringIncludes(e.message, `${dir}/${name}`);
      assertStringIncludes(e.message, "damaged SVG");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an SVG's links to files and URLs are not followed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // a red PNG beside it, linked by path and by file: URL, and a URL nobody listens on
    const red = await renderSvgPng(
      bytes(`<svg ${NS} width="4" height="4"><rect width="4" height="4" fill="red"/></svg>`),
      4,
    );
    await Deno.writeFile(`${dir}/red.png`, red);
    const svg = `<svg ${NS} width="40" height="40"><rect width="40" height="40" fill="#00ff00"/>` +
      `<image href="red.png" width="40" height="40"/>` +
      `<image href="file://${dir}/red.png" width="40" height="40"/>` +
      `<image href="http://127.0.0.1:9/x.png" width="40" height="40"/></svg>`;
    await Deno.writeTextFile(`${dir}/links.svg`, svg);
    const px = await decodeFile(`${dir}/links.svg`, { minSide: 40 });
    assertEquals([...px.data.subarray(0, 4)], [0, 255, 0, 255], "only the green it draws itself");
    // an embedded image is drawn
    const b64 = btoa(String.fromCharCode(...red));
    await Deno.writeTextFile(
      `${dir}/embedded.svg`,
      `<svg ${NS} width="40" height="40"><image href="data:image/png;base64,${b64}" width="40" height="40"/></svg>`,
    );
    const em = await decodeFile(`${dir}/embedded.svg`, { minSide: 40 });
    assertEquals([...em.data.subarray(0, 4)], [255, 0, 0, 255]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("varietal palette of an SVG: built-in under auto, wallust only when asked for", async () => {
  await using home = await tempHome();
  const bin = `${home.root}/bin`;
  const exe = await writeFakeWallust(bin);
  await setFakeMode(bin, { mode: "ok" });
  await home.writeConfig(`[palette]\nwallust = "${exe}"\n`);
  const img = `${home.root}/halves.svg`;
  await Deno.writeTextFile(img, halves(1920, 960));
  const auto = await runCli(home, ["palette", img, "--json"]);
  assertEquals(auto.code, 0, auto.stderr);
  assertEquals(auto.json<{ origin: string }>().origin, "builtin");
  assertEquals(auto.stderr, "", "no warning: wallust is not tried on an SVG");
  const log = await Deno.readTextFile(`${bin}/wallust.log`).catch(() => "");
  assertEquals(log, "", "the stand-in was not run");
  const asked = await runCli(home, ["palette", img, "--origin", "wallust", "--json"]);
  assertEquals(asked.code, 0, asked.stderr);
  assertEquals(asked.json<{ origin: string }>().origin, "wallust");
  assertStringIncludes(await Deno.readTextFile(`${bin}/wallust.log`), "halves.svg");
});

/** Base64 of bytes, wrapped every 76 characters as Inkscape writes it. */
function base64(b: Uint8Array, wrap = false): string {
  let bin = "";
  for (let i = 0; i < b.length; i += 32768) bin += String.fromCharCode(...b.subarray(i, i + 32768));
  const s = btoa(bin);
  return wrap ? s.replace(/.{76}/g, "$&\n    ") : s;
}

Deno.test("embeddedImages() finds data: images in attributes, styles and nested SVGs", async () => {
  const png = base64(await solidPng(30, 20));
  const inner = `<svg ${NS}><image href="data:image/png;base64,${png}"/></svg>`;
  const svg = `<svg ${NS} xmlns:xlink="http://www.w3.org/1999/xlink">` +
    `<image xlink:href="data:image/png;base64,${base64(await solidPng(30, 20), true)}"/>` +
    `<rect style="fill:url('data:image/png;base64,${png}')"/>` +
    `<image href='data:text/plain,hello'/>` +
    // percent-encoded, with quotes and brackets before the image it holds
    `<image href="data:image/svg+xml,${encodeURIComponent(`<g a='(x)'/>${inner}`)}"/>` +
    `<image href="data:image/svg+xml;base64,${base64(bytes(inner))}"/></svg>`;
  assertEquals(embeddedImages(bytes(svg)), [
    { format: "png", width: 30, height: 20 },
    { format: "png", width: 30, height: 20 },
    { format: "png", width: 30, height: 20 },
    { format: "png", width: 30, height: 20 },
  ]);
});

Deno.test("an SVG embedding a picture over the pixel limit is refused before it is drawn", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bomb = base64(patchPngSize(await solidPng(8, 8), 20000, 20000));
    const inner = `<svg ${NS}><image href="data:image/png;base64,${bomb}"/></svg>`;
    await Deno.writeTextFile(
      `${dir}/nested.svg`,
      `<svg ${NS} width="100" height="100"><rect fill="red"/>` +
        `<image href="data:image/svg+xml,${encodeURIComponent(inner)}"/></svg>`,
    );
    const e = await assertRejects(
      () => decodeFile(`${dir}/nested.svg`, { maxPixels: 150e6 }),
      ImageTooLargeError,
    );
    assertStringIncludes(e.message, `${dir}/nested.svg`);
    assertStringIncludes(e.message, "20000×20000");
    assertStringIncludes(e.message, "embedded in the SVG");
    // three of 64 megapixels: each is within 150, together they are not
    const mid = base64(patchPngSize(await solidPng(8, 8), 8000, 8000));
    await Deno.writeTextFile(
      `${dir}/many.svg`,
      `<svg ${NS} width="100" height="100">` +
        `<image href="data:image/png;base64,${mid}"/>`.repeat(3) + `</svg>`,
    );
    const sum = await assertRejects(
      () => decodeFile(`${dir}/many.svg`, { maxPixels: 150e6 }),
      ImageDecodeError,
    );
    assertStringIncludes(sum.message, "192 megapixels together");
    // and a limit that allows them lets them through to the renderer, which cannot draw these
    // patched pictures: nothing visible is drawn, and that is no palette either
    const drawn = await assertRejects(
      () => decodeFile(`${dir}/many.svg`, { maxPixels: 200e6, minSide: 16 }),
      ImageDecodeError,
    );
    assert(!drawn.message.includes("megapixels"), drawn.message);
    assertStringIncludes(drawn.message, "fully transparent");
    // One of 140 megapixels, within max_megapixels (150): resvg decodes it whole, and that
    // is held to what a file decoded whole may be (100), not to 150 (1 GB to draw it).
    const big = base64(patchPngSize(await solidPng(8, 8), 14000, 10000));
    await Deno.writeTextFile(
      `${dir}/big.svg`,
      `<svg ${NS} width="100" height="100"><image href="data:image/png;base64,${big}"/></svg>`,
    );
    const whole = await assertRejects(
      () => decodeFile(`${dir}/big.svg`, { maxPixels: 150e6 }),
      ImageTooLargeError,
    );
    assertStringIncludes(whole.message, "14000×10000 exceeds 100 megapixels");
    assertStringIncludes(whole.message, "decodes it whole");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a long-lived decoding thread counts an SVG's embedded pictures toward its budget", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const png = base64(await solidPng(300, 300, 128)); // 360,000 bytes as RGBA once decoded
    await Deno.writeTextFile(`${dir}/plain.svg`, halves(100, 100));
    await Deno.writeTextFile(
      `${dir}/photo.svg`,
      `<svg ${NS} width="100" height="100">` +
        `<image href="data:image/png;base64,${png}" width="100" height="100"/></svg>`,
    );
    // drawn at 256×256 both are 262,144 bytes of RGBA: under a budget of 400,000; with
    // the embedded picture decoded on the way, the second is over it
    using worker = new DecodeWorker(undefined, { recycleAboveBytes: 400_000, recycleDelayMs: 0 });
    worker.warm("svg");
    await decodeImageFile(`${dir}/plain.svg`, { worker, maxSide: 256 });
    await new Promise((ok) => setTimeout(ok, 50));
    assertEquals(worker.threadsStarted, 1, "under the budget: the same thread");
    const px = await decodeImageFile(`${dir}/photo.svg`, { worker, maxSide: 256 });
    assertEquals([...px.data.subarray(0, 3)], [128, 128, 128]);
    for (let i = 0; i < 100 && worker.threadsStarted < 2; i++) {
      await new Promise((ok) => setTimeout(ok, 20));
    }
    assertEquals(worker.threadsStarted, 2, "over the budget: replaced by a new thread");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
