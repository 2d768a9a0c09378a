import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { expectedBackground, setFakeMode, writeFakeWallust } from "./_fake_wallust.ts";
import {
  base36,
  cacheDirName,
  fnv1a32,
  paletteFileName,
  WALLUST_DEFAULTS,
} from "../../src/palette/wallust_cache.ts";
import {
  readWallustSettings,
  runWallust,
  WallustCacheError,
  WallustConfigError,
  WallustError,
  WallustExitError,
  WallustNotFoundError,
  WallustTimeoutError,
} from "../../src/palette/wallust.ts";
import { paletteForImage } from "../../src/palette/palette_for_image.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { resolvePaths } from "../../src/config/paths.ts";

/** A temp dir with a fake wallust, XDG dirs and two images. */
async function setup() {
  const root = await Deno.makeTempDir({ prefix: "varietal-wallust-" });
  const bin = `${root}/bin`;
  const exe = await writeFakeWallust(bin);
  const env: Record<string, string> = {
    HOME: root,
    XDG_CONFIG_HOME: `${root}/config`,
    XDG_CACHE_HOME: `${root}/cache`,
  };
  const a = await writeImage(`${root}/img/a.png`, {
    width: 64,
    height: 48,
    colors: [COLORS.navy, COLORS.orange],
  });
  const b = await writeImage(`${root}/img/b.png`, {
    width: 64,
    height: 48,
    colors: [COLORS.teal, COLORS.pink],
  });
  const opts = {
    executable: exe,
    cacheHome: env.XDG_CACHE_HOME,
    configHome: env.XDG_CONFIG_HOME,
    timeoutMs: 15000,
  };
  return {
    root,
    bin,
    exe,
    env,
    a,
    b,
    opts,
    paths: resolvePaths((k) => env[k]),
    async writeToml(text: string) {
      await Deno.mkdir(`${env.XDG_CONFIG_HOME}/wallust`, { recursive: true });
      await Deno.writeTextFile(`${env.XDG_CONFIG_HOME}/wallust/wallust.toml`, text);
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("fnv1a32() and base36() match FNV-1a test vectors and wallust's naming", () => {
  const enc = new TextEncoder();
  assertEquals(fnv1a32(new Uint8Array()), 0x811c9dc5);
  assertEquals(fnv1a32(enc.encode("a")), 0xe40c292c);
  assertEquals(fnv1a32(enc.encode("foobar")), 0xbf9cf968);
  assertEquals(base36(0), "0");
  assertEquals(base36(35), "z");
  assertEquals(base36(36), "10");
  assertEquals(base36(0xffffffff), "1z141z3");
  assertEquals(cacheDirName(enc.encode("a")), `${(0xe40c292c).toString(36)}_1.7`);
  assertEquals(paletteFileName(WALLUST_DEFAULTS), "FastResize_Lch_auto_Dark");
});

Deno.test("readWallustSettings() maps wallust.toml names to wallust's display names", async () => {
  await using t = await setup();
  assertEquals(await readWallustSettings(t.env.XDG_CONFIG_HOME), { ...WALLUST_DEFAULTS });
  await t.writeToml(
    `backend = "fast-resize"\ncolor_space = "labmixed"\npalette = "harddark16"\nthreshold = 11\n`,
  );
  const s = await readWallustSettings(t.env.XDG_CONFIG_HOME);
  assertEquals(paletteFileName(s), "FastResize_LabMixed_11_HardDark16");
  assertEquals(
    paletteFileName(await readWallustSettings(t.env.XDG_CONFIG_HOME, "light16")),
    "FastResize_LabMixed_11_Light16",
  );
  await t.writeToml(`backend = "hologram"\n`);
  await assertRejects(
    () => readWallustSettings(t.env.XDG_CONFIG_HOME),
    WallustConfigError,
    `backend = "hologram"`,
  );
  await t.writeToml(`backend = \n`);
  await assertRejects(
    () => readWallustSettings(t.env.XDG_CONFIG_HOME),
    WallustConfigError,
    "not valid TOML",
  );
  await t.writeToml(`threshold = 500\n`);
  await assertRejects(
    () => readWallustSettings(t.env.XDG_CONFIG_HOME),
    WallustConfigError,
    "1–100",
  );
});

Deno.test("runWallust() reads the entry of that image with the configured names", async () => {
  await using t = await setup();
  await setFakeMode(t.bin, { mode: "ok" });
  await t.writeToml(`backend = "resized"\ncolor_space = "lab"\npalette = "dark16"\n`);
  const p = await runWallust(t.a, t.opts);
  assertEquals(p.origin, "wallust");
  assertEquals(p.variant, "dark16");
  assertEquals(p.background, expectedBackground(await Deno.readFile(t.a)));
  assertEquals(p.colors.length, 16);
  const log = await Deno.readTextFile(`${t.bin}/wallust.log`);
  assertEquals(JSON.parse(log.trim()), ["run", t.a, "-s", "-T", "-q"]);
});

Deno.test("runWallust() passes --palette and reads that palette's entry", async () => {
  await using t = await setup();
  await setFakeMode(t.bin, { mode: "ok" });
  const p = await runWallust(t.a, { ...t.opts, palette: "light16" });
  assertEquals(p.variant, "light16");
  const log = (await Deno.readTextFile(`${t.bin}/wallust.log`)).trim();
  assertEquals(JSON.parse(log), ["run", t.a, "-s", "-T", "-q", "--palette", "light16"]);
});

Deno.test("runWallust() ignores decoys written at the same moment for other images and settings", async () => {
  await using t = await setup();
  const bytesA = await Deno.readFile(t.a);
  const bytesB = await Deno.readFile(t.b);
  // Each run writes its own entry, then newer decoys: one for the other image, one for
  // other settings in its own folder. Two runs go at once.
  await setFakeMode(t.bin, { mode: "decoy", decoyFor: t.b });
  const [pa1, pa2] = await Promise.all([runWallust(t.a, t.opts), runWallust(t.a, t.opts)]);
  assertEquals(pa1.background, expectedBackground(bytesA));
  assertEquals(pa2.background, expectedBackground(bytesA));
  // the decoys really are there, and newer than the right entry
  const cache = `${t.env.XDG_CACHE_HOME}/wallust`;
  const right = await Deno.stat(`${cache}/${cacheDirName(bytesA)}/FastResize_Lch_auto_Dark`);
  const decoyB = await Deno.stat(`${cache}/${cacheDirName(bytesB)}/FastResize_Lch_auto_Dark`);
  const decoyA = await Deno.stat(`${cache}/${cacheDirName(bytesA)}/Resized_Lab_auto_Dark`);
  assert(decoyB.mtime! >= right.mtime! && decoyA.mtime! >= right.mtime!);
  await setFakeMode(t.bin, { mode: "decoy", decoyFor: t.a });
  const pb = await runWallust(t.b, t.opts);
  assertEquals(pb.background, expectedBackground(bytesB));
  // and a decoy written for b while a runs does not change a's palette
  await setFakeMode(t.bin, { mode: "decoy", decoyFor: t.b });
  assertEquals((await runWallust(t.a, t.opts)).background, expectedBackground(bytesA));
});

Deno.test("runWallust() gives specific errors", async (st) => {
  await using t = await setup();
  await st.step("missing executable", async () => {
    await assertRejects(
      () => runWallust(t.a, { ...t.opts, executable: `${t.root}/nope/wallust` }),
      WallustNotFoundError,
      "not found on PATH",
    );
  });
  await st.step("non-zero exit shows stderr", async () => {
    await setFakeMode(t.bin, { mode: "fail" });
    const e = await assertRejects(() => runWallust(t.a, t.opts), WallustExitError);
    assertEquals(e.code, 1);
    assertStringIncludes(e.message, "failed to decode");
  });
  await st.step("timeout kills it", async () => {
    await setFakeMode(t.bin, { mode: "slow", delayMs: 8000 });
    const started = Date.now();
    await assertRejects(
      () => runWallust(t.a, { ...t.opts, timeoutMs: 300 }),
      WallustTimeoutError,
      "longer than 0.3s",
    );
    assert(Date.now() - started < 7000, "did not wait for wallust to finish");
  });
  await st.step("no entry written", async () => {
    await setFakeMode(t.bin, { mode: "none" });
    await assertRejects(() => runWallust(t.b, t.opts), WallustCacheError, "was not written");
  });
  await st.step("malformed entry", async () => {
    await setFakeMode(t.bin, { mode: "garbage" });
    await assertRejects(() => runWallust(t.b, t.opts), WallustCacheError, "is malformed");
  });
  await st.step("unparseable wallust.toml", async () => {
    await setFakeMode(t.bin, { mode: "ok" });
    await t.writeToml("palette = [");
    await assertRejects(() => runWallust(t.a, t.opts), WallustConfigError, "wallust.toml");
  });
});

Deno.test("paletteForImage() falls back to the built-in extractor under auto, with the reason", async () => {
  await using t = await setup();
  const config = defaultConfig();
  config.palette.wallust = t.exe;
  await setFakeMode(t.bin, { mode: "ok" });
  const ok = await paletteForImage(t.a, { config, paths: t.paths });
  assertEquals(ok.palette.origin, "wallust");
  assertEquals(ok.warnings, []);
  // the summary describes the image, as for built-in palettes
  const builtin = (await paletteForImage(t.a, { config, paths: t.paths, origin: "builtin" }))
    .palette;
  assertEquals(
    [ok.palette.avg_hue, ok.palette.avg_lightness, ok.palette.temperature],
    [builtin.avg_hue, builtin.avg_lightness, builtin.temperature],
  );
  await setFakeMode(t.bin, { mode: "fail" });
  const fb = await paletteForImage(t.a, { config, paths: t.paths });
  assertEquals(fb.palette.origin, "builtin");
  assertEquals(fb.warnings.length, 1);
  assertStringIncludes(fb.warnings[0], "failed to decode");
  await assertRejects(
    () => paletteForImage(t.a, { config, paths: t.paths, origin: "wallust" }),
    WallustExitError,
  );
  const bi = await paletteForImage(t.a, { config, paths: t.paths, origin: "builtin" });
  assertEquals(bi.palette.origin, "builtin");
  // wallust absent: auto uses the built-in extractor silently, wallust fails
  config.palette.wallust = `${t.root}/none/wallust`;
  const absent = await paletteForImage(t.a, { config, paths: t.paths });
  assertEquals([absent.palette.origin, absent.warnings], ["builtin", []]);
  await assertRejects(
    () => paletteForImage(t.a, { config, paths: t.paths, origin: "wallust" }),
    WallustError,
  );
});

Deno.test("a wallust failure's message keeps at most the last 500 characters of its output", () => {
  const bar = `${"x".repeat(70_000)}done`;
  const e = new WallustExitError("/p/a.png", 3, `starting\n${bar}\n`);
  assert(e.message.length < 600, `${e.message.length}`);
  assert(e.message.startsWith("wallust failed on /p/a.png (exit 3): …"), e.message.slice(0, 60));
  assert(e.message.endsWith("xdone"));
  assertEquals(e.stderr.length, bar.length + 10);
  const short = new WallustExitError("/p/a.png", 1, "error: no such file\n");
  assertEquals(short.message, "wallust failed on /p/a.png (exit 1): error: no such file");
});
