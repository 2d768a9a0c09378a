import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, spawnCli, type TempHome, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { setFakeMode, writeFakeWallust } from "./_fake_wallust.ts";
import { Database } from "../../src/db/database.ts";

interface PaletteJson {
  image: string;
  origin: string;
  source_color: string | null;
  variant: string;
  background: string;
  foreground: string;
  cursor: string;
  colors: string[];
  avg_hue: number | null;
  avg_saturation: number;
  avg_lightness: number;
  temperature: number;
  hue_shares: { hue: number; share: number }[];
}

Deno.test("varietal palette prints swatches as text and the record as JSON", async () => {
  await using home = await tempHome();
  const img = await writeImage(`${home.root}/pics/sunset.jpg`, {
    width: 320,
    height: 200,
    colors: [COLORS.navy, COLORS.orange, COLORS.yellow],
    gradient: true,
    noise: 10,
  });
  const r = await runCli(home, ["palette", img, "--origin", "builtin", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const p = r.json<PaletteJson>();
  assertEquals(Object.keys(p).sort(), [
    "avg_hue",
    "avg_lightness",
    "avg_saturation",
    "background",
    "colors",
    "cursor",
    "foreground",
    "hue_shares",
    "image",
    "origin",
    "source_color",
    "temperature",
    "variant",
  ]);
  assertEquals([p.origin, p.variant, p.image], ["builtin", "dark16", img]);
  // A relative path with `..` comes out as the file's own path (it goes on to templates).
  const rel = await runCli(home, [
    "palette",
    "../pics/./sunset.jpg",
    "--origin",
    "builtin",
    "--json",
  ], {
    cwd: `${home.root}/pics`,
  });
  assertEquals(rel.json<PaletteJson>().image, img, rel.stderr);
  // The image's Material source colour, so that the file themes Material templates as the
  // image does.
  const m = await runCli(home, ["palette", img, "--origin", "builtin", "--material", "--json"]);
  assertEquals(p.source_color, m.json<{ source_color: string }>().source_color);
  const file = `${home.root}/p.json`;
  await Deno.writeTextFile(file, r.stdout);
  const tpl = `${home.root}/m.txt`;
  await Deno.writeTextFile(
    tpl,
    "{{ colors.primary.default.hex }} {{ colors.tertiary.dark.hex }}\n",
  );
  const fromFile = await runCli(home, ["theme", "render", tpl, "--palette", file]);
  const fromImage = await runCli(home, ["theme", "render", tpl, "--image", img]);
  assertEquals(fromFile.code, 0, fromFile.stderr);
  assertEquals(fromFile.stdout, fromImage.stdout);
  assertEquals(p.colors.length, 16);
  assert(p.temperature > 0, "a sunset is warm");
  const text = await runCli(home, ["palette", img, "--origin", "builtin"]);
  assertEquals(text.code, 0);
  assertStringIncludes(text.stdout, p.background);
  assertMatch(text.stdout, /color15\s+#[0-9a-f]{6}/);
  assertMatch(text.stdout, /hues (orange|yellow|blue) \d+%/, "the named hue ranges' shares");
  assert(p.hue_shares.length > 0 && p.hue_shares.every((h) => h.hue % 5 === 0));
  assert(!text.stdout.includes("\x1b["), "no escapes with NO_COLOR");
  const light = await runCli(home, ["palette", img, "--variant", "light16", "--json"]);
  assertEquals(light.json<PaletteJson>().variant, "light16");
});

Deno.test("[palette] wallust may name the program from the home folder (~/, $HOME, relative)", async () => {
  await using home = await tempHome();
  await writeFakeWallust(`${home.home}/.cargo/bin`);
  const img = await writeImage(`${home.root}/pics/a.png`, {
    width: 40,
    height: 30,
    colors: [COLORS.purple, COLORS.green],
  });
  for (
    const written of ["~/.cargo/bin/wallust", "$HOME/.cargo/bin/wallust", ".cargo/bin/wallust"]
  ) {
    await home.writeConfig(`[palette]\nwallust = "${written}"\n`);
    const r = await runCli(home, ["palette", img, "--json"]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.json<PaletteJson>().origin, "wallust", written);
    const doctor = await runCli(home, ["doctor"]);
    assertStringIncludes(doctor.stdout, `${home.home}/.cargo/bin/wallust`, written);
  }
  // A path that is not there is named as such (not "not on PATH"), and an unset variable too.
  await home.writeConfig(`[palette]\nwallust = "~/nowhere/wallust"\n`);
  const doctor = await runCli(home, ["doctor"]);
  assertStringIncludes(doctor.stdout, `'${home.home}/nowhere/wallust' not found or not executable`);
  await home.writeConfig(`[palette]\nwallust = "$VARIETAL_TEST_NOPE/wallust"\n`);
  const check = await runCli(home, ["config", "check"]);
  assertEquals(check.code, 1);
  assertStringIncludes(check.stdout, "palette.wallust: $VARIETAL_TEST_NOPE is not set");
});

Deno.test("varietal palette uses wallust when configured and falls back under auto", async () => {
  await using home = await tempHome();
  const bin = `${home.root}/bin`;
  const exe = await writeFakeWallust(bin);
  await home.writeConfig(`[palette]\nwallust = "${exe}"\n`);
  const img = await writeImage(`${home.root}/pics/a.png`, {
    width: 40,
    height: 30,
    colors: [COLORS.purple, COLORS.green],
  });
  await setFakeMode(bin, { mode: "ok" });
  const ok = await runCli(home, ["palette", img, "--json"]);
  assertEquals(ok.code, 0, ok.stderr);
  assertEquals(ok.json<PaletteJson>().origin, "wallust");
  await setFakeMode(bin, { mode: "fail" });
  const fb = await runCli(home, ["palette", img, "--json"]);
  assertEquals(fb.code, 0, fb.stderr);
  assertEquals(fb.json<PaletteJson>().origin, "builtin");
  assertMatch(fb.stderr, /warning: wallust failed on .*a\.png \(exit 1\).*built-in extractor/);
  const strict = await runCli(home, ["palette", img, "--origin", "wallust"]);
  assertEquals(strict.code, 1);
  assertStringIncludes(strict.stderr, "failed to decode");
});

Deno.test("varietal palette rejects missing files and bad flags", async () => {
  await using home = await tempHome();
  const missing = await runCli(home, ["palette", "nope.jpg"]);
  assertEquals(missing.code, 1);
  assertStringIncludes(missing.stderr, "nope.jpg: no such file");
  const bad = await runCli(home, ["palette", "x.jpg", "--origin", "magic"]);
  assertEquals(bad.code, 2);
  await Deno.writeFile(`${home.home}/a.tif`, new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]));
  const tiff = await runCli(home, ["palette", `${home.home}/a.tif`, "--origin", "builtin"]);
  assertEquals(tiff.code, 1);
  assertStringIncludes(tiff.stderr, "unsupported format (tiff)");
  await Deno.writeTextFile(`${home.home}/b.svg`, "<svg><rect");
  const cut = await runCli(home, ["palette", `${home.home}/b.svg`, "--origin", "builtin"]);
  assertEquals(cut.code, 1);
  assertStringIncludes(cut.stderr, "b.svg");
  assertStringIncludes(cut.stderr, "damaged SVG");
});

interface Report {
  total: number;
  extracted: number;
  failed: { path: string; reason: string }[];
  interrupted: boolean;
  workers: number;
  origins: { wallust: number; builtin: number };
}

Deno.test("varietal extract fills every palette, lists failures and skips done images", async () => {
  await using home = await tempHome();
  const dir = `${home.root}/walls`;
  for (let i = 0; i < 6; i++) {
    await writeImage(`${dir}/w${i}.${i % 2 ? "jpg" : "png"}`, {
      width: 120 + i * 10,
      height: 80,
      colors: [Object.values(COLORS)[i], Object.values(COLORS)[i + 3]],
    });
  }
  // a PNG whose header is fine (so scan indexes it) but whose data is cut off
  const good = await Deno.readFile(`${dir}/w0.png`);
  await Deno.writeFile(`${dir}/broken.png`, good.subarray(0, 40));
  assertEquals((await runCli(home, ["sources", "add", dir])).code, 0);
  const scan = await runCli(home, ["scan"]);
  assert(scan.code === 0 || scan.code === 1, scan.stderr);
  const r = await runCli(home, ["extract", "--json", "--jobs", "2"]);
  const rep = r.json<Report>();
  assertEquals(r.code, 1, "a failure exits 1");
  assertEquals([rep.total, rep.extracted, rep.failed.length, rep.workers], [7, 6, 1, 2]);
  assertStringIncludes(rep.failed[0].path, "broken.png");
  // Exit 1 comes with its line on stderr, with --json too.
  assertStringIncludes(r.stderr, `1 image(s) failed to extract (see "failed" in the JSON), e.g. `);
  assertStringIncludes(r.stderr, "broken.png");
  const again = await runCli(home, ["extract", "--json"]);
  // the broken file was marked as undecodable: left out until it changes, or with --force
  assertEquals(again.code, 0, again.stderr);
  assertEquals(
    [again.json<Report>().total, again.json<Report & { undecodable: number }>().undecodable],
    [0, 1],
  );
  const forced = await runCli(home, ["extract", "--force", "--json", "--jobs", "1"]);
  assertEquals([forced.json<Report>().total, forced.json<Report>().extracted], [7, 6]);
  // --jobs 0 is one per core, as [palette] jobs = 0.
  const perCore = await runCli(home, ["extract", "--force", "--json", "--jobs", "0"]);
  assertEquals(perCore.code, forced.code, perCore.stderr);
  assertEquals(perCore.json<Report>().extracted, 6);
});

/** A 2 × 2 24-bit BMP (a format the built-in extractor cannot read, but a setter can show). */
function bmp(): Uint8Array {
  const row = [0, 0, 255, 0, 255, 0, 0, 0]; // two BGR pixels, padded to 4 bytes
  const pixels = [...row, ...row];
  const size = 54 + pixels.length;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  b.set([0x42, 0x4d]); // "BM"
  v.setUint32(2, size, true);
  v.setUint32(10, 54, true); // pixel data offset
  v.setUint32(14, 40, true); // BITMAPINFOHEADER
  v.setInt32(18, 2, true);
  v.setInt32(22, 2, true);
  v.setUint16(26, 1, true); // planes
  v.setUint16(28, 24, true); // bits per pixel
  v.setUint32(34, pixels.length, true);
  b.set(pixels, 54);
  return b;
}

Deno.test("varietal extract counts a BMP (no built-in decoder) apart from failures and exits 0", async () => {
  await using home = await tempHome();
  await home.writeConfig('[palette]\norigin = "builtin"\n');
  const dir = `${home.root}/walls`;
  await writeImage(`${dir}/a.png`, { width: 64, height: 40, colors: [COLORS.navy, COLORS.teal] });
  await Deno.writeFile(`${dir}/b.bmp`, bmp());
  assertEquals((await runCli(home, ["sources", "add", dir])).code, 0);
  const scan = await runCli(home, ["scan", "--json"]);
  assertEquals(scan.code, 0, scan.stderr);
  for (let run = 0; run < 2; run++) {
    const r = await runCli(home, ["extract", "--json"]);
    assertEquals(r.code, 0, r.stderr);
    const rep = r.json<Report & { unsupported: { path: string; format: string }[] }>();
    assertEquals(rep.failed, []);
    assertEquals(rep.unsupported, [{ path: `${dir}/b.bmp`, format: "bmp" }]);
  }
  const text = await runCli(home, ["extract"]);
  assertEquals(text.code, 0, text.stderr);
  assertStringIncludes(
    text.stderr,
    "1 image(s) in formats the built-in extractor cannot read (BMP)",
  );
});

Deno.test("varietal extract says it recomputes palettes from an older version", async () => {
  await using home = await tempHome();
  const dir = `${home.root}/walls`;
  for (let i = 0; i < 3; i++) {
    await writeImage(`${dir}/w${i}.png`, {
      width: 40,
      height: 30,
      colors: [Object.values(COLORS)[i], COLORS.white],
    });
  }
  assertEquals((await runCli(home, ["sources", "add", dir])).code, 0);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  assertEquals((await runCli(home, ["extract", "--jobs", "1"])).code, 0);
  {
    using db = await Database.open(home.database);
    db.raw.exec("UPDATE palettes SET hue_mask = NULL WHERE rowid <= 2; DELETE FROM palette_hues");
  }
  const r = await runCli(home, ["extract", "--jobs", "1"]);
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(r.stdout, "2 palette(s) from an older version of varietal: recomputing");
  assertStringIncludes(
    r.stdout,
    "Recomputed the figures of 2 of 2 palette(s) from an older version",
  );
  const again = await runCli(home, ["extract"]);
  assertStringIncludes(again.stdout, "Every image already has a palette.");
});

Deno.test("varietal extract stops cleanly on SIGINT and a rerun resumes", async () => {
  await using home = await tempHome();
  const bin = `${home.root}/bin`;
  const exe = await writeFakeWallust(bin);
  await setFakeMode(bin, { mode: "slow", delayMs: 300 });
  await home.writeConfig(`[palette]\norigin = "wallust"\nwallust = "${exe}"\n`);
  const dir = `${home.root}/walls`;
  const n = 24;
  for (let i = 0; i < n; i++) {
    await writeImage(`${dir}/w${i}.png`, { width: 16, height: 16, colors: [i * 0x0a0b0c] });
  }
  await runCli(home, ["sources", "add", dir]);
  await runCli(home, ["scan"]);
  const child = spawnCli(home, ["extract", "--jobs", "1"]);
  const cache = `${home.env.XDG_CACHE_HOME}/wallust`;
  // wait until wallust has produced a few palettes, then interrupt
  for (let i = 0; i < 400; i++) {
    const count = await Array.fromAsync(Deno.readDir(cache)).then((x) => x.length, () => 0);
    if (count >= 3) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGINT");
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 130, stderr);
  assertStringIncludes(stderr, "interrupted");
  const rest = await runCli(home, ["extract", "--json", "--jobs", "2"]);
  const rep = rest.json<Report>();
  assertEquals(rest.code, 0, rest.stderr);
  assert(rep.total < n && rep.total > 0, `resumed with ${rep.total} of ${n} left`);
  assertEquals(rep.extracted, rep.total);
  assertEquals(rep.origins.wallust, rep.total);
  assertEquals((await runCli(home, ["extract", "--json"])).json<Report>().total, 0);
});

/**
 * Runs `varietal ARGS IMAGE` with a wallust that hangs, sends `signal` once
 * wallust has the image, and returns the exit code and stderr; throws when
 * wallust was left running (and stops it).
 */
async function interruptDuringWallust(
  home: TempHome,
  args: string[],
  signal: Deno.Signal,
): Promise<{ code: number; stderr: string }> {
  const bin = `${home.root}/bin`;
  // A name of its own per run: what is still running is found by it.
  const image = `${home.root}/interrupt-${crypto.randomUUID()}.png`;
  await writeImage(image, { width: 16, height: 16, colors: [COLORS.red] });
  const child = spawnCli(home, [...args, image]);
  let result: { code: number; stderr: string };
  try {
    for (let t = 0; t < 400; t++) {
      const log = await Deno.readTextFile(`${bin}/wallust.log`).catch(() => "");
      if (log.includes(image)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill(signal);
    const out = await child.output();
    result = { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
  }
  // wallust (its own process group) must have gone with it; whatever did not is stopped.
  const ps = await new Deno.Command("ps", { args: ["-eo", "args"], stdout: "piped" }).output();
  const left = new TextDecoder().decode(ps.stdout).split("\n").filter((l) => l.includes(image));
  if (left.length) {
    await new Deno.Command("pkill", { args: ["-f", image] }).output();
    throw new Error(`${args[0]} left wallust running: ${left.join("; ")}`);
  }
  return result;
}

/** A home whose wallust hangs for a minute. */
async function hangingWallustHome(): Promise<TempHome> {
  const home = await tempHome();
  const bin = `${home.root}/bin`;
  const exe = await writeFakeWallust(bin);
  await setFakeMode(bin, { mode: "slow", delayMs: 60_000 });
  await home.writeConfig(`[palette]\norigin = "wallust"\nwallust = "${exe}"\n`);
  return home;
}

Deno.test("Ctrl-C during wallust stops it: palette, select --similar-to and theme render exit 130", async () => {
  await using home = await hangingWallustHome();
  const commands = [["palette"], ["select", "--similar-to"], [
    "theme",
    "render",
    "kitty",
    "--image",
  ]];
  for (const args of commands) {
    const { code, stderr } = await interruptDuringWallust(home, args, "SIGINT");
    assertEquals(code, 130, `${args[0]}: ${stderr}`);
    assertStringIncludes(stderr, "Interrupted by SIGINT");
  }
});

Deno.test("SIGTERM during wallust stops it the same way, and exits 143 (128 + 15), not 130", async () => {
  await using home = await hangingWallustHome();
  const { code, stderr } = await interruptDuringWallust(home, ["palette"], "SIGTERM");
  assertEquals(code, 143, stderr);
  assertStringIncludes(stderr, "Interrupted by SIGTERM");
});

Deno.test("renderPalette() draws truecolor swatches only when colour is on", async () => {
  const { renderPalette } = await import("../../src/cli/palette.ts");
  const p = {
    origin: "builtin" as const,
    variant: "dark16",
    background: "#101820",
    foreground: "#f0f0f0",
    cursor: "#f0f0f0",
    colors: Array.from({ length: 16 }, (_, i) => `#${(i * 16).toString(16).padStart(2, "0")}8040`),
    avg_hue: 30,
    avg_saturation: 0.5,
    avg_lightness: 0.4,
    temperature: 0.3,
  };
  const colour = renderPalette(p, "/x.jpg", true).join("\n");
  assertStringIncludes(colour, "\x1b[48;2;16;24;32m");
  assertStringIncludes(colour, "#f08040");
  const plain = renderPalette(p, "/x.jpg", false).join("\n");
  assert(!plain.includes("\x1b["));
  assertStringIncludes(plain, "temperature 0.30 (warm)");
});

Deno.test("varietal extract leaves out a disabled folder and an offline one (an unplugged drive), exit 0", async () => {
  await using home = await tempHome();
  const here = `${home.root}/here`, drive = `${home.root}/drive`, off = `${home.root}/off`;
  await writeImage(`${here}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await writeImage(`${drive}/b.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  await writeImage(`${off}/c.png`, { width: 16, height: 9, colors: [COLORS.green] });
  for (
    const args of [["sources", "add", here, drive, off], ["scan"], ["sources", "disable", off]]
  ) {
    assertEquals((await runCli(home, args)).code, 0, args.join(" "));
  }
  await Deno.rename(drive, `${drive}.unplugged`);
  const r = await runCli(home, ["extract", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const report = r.json<{ total: number; extracted: number; failed: unknown[] }>();
  assertEquals([report.total, report.extracted, report.failed.length], [1, 1, 0]);
  const text = await runCli(home, ["extract"]);
  assertEquals(text.code, 0, text.stderr);
  assertStringIncludes(text.stderr, `${drive}: offline`);
});

Deno.test("varietal extract on an empty collection says to scan, and names a failed file once", async () => {
  await using home = await tempHome();
  const empty = await runCli(home, ["extract"]);
  assertEquals(empty.code, 0, empty.stderr);
  assertEquals(
    empty.stdout,
    "No image in the collection yet: run 'varietal scan' (after 'varietal sources add DIR')\n",
  );
  // A file that cannot be decoded: its path once on the line, not "PATH: Cannot decode PATH".
  const dir = `${home.home}/walls`;
  await Deno.mkdir(dir);
  const bad = `${dir}/cut.png`;
  await writeImage(bad, { width: 64, height: 48, colors: [COLORS.navy, COLORS.orange], noise: 40 });
  const bytes = await Deno.readFile(bad);
  await Deno.writeFile(bad, bytes.subarray(0, Math.floor(bytes.length * 0.6))); // cut off
  assertEquals((await runCli(home, ["sources", "add", dir])).code, 0);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  const r = await runCli(home, ["extract"]);
  const line = r.stderr.split("\n").find((l) => l.includes("cut.png"));
  assert(line, r.stderr);
  assertEquals(line.split(bad).length - 1, 1, line);
  // A second one in a later run: named once, as this run's failure, not also as an earlier one.
  const bad2 = `${dir}/cut2.png`;
  await Deno.writeFile(bad2, bytes.subarray(0, Math.floor(bytes.length * 0.5)));
  assertEquals((await runCli(home, ["scan"])).code, 0);
  const later = await runCli(home, ["extract"]);
  assertEquals(later.code, 1, later.stderr);
  assertStringIncludes(later.stderr, "varietal: 1 image(s) that failed to decode before");
  assertEquals(later.stderr.split(bad2).length - 1, 1, later.stderr);
  assertEquals(later.stderr.split(`${bad}:`).length - 1, 1, later.stderr);
  // -q prints nothing but errors: the note of earlier failures is said without it only.
  const quiet = await runCli(home, ["extract", "-q"]);
  assertEquals([quiet.code, quiet.stdout, quiet.stderr], [0, "", ""]);
  assertStringIncludes(
    (await runCli(home, ["extract"])).stderr,
    "2 image(s) that failed to decode",
  );
});

Deno.test("a file replaced by another picture (even with an older time) loses its palette: scan drops it, next re-extracts", async () => {
  await using home = await tempHome();
  await home.writeConfig('[wallpaper]\nsetter = "none"\n[theme]\nenabled = false\n');
  const dir = `${home.root}/walls`;
  const a = await writeImage(`${dir}/a.png`, { width: 120, height: 80, colors: [COLORS.blue] });
  const red = await writeImage(`${home.root}/red.png`, {
    width: 130,
    height: 80,
    colors: [COLORS.red],
  });
  const green = await writeImage(`${home.root}/green.png`, {
    width: 140,
    height: 80,
    colors: [COLORS.green],
  });
  const old = new Date("2021-01-01T00:00:00Z");
  await Deno.utime(a, old, old);
  assertEquals((await runCli(home, ["sources", "add", dir])).code, 0);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  assertEquals((await runCli(home, ["extract"])).code, 0);
  const background = async (args: string[]) => {
    const r = await runCli(home, args);
    assertEquals(r.code, 0, r.stderr);
    return r.json<{ palette: { background: string } }>().palette.background;
  };
  const own = async (file: string) =>
    (await runCli(home, ["palette", file, "--json"])).json<{ background: string }>().background;
  // `mv`, `cp -p`, `rsync -a`: other bytes with an older time than the palette's extraction.
  await Deno.copyFile(red, a);
  const older = new Date("2022-06-01T00:00:00Z");
  await Deno.utime(a, older, older);
  // Before any scan, a change shows the new picture's colours, not the stored ones.
  assertEquals(await background(["next", "--image", a, "--json"]), await own(red));
  // After a scan the stored palette is gone and extract makes the new one.
  await Deno.copyFile(green, a);
  await Deno.utime(a, older, older);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  const ex = await runCli(home, ["extract", "--json"]);
  assertEquals(ex.json<{ extracted: number }>().extracted, 1, ex.stdout);
  assertEquals(await background(["next", "--image", a, "--json"]), await own(green));
});
