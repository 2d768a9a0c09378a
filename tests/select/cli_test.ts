import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, type TempHome, tempHome } from "../_helpers/env.ts";
import { Database } from "../../src/db/database.ts";
import { addSource } from "../../src/db/sources.ts";
import { getImageByPath, insertImage } from "../../src/db/images.ts";
import { savePalette } from "../../src/db/palettes.ts";
import { countHistory, recordShows } from "../../src/db/history.ts";
import { palette } from "./_fixture.ts";
import { writeImage } from "../_helpers/images.ts";

/** Writes `n` small files into the home and indexes them directly (lightness alternates). */
/** `select` and `next` (and `more` commands) exit 1 with `text` on stderr. */
async function picksNothingSaying(
  home: TempHome,
  text: string,
  more: string[][] = [],
): Promise<void> {
  for (const cmd of [["select"], ["next", "--setter", "none", "--no-theme"], ...more]) {
    const r = await runCli(home, cmd);
    assertEquals(r.code, 1, `${cmd.join(" ")}: ${r.stderr}`);
    assertStringIncludes(r.stderr, text);
  }
}

async function fill(home: TempHome, n: number): Promise<string[]> {
  const dir = `${home.home}/walls`;
  await Deno.mkdir(dir, { recursive: true });
  const paths = Array.from({ length: n }, (_, i) => `${dir}/${i}.jpg`);
  for (const p of paths) await Deno.writeFile(p, new Uint8Array([0xff, 0xd8]));
  using db = await Database.open(home.database);
  const { source } = addSource(db, dir);
  db.transaction(() => {
    paths.forEach((path, i) => {
      const id = insertImage(db, {
        path,
        source_id: source.id,
        size: 2,
        mtime: 0,
        width: i === 0 ? 1080 : 1920,
        height: i === 0 ? 1920 : 1080,
        format: "jpeg",
      }, Date.now());
      savePalette(db, id, palette({ avg_lightness: i % 2 ? 0.8 : 0.2 }));
    });
  });
  return paths;
}

type JsonPick = {
  path: string;
  weight: number;
  factors: Record<string, number>;
  output?: string;
  seed: number;
};

Deno.test("varietal select prints picks as JSON, is reproducible with --seed and changes nothing", async () => {
  await using home = await tempHome();
  const paths = await fill(home, 6);
  const a = await runCli(home, ["select", "-n", "3", "--seed", "9", "--json"]);
  assertEquals(a.code, 0, a.stderr);
  const picks = a.json<JsonPick[]>();
  assertEquals(picks.length, 3);
  for (const p of picks) {
    assert(paths.includes(p.path));
    assertEquals(typeof p.weight, "number");
    for (const k of ["recency", "unseen", "source", "times_shown", "favorite"]) {
      assertEquals(typeof p.factors[k], "number", k);
    }
  }
  assertEquals(picks.map((p) => p.seed), [9, 9, 9], "each pick names the draw's seed");
  const b = await runCli(home, ["select", "-n", "3", "--seed", "9", "--json"]);
  assertEquals(b.json(), picks);
  // Without --seed, the seed printed repeats the draw.
  const drawn = (await runCli(home, ["select", "-n", "3", "--json"])).json<JsonPick[]>();
  const again = await runCli(home, [
    "select",
    "-n",
    "3",
    "--json",
    "--seed",
    String(drawn[0].seed),
  ]);
  assertEquals(again.json<JsonPick[]>().map((p) => p.path), drawn.map((p) => p.path));
  using db = await Database.open(home.database);
  assertEquals(countHistory(db), 0);
  assertEquals(getImageByPath(db, paths[0])!.times_shown, 0);
});

Deno.test("varietal select --explain shows every factor and the weight; constraints filter", async () => {
  await using home = await tempHome();
  const paths = await fill(home, 6);
  const r = await runCli(home, ["select", "-n", "2", "--explain", "--dark"]);
  assertEquals(r.code, 0, r.stderr);
  for (const k of ["recency", "unseen", "source", "times_shown", "favorite", "weight"]) {
    assertStringIncludes(r.stdout, k);
  }
  const plain = await runCli(home, ["select", "-n", "6", "--light"]);
  const got = plain.stdout.trim().split("\n").sort();
  assertEquals(got, paths.filter((_, i) => i % 2 === 1).sort());
  const portrait = await runCli(home, ["select", "--orientation", "portrait"]);
  assertEquals(portrait.stdout.trim(), paths[0]);
});

