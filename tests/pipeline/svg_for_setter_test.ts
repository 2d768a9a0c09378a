// SVG wallpapers for setters that read raster images only: drawn once to a
// private PNG in the cache, reused while the SVG is unchanged, bounded by the
// setter's timeout; GNOME and KDE get the SVG itself.
import {
  assert,
  assertEquals,
  assertNotEquals,
  assertRejects,
  assertStringIncludes,
} from "../_helpers/assert.ts";
import { DEFAULTS, type WallpaperConfig } from "../../src/config/schema.ts";
import type { CommandRunner } from "../../src/process/run_command.ts";
import { applySetter, type Assignment } from "../../src/wallpaper/setter.ts";
import { SetterError } from "../../src/wallpaper/setter_error.ts";
import { SETTER_REGISTRY } from "../../src/wallpaper/registry.ts";
import { isSvgFile, pruneCache, RASTER_CACHE_KEEP } from "../../src/palette/svg_raster.ts";
import { svgForSetter } from "../../src/pipeline/svg_for_setter.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { patchPngSize, solidPng } from "../_helpers/hostile_images.ts";

const NS = 'xmlns="http://www.w3.org/2000/svg"';
const svg = (w: number, h: number, fill = "#3366cc") =>
  `<svg ${NS} width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="${fill}"/></svg>`;

