// SVG wallpapers' palettes: drawn by resvg, refused clearly when damaged,
// never fetching what they link to, and left to the built-in extractor under
// `origin = "auto"` (wallust reads raster images only).
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import { decodeFile, decodeImage, ImageDecodeError } from "../../src/palette/decode.ts";
import { builtinPaletteForFile } from "../../src/palette/builtin_file.ts";
import { parseHex } from "../../src/palette/color.ts";
import { renderSvgPng, widthForMinSide } from "../../src/palette/svg_render.ts";
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