Deno.test("varietal select reports bad flags (exit 2) and no match (exit 1)", async () => {
  await using home = await tempHome();
  await fill(home, 2);
  for (
    const [args, text] of [
      [["--dark", "--light"], "--dark and --light cannot be used together"],
      [["--hue", "400-20"], "invalid value '400-20' for --hue"],
      [["--min-saturation", "2"], "invalid value '2' for --min-saturation"],
      // Decimal only: Number() would read these as 1.
      [["--min-saturation", "0x1"], "invalid value '0x1' for --min-saturation"],
      [["--max-saturation", "0b1"], "invalid value '0b1' for --max-saturation"],
      [["--max-saturation", "1e0"], "invalid value '1e0' for --max-saturation"],
      [["--similar-to", ""], "--similar-to was given an empty value (an unset shell variable?)"],
      [["-n", "0"], "invalid value '0' for --count"],
      [["--orientation", "square"], "invalid value 'square' for --orientation"],
    ] as const
  ) {
    const r = await runCli(home, ["select", ...args]);
    assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assertStringIncludes(r.stderr, text);
  }
  const none = await runCli(home, ["select", "--min-width", "5000"]);
  assertEquals(none.code, 1);
  assertStringIncludes(none.stderr, "no image qualifies (width ≥ 5000)");
});