/** A PNG's size from its IHDR chunk. */
function pngSize(b: Uint8Array): [number, number] {
  assertEquals([...b.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG");
  const v = new DataView(b.buffer, b.byteOffset);
  return [v.getUint32(16), v.getUint32(20)];
}

function recorder() {
  const calls: string[][] = [];
  const run: CommandRunner = (argv) => {
    calls.push([...argv]);
    return Promise.resolve({ code: 0, stdout: "", stderr: "", timedOut: false });
  };
  return { calls, run };
}

async function setWith(
  name: keyof typeof SETTER_REGISTRY,
  assignments: Assignment[],
  cacheDir: string,
  config: Partial<WallpaperConfig> = {},
) {
  const { calls, run } = recorder();
  const wallpaper = { ...DEFAULTS.wallpaper, ...config };
  const setter = SETTER_REGISTRY[name];
  const deadline = Date.now() + wallpaper.timeout * 1000;
  const given = await svgForSetter(setter, assignments, {
    cacheDir,
    deadline,
    timeout: wallpaper.timeout,
    maxPixels: 150e6,
  });
  await applySetter(setter, given, {
    config: wallpaper,
    runtimeDir: "/nonexistent",
    run,
    env: () => undefined,
    deadline,
  });
  return calls;
}

Deno.test("a raster-only setter is given a private PNG drawn from the SVG, drawn once", async () => {
  await using home = await tempHome();
  const cache = `${home.env.XDG_CACHE_HOME}/varietal`;
  const wall = `${home.root}/walls/blue.svg`;
  await Deno.mkdir(`${home.root}/walls`);
  await Deno.writeTextFile(wall, svg(1920, 1080));
  const calls = await setWith("feh", [{ path: wall, output: null }], cache);
  const png = calls[0].at(-1)!;
  assert(png.startsWith(`${cache}/svg/`) && png.endsWith(".png"), png);
  assertEquals(pngSize(await Deno.readFile(png)), [1920, 1080]);
  assertEquals((await Deno.stat(png)).mode! & 0o777, 0o600);
  assertEquals((await Deno.stat(`${cache}/svg`)).mode! & 0o777, 0o700);
  // shown again: the same file, not drawn again
  const before = (await Deno.stat(png)).ino;
  const again = await setWith("swww", [{ path: wall, output: null }], cache);
  assert(again.some((argv) => argv.includes(png)), JSON.stringify(again));
  assertEquals((await Deno.stat(png)).ino, before);
  // the SVG changed: drawn again, at the size it now asks for
  await Deno.writeTextFile(wall, svg(128, 64, "#cc3333"));
  await Deno.utime(wall, new Date(), new Date(Date.now() + 5000));
  const changed = (await setWith("xwallpaper", [{ path: wall, output: null }], cache))[0];
  const png2 = changed.find((a) => a.endsWith(".png"))!;
  assertNotEquals(png2, png);
  assertEquals(
    pngSize(await Deno.readFile(png2)),
    [1920, 960],
    "small SVGs are drawn screen-sized",
  );
});

Deno.test("GNOME and KDE get the SVG itself; raster images pass through unchanged", async () => {
  await using home = await tempHome();
  const cache = `${home.env.XDG_CACHE_HOME}/varietal`;
  const wall = `${home.root}/a.svg`;
  await Deno.writeTextFile(wall, svg(1920, 1080));
  for (const name of ["gnome", "kde"] as const) {
    const calls = await setWith(name, [{ path: wall, output: null }], cache);
    assert(calls.flat().some((a) => a.includes("a.svg")), `${name}: ${JSON.stringify(calls)}`);
  }
  const jpg = await writeImage(`${home.root}/b.jpg`, {
    width: 20,
    height: 10,
    colors: [COLORS.red],
  });
  const two = await setWith("xwallpaper", [
    { path: jpg, output: "DP-1" },
    { path: wall, output: "DP-2" },
  ], cache);
  const argv = two.flat();
  assert(argv.includes(jpg), "the JPEG as it is");
  assert(!argv.includes(wall) && argv.some((a) => a.startsWith(`${cache}/svg/`)), "the SVG drawn");
  assertEquals(await isSvgFile(jpg), false);
  assertEquals(await isSvgFile(wall), true);
  assertEquals(await isSvgFile(`${home.root}/missing.svg`), false);
});

Deno.test("an SVG that cannot be drawn, or not in time, fails the setter naming the file", async () => {
  await using home = await tempHome();
  const cache = `${home.env.XDG_CACHE_HOME}/varietal`;
  const bad = `${home.root}/bad.svg`;
  await Deno.writeTextFile(bad, `<svg ${NS} width="10" height="10"><g></svg>`);
  const e = await assertRejects(
    () => setWith("hyprpaper", [{ path: bad, output: null }], cache),
    SetterError,
  );
  assertStringIncludes(e.message, "cannot draw");
  assertStringIncludes(e.message, bad);
  // an embedded picture over the pixel limit: refused before anything is drawn
  const png = patchPngSize(await solidPng(8, 8), 20000, 20000);
  const bomb = `${home.root}/bomb.svg`;
  await Deno.writeTextFile(
    bomb,
    `<svg ${NS} width="10" height="10"><image href="data:image/png;base64,${
      btoa(String.fromCharCode(...png))
    }"/></svg>`,
  );
  const big = await assertRejects(
    () => setWith("feh", [{ path: bomb, output: null }], cache),
    SetterError,
  );
  assertStringIncludes(big.message, bomb);
  assertStringIncludes(big.message, "20000×20000");
  assertStringIncludes(big.message, "embedded in the SVG");
  // a drawing thread cannot even start within a millisecond
  const slow = `${home.root}/slow.svg`;
  await Deno.writeTextFile(slow, svg(3000, 3000));
  const t = await assertRejects(
    () => setWith("feh", [{ path: slow, output: null }], cache, { timeout: 0.001 }),
    SetterError,
  );
  assertEquals(t.exitCode, 124);
  assertStringIncludes(t.message, "[wallpaper] timeout");
  const pngs = await Array.fromAsync(Deno.readDir(`${cache}/svg`)).catch(() => []);
  assertEquals(pngs.length, 0, "no PNG left behind");
});

Deno.test("pruneCache() keeps the most recently used PNGs", async () => {
  await using home = await tempHome();
  const dir = `${home.root}/svg`;
  await Deno.mkdir(dir);
  const n = RASTER_CACHE_KEEP + 3;
  for (let i = 0; i < n; i++) {
    await Deno.writeFile(`${dir}/${i}.png`, new Uint8Array(1));
    await Deno.utime(`${dir}/${i}.png`, new Date(), new Date(1_000_000 + i * 1000));
  }
  await Deno.writeTextFile(`${dir}/notes.txt`, "kept");
  await pruneCache(dir, RASTER_CACHE_KEEP);
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assertEquals(names.length, RASTER_CACHE_KEEP + 1);
  assert(!names.includes("0.png") && !names.includes("2.png") && names.includes("3.png"));
});

Deno.test("varietal next --image of an SVG with a raster-only setter: the setter gets a PNG, the history the SVG", async () => {
  await using home = await tempHome();
  const bin = `${home.root}/bin`;
  await Deno.mkdir(bin);
  await Deno.writeTextFile(`${bin}/xwallpaper`, `#!/bin/sh\nprintf '%s\\n' "$@" > "${bin}/args"\n`);
  await Deno.chmod(`${bin}/xwallpaper`, 0o755);
  const wall = `${home.root}/walls/dunes.svg`;
  await Deno.mkdir(`${home.root}/walls`);
  await Deno.writeTextFile(wall, svg(2560, 1440, "#d08040"));
  const r = await runCli(home, ["next", "--image", wall, "--setter", "xwallpaper", "--json"], {
    env: { PATH: `${bin}:/usr/bin:/bin` },
  });
  assertEquals(r.code, 0, r.stderr);
  const out = r.json<{ path: string; palette: { colors: string[] } }>();
  assertEquals(out.path, wall);
  const args = (await Deno.readTextFile(`${bin}/args`)).trim().split("\n");
  const png = args.find((a) => a.endsWith(".png"))!;
  assertStringIncludes(png, `${home.env.XDG_CACHE_HOME}/varietal/svg/`);
  assertEquals(pngSize(await Deno.readFile(png)), [2560, 1440]);
  assert(out.palette.colors.length === 16, "a palette from the SVG");
});