Deno.test("varietal select --outputs 2 and --similar-to IMAGE", async () => {
  await using home = await tempHome();
  const paths = await fill(home, 6);
  const r = await runCli(home, ["select", "--outputs", "2", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.json<JsonPick[]>().map((p) => p.output), ["output-1", "output-2"]);
  const both = await runCli(home, ["select", "--outputs", "2", "-n", "3"]);
  assertEquals([both.code, both.stdout], [2, ""]);
  assertStringIncludes(both.stderr, "--count (-n) cannot be combined with --outputs");
  const s = await runCli(home, ["select", "--similar-to", paths[1], "--json", "-n", "6"]);
  assertEquals(s.code, 0, s.stderr);
  const picks = s.json<JsonPick[]>();
  assert(picks.every((p) => typeof p.factors.similarity === "number"));
  const top = picks.filter((p) => p.factors.similarity === 1).map((p) => p.path).sort();
  // Identical palettes score 1; the image itself is never picked (more like it, not it).
  assertEquals(top, paths.filter((_, i) => i % 2 === 1 && i !== 1).sort());
  assertEquals(picks.length, 5, s.stderr);
  assert(!picks.some((p) => p.path === paths[1]));
  const missing = await runCli(home, ["select", "--similar-to", `${home.home}/nope.jpg`]);
  assertEquals(missing.code, 1);
  assertEquals(
    missing.stderr.trim(),
    `varietal: --similar-to: cannot read ${home.home}/nope.jpg: no such file`,
  );
  // A name whose bytes were not UTF-8 (Deno hands them over as U+FFFD) is said so, as elsewhere.
  const latin1 = await runCli(home, ["select", "--similar-to", `${home.home}/caf\uFFFD.jpg`]);
  assertEquals(latin1.code, 1);
  assertStringIncludes(latin1.stderr, "no such file under this name (is it not in UTF-8?");
  const folder = await runCli(home, ["select", "--similar-to", home.home]);
  assertEquals(folder.code, 1);
  assertEquals(
    folder.stderr.trim(),
    `varietal: --similar-to: ${home.home} is not a file; give an image file or 'current'`,
  );
});

Deno.test("varietal favorite/ban/unban act on a path or the current wallpaper", async () => {
  await using home = await tempHome();
  const paths = await fill(home, 3);
  {
    using db = await Database.open(home.database);
    recordShows(db, [{ imageId: getImageByPath(db, paths[2])!.id, shownAt: Date.now() }]);
  }
  const fav = await runCli(home, ["favorite"]);
  assertEquals(fav.code, 0, fav.stderr);
  assertStringIncludes(fav.stdout, paths[2]);
  const ban = await runCli(home, ["ban", paths[0], "--json"], { cwd: home.home });
  assertEquals(ban.code, 0, ban.stderr);
  assertEquals(ban.json(), [{ path: paths[0], favorite: false, banned: true }]);
  const rel = await runCli(home, ["ban", "walls/1.jpg"], { cwd: home.home });
  assertEquals(rel.code, 0, rel.stderr);
  {
    using db = await Database.open(home.database);
    assert(getImageByPath(db, paths[2])!.favorite);
    assert(getImageByPath(db, paths[0])!.banned);
    assert(getImageByPath(db, paths[1])!.banned);
  }
  const sel = await runCli(home, ["select", "-n", "3"]);
  assertEquals(sel.stdout.trim(), paths[2], "banned images are never selected");
  assertStringIncludes(sel.stderr, "only 1 of 3");
  await runCli(home, ["unban", paths[0]]);
  await runCli(home, ["unfavorite", "current"]);
  {
    using db = await Database.open(home.database);
    assert(!getImageByPath(db, paths[0])!.banned);
    assert(!getImageByPath(db, paths[2])!.favorite);
  }
  await Deno.remove(paths[1]);
  const gone = await runCli(home, ["unban", "walls/../walls/1.jpg"], { cwd: home.home });
  assertEquals(gone.code, 0, `a vanished file is found by its path: ${gone.stderr}`);
  // favorite would index an image outside the collection, but this is no image.
  const outside = await runCli(home, ["favorite", "/etc/hostname"]);
  assertEquals(outside.code, 1);
  assertStringIncludes(outside.stderr, "/etc/hostname: not an image varietal can show");
  const unfav = await runCli(home, ["unfavorite", "/etc/hostname"]);
  assertEquals(unfav.code, 1);
  assertStringIncludes(unfav.stderr, "/etc/hostname is not in the collection");
  // A path that names no file (a typo) is said as such, not as a file to add.
  const typo = await runCli(home, ["unfavorite", `${home.home}/walls/nope.jpg`]);
  assertEquals(typo.code, 1);
  assertStringIncludes(typo.stderr, `${home.home}/walls/nope.jpg: no such file`);
});

Deno.test("varietal favorite of a banned image, and ban of a favourite, say that banned wins", async () => {
  await using home = await tempHome();
  const paths = await fill(home, 2);
  assertEquals((await runCli(home, ["ban", paths[0]])).code, 0);
  const fav = await runCli(home, ["favorite", paths[0], "--json"]);
  assertEquals(fav.code, 0, fav.stderr);
  assertEquals(fav.json(), [{ path: paths[0], favorite: true, banned: true }]);
  assertEquals(
    fav.stderr.trim(),
    `varietal: ${
      paths[0]
    } is banned, so it is still never shown; 'varietal unban' it to let it come back`,
  );
  assertEquals((await runCli(home, ["favorite", paths[1]])).stderr, "", "no note without a clash");
  const ban = await runCli(home, ["ban", paths[1]]);
  assertEquals(ban.code, 0, ban.stderr);
  assertStringIncludes(ban.stderr, `${paths[1]} is a favourite; banned, it is never shown`);
  const sel = await runCli(home, ["select", "-n", "2"]);
  assertEquals(sel.code, 1, "both are banned: nothing qualifies");
});

Deno.test("varietal favorite current fails clearly when nothing was shown", async () => {
  await using home = await tempHome();
  await fill(home, 1);
  const r = await runCli(home, ["favorite"]);
  assertEquals(r.code, 1);
  assertStringIncludes(r.stderr, "there is no current wallpaper yet");
});

Deno.test("varietal select --similar-to extracts the palette of an image outside the collection", async () => {
  await using home = await tempHome();
  await fill(home, 4);
  const outside = await writeImage(`${home.root}/dark-blue.png`, {
    width: 64,
    height: 48,
    colors: [0x0a1830, 0x102040, 0x203868],
  });
  const r = await runCli(home, ["select", "--similar-to", outside, "--json", "-n", "4"], {
    env: { PATH: "/nonexistent" },
  });
  assertEquals(r.code, 0, r.stderr);
  const picks = r.json<JsonPick[]>();
  assertEquals(picks.length, 4);
  for (const p of picks) assert(p.factors.similarity > 0 && p.factors.similarity <= 1);
  const best = picks.reduce((a, b) => (b.factors.similarity > a.factors.similarity ? b : a));
  assert(best.path.endsWith("0.jpg") || best.path.endsWith("2.jpg"), "a dark palette is closest");
});

Deno.test("varietal select --explain prints this exact layout", async () => {
  await using home = await tempHome();
  const paths = await fill(home, 1);
  {
    using db = await Database.open(home.database);
    db.prepare("UPDATE images SET favorite = 1").run();
  }
  const r = await runCli(home, ["select", "--explain", "--seed", "7"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(
    r.stdout,
    [
      "seed 7 (repeat this draw with --seed 7)",
      `1. ${paths[0]}`,
      "   never shown, favourite",
      "   recency      1.000",
      "   unseen       2.000",
      "   source       1.000",
      "   times_shown  1.000",
      "   favorite     3.000",
      "   weight       6.000",
      "",
    ].join("\n"),
  );
});

Deno.test("varietal select's min-size hint counts only the folders of the draw", async () => {
  await using home = await tempHome();
  const paths = await fill(home, 3);
  const icons = `${home.home}/icons`;
  await Deno.mkdir(icons);
  await Deno.writeFile(`${icons}/tiny.png`, new Uint8Array([0x89]));
  {
    using db = await Database.open(home.database);
    const { source } = addSource(db, icons);
    insertImage(db, {
      path: `${icons}/tiny.png`,
      source_id: source.id,
      size: 1,
      mtime: 0,
      width: 64,
      height: 64,
      format: "png",
    }, Date.now());
  }
  await home.writeConfig(`[groups]\nwalls = ["${home.home}/walls"]\n`);
  // The small image is outside the group: the explanation does not count it…
  const explained = await runCli(home, ["select", "--group", "walls", "--explain"]);
  assertEquals(explained.code, 0, explained.stderr);
  assert(!explained.stdout.includes("smaller image"), explained.stdout);
  // …and when nothing of the group qualifies, the minimum size is not blamed.
  assertEquals((await runCli(home, ["ban", ...paths])).code, 0);
  const none = await runCli(home, ["select", "--group", "walls"]);
  assertEquals(none.code, 1);
  assert(!none.stderr.includes("smaller than"), none.stderr);
  assertStringIncludes(none.stderr, "no image qualifies (group walls: 1 folder(s))");
  // Without the group the small image is in the draw and the hint names it.
  const all = await runCli(home, ["select"]);
  assertEquals(all.code, 1);
  assertStringIncludes(all.stderr, "1 image(s) are smaller than 640 × 480");
  // A square icon is no portrait: another orientation would not bring it back either.
  const portrait = await runCli(home, ["select", "--orientation", "portrait"]);
  assertEquals(portrait.code, 1);
  assert(!portrait.stderr.includes("smaller than"), portrait.stderr);
  const landscape = await runCli(home, ["select", "--orientation", "landscape"]);
  assertStringIncludes(landscape.stderr, "1 image(s) are smaller than 640 × 480");
});

Deno.test("varietal select names what really limited the draw", async () => {
  await using home = await tempHome();
  await fill(home, 4); // every image has a palette, alternately dark and light
  // Fewer images than asked for: not blamed on the size limit.
  const many = await runCli(home, ["select", "-n", "10"]);
  assertEquals(many.code, 0, many.stderr);
  assertStringIncludes(
    many.stderr,
    "only 4 of 10 requested image(s) can be drawn (in force: width ≥ 640, height ≥ 480)",
  );
  // A colour constraint nothing matches, with every palette there: not "run extract".
  const hue = await runCli(home, ["select", "--dark", "--min-saturation", "0.99"]);
  assertEquals(hue.code, 1);
  assertStringIncludes(hue.stderr, "no palette matches the colour constraints: relax them");
  assert(!hue.stderr.includes("extract"), hue.stderr);
  // With images lacking a palette, it says how many and what to run.
  const dir = `${home.home}/walls`;
  await Deno.writeFile(`${dir}/new.jpg`, new Uint8Array([0xff, 0xd8]));
  {
    using db = await Database.open(home.database);
    const sourceId = getImageByPath(db, `${dir}/0.jpg`)!.source_id;
    insertImage(db, {
      path: `${dir}/new.jpg`,
      source_id: sourceId,
      size: 2,
      mtime: 0,
      width: 1920,
      height: 1080,
      format: "jpeg",
    }, Date.now());
  }
  const missing = await runCli(home, ["select", "--dark", "--min-saturation", "0.99"]);
  assertStringIncludes(missing.stderr, "1 image(s) have no palette yet");
  assertStringIncludes(missing.stderr, "run 'varietal extract'");
  // One that failed to decode is left out of draws and of extract: not counted, not "run extract".
  {
    using db = await Database.open(home.database);
    const { markDecodeFailed } = await import("../../src/db/decode_failures.ts");
    const id = getImageByPath(db, `${dir}/new.jpg`)!.id;
    markDecodeFailed(db, id, { at: 1, size: 2, mtime: 0, pixels: null, reason: "cut off" });
  }
  const failed = await runCli(home, ["select", "--dark", "--min-saturation", "0.99"]);
  assertEquals(failed.code, 1);
  assertStringIncludes(failed.stderr, "no palette matches the colour constraints: relax them");
  // A minimum size given as a flag: the hint is about the flag, not about giving it.
  const big = await runCli(home, ["select", "--min-width", "99999"]);
  assertEquals(big.code, 1);
  assertStringIncludes(big.stderr, "lower --min-width/--min-height (0 disables)");
  assert(!big.stderr.includes("or give --min-width"), big.stderr);
});

Deno.test("varietal unban of an image that is not banned says nothing changed", async () => {
  await using home = await tempHome();
  const [a] = await fill(home, 2);
  const r = await runCli(home, ["unban", a]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout.trim(), `${a}: was not banned (nothing changed)`);
  assertEquals((await runCli(home, ["ban", a])).stdout.trim(), `Banned: ${a}`);
  const again = await runCli(home, ["ban", a]);
  assertEquals(again.stdout.trim(), `${a}: already banned (nothing changed)`);
});

Deno.test("a [groups] entry that is a mistyped subfolder or a file is named in a warning", async () => {
  await using home = await tempHome();
  const [first] = await fill(home, 3);
  const walls = `${home.home}/walls`;
  await Deno.mkdir(`${walls}/real`);
  await home.writeConfig(
    `[groups]\ntypo = [${JSON.stringify(`${walls}/raal`)}]\n` +
      `file = [${JSON.stringify(first)}]\nok = [${JSON.stringify(`${walls}/real`)}]\n`,
  );
  for (const [group, entry] of [["typo", `${walls}/raal`], ["file", first]]) {
    const r = await runCli(home, ["select", "--group", group]);
    assertEquals(r.code, 1, r.stderr);
    assertStringIncludes(
      r.stderr,
      `group ${group}: ${entry} is inside a wallpaper folder but is no folder`,
    );
  }
  // A real subfolder with no image in it is no mistake: no such warning.
  const ok = await runCli(home, ["select", "--group", "ok"]);
  assert(!ok.stderr.includes("is no folder"), ok.stderr);
});

Deno.test("select and next with every image banned say so, and how to bring one back", async () => {
  await using home = await tempHome();
  const paths = await fill(home, 2);
  for (const p of paths) assertEquals((await runCli(home, ["ban", p])).code, 0);
  await picksNothingSaying(
    home,
    "all 2 image(s) there are banned: 'varietal unban PATH' brings one back",
  );
});

Deno.test("select on folders added but not scanned says to scan; on folders that hold none, says so", async () => {
  await using home = await tempHome();
  const walls = `${home.home}/walls`, empty = `${home.home}/empty`, more = `${home.home}/more`;
  await writeImage(`${walls}/a.jpg`, { width: 16, height: 9, colors: [0x336699] });
  await Deno.mkdir(empty);
  // No folder at all: what next says, add one (not "relax the constraints").
  const nothing = await runCli(home, ["select"]);
  assertEquals(nothing.code, 1);
  assertStringIncludes(nothing.stderr, "the collection is empty; add a folder with");
  // Added with 'sources add', or listed in config.toml, and not scanned: scan, not "add".
  assertEquals((await runCli(home, ["sources", "add", walls])).code, 0);
  await home.writeConfig(`[[sources]]\npath = "~/more"\n`);
  await writeImage(`${more}/b.jpg`, { width: 16, height: 9, colors: [0x993366] });
  const unscanned = await runCli(home, ["select", "--dark"]);
  assertEquals(unscanned.code, 1);
  assertEquals(
    unscanned.stderr,
    "varietal: no image indexed yet: run 'varietal scan' (2 folder(s) added, not scanned)\n",
  );
  // Scanned, and the only folder in the draw holds no images: it is named.
  await home.writeConfig("");
  assertEquals((await runCli(home, ["sources", "remove", walls])).code, 0);
  assertEquals((await runCli(home, ["sources", "add", empty])).code, 0);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  const none = await runCli(home, ["select"]);
  assertEquals(none.code, 1);
  assertEquals(
    none.stderr,
    `varietal: no image indexed: the folder(s) added hold no images (${empty}); add one that ` +
      "does with 'varietal sources add DIR'\n",
  );
  // A folder of the draw is offline (its images kept): that is what to fix, not the empty one.
  assertEquals((await runCli(home, ["sources", "add", more])).code, 0);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  await Deno.remove(`${more}/b.jpg`);
  const offline = await runCli(home, ["select"]);
  assertEquals(offline.code, 1);
  assertStringIncludes(offline.stderr, "bring the offline source(s) back");
  assert(!offline.stderr.includes("hold no images"), offline.stderr);
});

Deno.test("next with images only in a disabled folder and another added, not scanned, says to scan", async () => {
  await using home = await tempHome();
  await fill(home, 2);
  const walls = `${home.home}/walls`, more = `${home.home}/more`;
  await writeImage(`${more}/b.jpg`, { width: 16, height: 9, colors: [0x993366] });
  for (const args of [["sources", "disable", walls], ["sources", "add", more]]) {
    assertEquals((await runCli(home, args)).code, 0);
  }
  await picksNothingSaying(
    home,
    "no image indexed yet: run 'varietal scan' (1 folder(s) added, not scanned)",
  );
});

Deno.test("select and next with every source disabled say so, whatever the constraints", async () => {
  await using home = await tempHome();
  await fill(home, 2);
  assertEquals((await runCli(home, ["sources", "disable", `${home.home}/walls`])).code, 0);
  await picksNothingSaying(
    home,
    "every source is disabled: 'varietal sources enable DIR' turns one on again",
    [["select", "--light"]],
  );
});

Deno.test("select --group whose folder is missing does not blame disabled folders elsewhere", async () => {
  await using home = await tempHome();
  await fill(home, 3); // ~/walls, enabled
  const old = `${home.home}/old`;
  await Deno.mkdir(old);
  {
    using db = await Database.open(home.database);
    const { source } = addSource(db, old);
    db.prepare("UPDATE sources SET enabled = 0 WHERE id = ?").run(source.id);
  }
  await home.writeConfig(`[groups]\nnature = ["~/walls/Nature"]\nattic = ["~/old"]\n`);
  const missing = await runCli(home, ["select", "--group", "nature"]);
  assertEquals(missing.code, 1);
  assertStringIncludes(missing.stderr, "is inside a wallpaper folder but is no folder");
  assert(!missing.stderr.includes("are disabled"), missing.stderr);
  // A group whose folder is disabled says so.
  const attic = await runCli(home, ["select", "--group", "attic"]);
  assertEquals(attic.code, 1);
  assertStringIncludes(attic.stderr, "the sources of group attic are disabled");
});
