// Issue 11 §8: config-file and command sources in one list with their
// origin; `sources remove` of a config-file source refuses and says where to
// remove it; doctor fails for a configured folder that does not exist.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, type TempHome, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { Database } from "../../src/db/database.ts";
import { getImageByPath } from "../../src/db/images.ts";

interface ListedSource {
  path: string;
  origin: string;
  config_file: string | null;
  config_path: string | null;
  status: string;
  reason: string | null;
  images: number;
  last_scanned_at: unknown;
}

Deno.test("a config.toml folder that goes offline is a note once, exit 0; one never found is an error", async () => {
  await using home = await tempHome();
  const drive = `${home.root}/drive/pics`;
  await writeImage(`${drive}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await home.writeConfig(`[[sources]]\npath = "${drive}"\n`);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  await Deno.rename(`${home.root}/drive`, `${home.root}/drive.away`); // unplugged
  const json = await runCli(home, ["scan", "--json"]);
  assertEquals(json.code, 0, json.stderr);
  const r = json.json<{ errors: unknown[]; offline: { path: string }[] }>();
  assertEquals([r.errors, r.offline.map((o) => o.path)], [[], [drive]]);
  const text = await runCli(home, ["scan"]);
  assertEquals(text.code, 0);
  assertEquals(text.stderr.split("\n").filter((l) => l.includes(drive)).length, 1, text.stderr);
  assertEquals((await runCli(home, ["scan", "-q"])).stderr, "");
  // A folder the collection never had (a typo) stays an error.
  await home.writeConfig(`[[sources]]\npath = "${drive}"\n[[sources]]\npath = "~/Picturs"\n`);
  const typo = await runCli(home, ["scan", "--json"]);
  assertEquals(typo.code, 1);
  assertStringIncludes(JSON.stringify(typo.json<{ errors: unknown[] }>().errors), "Picturs");
  // Said as the entry it is, where other folders are there too.
  const said = await runCli(home, ["scan"]);
  assertStringIncludes(
    said.stderr,
    "varietal: [[sources]] ~/Picturs in config.toml: folder not found; check the path\n",
  );
});

Deno.test("config-file and command sources are listed together, each with where it comes from", async () => {
  await using home = await tempHome();
  const fromFile = `${home.home}/Pictures/Wallpapers`;
  const byHand = `${home.root}/extra`;
  await writeImage(`${fromFile}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await writeImage(`${byHand}/b.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  await home.writeConfig(
    `[[sources]]\npath = "~/Pictures/Wallpapers"\n\n[[sources]]\npath = "~/NAS/walls"\n`,
  );
  assertEquals((await runCli(home, ["sources", "add", byHand])).code, 0);

  // Before any scan, the config's folders are listed too (one does not exist).
  const before = (await runCli(home, ["sources", "list", "--json"])).json<ListedSource[]>();
  const byPath = (l: ListedSource[]) => Object.fromEntries(l.map((s) => [s.path, s]));
  const b = byPath(before);
  assertEquals(b[byHand].origin, "command");
  assertEquals(b[byHand].config_file, null);
  assertEquals(b[fromFile].origin, "config");
  assertEquals(b[fromFile].config_path, "~/Pictures/Wallpapers");
  assertEquals(b[fromFile].config_file, home.configFile);
  const nas = b[`${home.home}/NAS/walls`];
  assertEquals([nas.origin, nas.status], ["config", "offline"]);
  assertStringIncludes(nas.reason!, "not found");

  assertEquals((await runCli(home, ["scan"])).code, 1, "the NAS folder is reported");
  const after = byPath((await runCli(home, ["sources", "list", "--json"])).json<ListedSource[]>());
  assertEquals([after[fromFile].origin, after[fromFile].images], ["config", 1]);
  // Times in ms since the epoch, as every --json of varietal gives them.
  const scanned = after[fromFile].last_scanned_at;
  assert(typeof scanned === "number" && Math.abs(scanned - Date.now()) < 600_000, String(scanned));
  const text = await runCli(home, ["sources", "list"]);
  assertStringIncludes(text.stdout, "config ");
  assertStringIncludes(text.stdout, "command");
  assertStringIncludes(text.stdout, home.configFile);

  // config show names every folder in use, not `sources = []`-style silence.
  await home.writeConfig(`[[sources]]\npath = "~/Pictures/Wallpapers"\n`);
  const show = await runCli(home, ["config", "show"]);
  assertEquals(show.code, 0, show.stderr);
  assertStringIncludes(show.stdout, `${byHand}  (added with 'varietal sources add'`);
  assertStringIncludes(show.stdout, `${fromFile}  ([[sources]] below)`);
  const json = (await runCli(home, ["config", "show", "--json"])).json<
    { sources_in_use: { path: string; origin: string }[] }
  >();
  assertEquals(
    json.sources_in_use.map((s) => [s.path, s.origin]).sort(),
    [[byHand, "command"], [fromFile, "config"]].sort(),
  );
  await home.writeConfig("");
  const noFile = await runCli(home, ["config", "show"]);
  assert(!/^sources = \[\]/m.test(noFile.stdout), noFile.stdout);
  assertStringIncludes(noFile.stdout, byHand);
});

Deno.test("sources remove refuses a config-file source and says how to remove it", async () => {
  await using home = await tempHome();
  const walls = `${home.home}/walls`;
  await writeImage(`${walls}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await home.writeConfig(`[[sources]]\npath = "~/walls"\n`);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  const rm = await runCli(home, ["sources", "remove", walls]);
  assertEquals(rm.code, 1);
  assertStringIncludes(rm.stderr, `is listed in ${home.configFile}`);
  assertStringIncludes(rm.stderr, 'path = "~/walls"');
  assertStringIncludes(rm.stderr, "delete that [[sources]] entry there, then run");
  // (`enabled = false` would not do: the folder is still listed.)
  assert(!rm.stderr.includes("enabled = false"), rm.stderr);
  const still = (await runCli(home, ["sources", "list", "--json"])).json<ListedSource[]>();
  assertEquals(still.map((s) => [s.path, s.images]), [[walls, 1]], "nothing was removed");

  // Once the entry is gone from config.toml, remove works.
  await home.writeConfig("");
  const ok = await runCli(home, ["sources", "remove", walls]);
  assertEquals(ok.code, 0, ok.stderr);
  assertStringIncludes(ok.stdout, `Removed ${walls}`);
  assertEquals((await runCli(home, ["scan", "--json"])).code, 1, "no folders left");
});

Deno.test("doctor fails for a configured folder that does not exist", async () => {
  await using home = await tempHome();
  await home.writeConfig(`[[sources]]\npath = "~/Pictures/Gone"\n`);
  const r = await runCli(home, ["doctor", "--json"]);
  const sources = r.json<{ checks: { name: string; status: string; detail: string }[] }>()
    .checks.find((c) => c.name === "sources")!;
  assertEquals(sources.status, "error");
  assertStringIncludes(sources.detail, "~/Pictures/Gone (config.toml)");
  assertStringIncludes(sources.detail, "not found");
  assertEquals(r.code, 1);
});

Deno.test("sources add/enable/disable of a folder already so say what it is and what changed", async () => {
  await using home = await tempHome();
  const dir = `${home.home}/walls`;
  await Deno.mkdir(dir, { recursive: true });
  const out = async (...args: string[]) => {
    const r = await runCli(home, ["sources", ...args]);
    assertEquals(r.code, 0, r.stderr);
    return r.stdout.trim();
  };
  await out("add", dir);
  assertEquals(await out("disable", dir), `Disabled ${dir}`);
  assertEquals(await out("disable", dir), `Already disabled: ${dir}`);
  assertEquals(
    await out("add", "--order", "sequential", dir),
    `Already a source: ${dir} (its order is now sequential; it is disabled: ` +
      `'varietal sources enable ${dir}' turns it on)`,
  );
  assertEquals(await out("enable", dir), `Enabled ${dir}`);
  assertEquals(await out("enable", dir), `Already enabled: ${dir}`);
  assertEquals(await out("add", dir), `Already a source: ${dir}`);
});

Deno.test("sources add --no-recursive of a folder already added recursively says it stays recursive", async () => {
  await using home = await tempHome();
  const dir = `${home.home}/walls`;
  await Deno.mkdir(dir, { recursive: true });
  assertEquals((await runCli(home, ["sources", "add", dir])).code, 0);
  const again = await runCli(home, ["sources", "add", "--no-recursive", dir]);
  assertEquals(again.code, 0, again.stderr);
  assertStringIncludes(again.stdout, `Already a source: ${dir}`);
  assertStringIncludes(again.stderr, `${dir} is already a source and stays recursive`);
  const listed = (await runCli(home, ["sources", "list", "--json"])).json<
    { recursive: boolean }[]
  >();
  assertEquals(listed.map((s) => s.recursive), [true]);
  // Adding it again as it is needs no note.
  const same = await runCli(home, ["sources", "add", dir]);
  assertEquals(same.stderr, "");
});

Deno.test("config show says the single files came one by one, not from 'sources add'", async () => {
  await using home = await tempHome();
  const image = await writeImage(`${home.home}/loose.png`, {
    width: 64,
    height: 48,
    colors: [COLORS.red, COLORS.blue],
  });
  const shown = await runCli(home, ["next", "--setter", "none", "--no-theme", "--image", image]);
  assertEquals(shown.code, 0, shown.stderr);
  const show = await runCli(home, ["config", "show"]);
  assertEquals(show.code, 0, show.stderr);
  const line = show.stdout.split("\n").find((l) => l.includes("(single files)"));
  assert(line, show.stdout);
  assertStringIncludes(line, "images given one by one");
  assert(!line.includes("sources add"), line);
});

Deno.test("sources remove of the folder on screen says that current and prev forget it", async () => {
  await using home = await tempHome();
  const shown = `${home.root}/shown`, other = `${home.root}/other`;
  await writeImage(`${shown}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await writeImage(`${other}/b.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  assertEquals((await runCli(home, ["sources", "add", shown, other])).code, 0);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  const next = await runCli(home, ["next", "--setter", "none", "--image", `${shown}/a.png`]);
  assertEquals(next.code, 0, next.stderr);

  // Another folder: no word about the screen.
  const quiet = await runCli(home, ["sources", "remove", other]);
  assertEquals([quiet.code, quiet.stderr], [0, ""]);
  const rm = await runCli(home, ["sources", "remove", shown, "--json"]);
  assertEquals(rm.code, 0, rm.stderr);
  assertEquals(rm.json<{ path: string; images: number }[]>()[0].images, 1);
  assertStringIncludes(
    rm.stderr,
    `the wallpaper on screen, ${shown}/a.png, was in a removed folder`,
  );
  assertStringIncludes(rm.stderr, "'current' and 'prev' no longer know it");
  assertEquals(rm.stderr.trim().split("\n").length, 1);
});

Deno.test("a [[sources]] entry deleted from config.toml is disabled at the next scan, its history kept", async () => {
  await using home = await tempHome();
  const walls = `${home.root}/walls`;
  const pic = await writeImage(`${walls}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await home.writeConfig(
    `[selection]\nmin_width = 0\nmin_height = 0\n[[sources]]\npath = "${walls}"\n`,
  );
  assertEquals((await runCli(home, ["scan"])).code, 0);
  const next = await runCli(home, ["next", "--setter", "none", "--no-theme"]);
  assertEquals(next.code, 0, next.stderr);

  await home.writeConfig(`[selection]\nmin_width = 0\nmin_height = 0\n`);
  const scan = await runCli(home, ["scan"]);
  assertStringIncludes(
    scan.stderr,
    `${walls} is no longer a [[sources]] entry in config.toml: disabled, its images and history kept`,
  );
  const listed = (await runCli(home, ["sources", "list", "--json"])).json<ListedSource[]>();
  const row = listed.find((s) => s.path === walls)!;
  assertEquals([row.origin, row.status, row.images], ["command", "disabled", 1]);
  const select = await runCli(home, ["select", "--json"]);
  assertEquals(select.code, 1, "nothing left to draw");
  const history = (await runCli(home, ["history", "--json"])).json<{ path: string }[]>();
  assertEquals(history.map((h) => h.path), [pic]);
  // Said once; 'sources enable' keeps it as a folder of the user's own.
  assertEquals((await runCli(home, ["scan"])).stderr.includes("no longer"), false);
  assertEquals((await runCli(home, ["sources", "enable", walls])).code, 0);
  assertEquals((await runCli(home, ["scan"])).stderr.includes("no longer"), false);
  assertEquals((await runCli(home, ["select", "--json"])).code, 0);
});

Deno.test("a folder added by hand that config.toml also lists stays yours, enabled, when the entry goes", async () => {
  await using home = await tempHome();
  const walls = `${home.root}/walls`;
  await writeImage(`${walls}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  const base = `[selection]\nmin_width = 0\nmin_height = 0\n`;
  const entry = `[[sources]]\npath = "${walls}"\n`;
  const listed = async () =>
    (await runCli(home, ["sources", "list", "--json"])).json<ListedSource[]>()
      .map((s) => [s.origin, s.status]);
  await home.writeConfig(base);
  assertEquals((await runCli(home, ["sources", "add", walls])).code, 0);
  await home.writeConfig(base + entry);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  assertEquals(await listed(), [["config", "online"]]);
  await home.writeConfig(base);
  const scan = await runCli(home, ["scan"]);
  assertEquals(scan.code, 0, scan.stderr);
  assertEquals(scan.stderr.includes("no longer"), false, scan.stderr);
  assertEquals(await listed(), [["command", "online"]]);
  assertEquals((await runCli(home, ["select", "--json"])).code, 0);
  // And so is one the file dropped that the user enabled again.
  await home.writeConfig(base + entry);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  await home.writeConfig(base);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  assertEquals(await listed(), [["command", "online"]]);
});

Deno.test("a disabled [[sources]] entry whose folder is gone does not fail scan or get dropped", async () => {
  await using home = await tempHome();
  const walls = `${home.root}/walls`;
  await writeImage(`${walls}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  const gone = `${home.root}/unplugged`;
  const both = `[[sources]]\npath = "${walls}"\n[[sources]]\npath = "${gone}"\nenabled = false\n`;
  await home.writeConfig(both);
  const scan = await runCli(home, ["scan", "--json"]);
  assertEquals(scan.code, 0, scan.stdout + scan.stderr);
  assertEquals(scan.json<{ errors: unknown[] }>().errors, []);
  // An enabled one that is gone is still an error.
  await home.writeConfig(both.replace("enabled = false\n", ""));
  const failing = await runCli(home, ["scan", "--json"]);
  assertEquals(failing.code, 1);
  assertStringIncludes(failing.stdout, gone);
});

Deno.test("sources remove of a subfolder (or a folder of symlinks) leaves images another source holds to it, marks and history kept", async () => {
  await using home = await tempHome();
  const walls = `${home.root}/walls`, sub = `${walls}/landscapes`, links = `${home.root}/links`;
  await writeImage(`${walls}/top.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await writeImage(`${sub}/lake.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  await writeImage(`${home.root}/elsewhere/own.png`, {
    width: 16,
    height: 9,
    colors: [COLORS.green],
  });
  await Deno.mkdir(links);
  await Deno.symlink(`${walls}/top.png`, `${links}/top-link.png`);
  await Deno.symlink(`${home.root}/elsewhere/own.png`, `${links}/own-link.png`);
  const ok = succeeds(home);
  await ok(["sources", "add", walls, sub, links]);
  await ok(["scan"]);
  await ok(["favorite", `${sub}/lake.png`]);
  await ok(["next", "--setter", "none", "--no-theme", "--image", `${sub}/lake.png`]);
  await ok(["ban", `${walls}/top.png`]);
  const rm = await ok(["sources", "remove", sub]);
  assertStringIncludes(
    rm.stdout,
    `forgot 0 images; 1 image stay with ${walls}, which holds them too`,
  );
  const links1 = await ok(["sources", "remove", links, "--json"]);
  // top.png (reached through a link) was walls' all along (its real path is there);
  // own.png is only in links: forgotten.
  const [j] = links1.json<{ images: number; kept_by: Record<string, number> }[]>();
  assertEquals([j.images, j.kept_by], [1, {}]);
  const scan = await ok(["scan", "--json"]);
  assertEquals(scan.json<{ added: number }>().added, 0, "nothing came back as new");
  {
    using db = await Database.open(home.database, { readOnly: true });
    assertEquals(getImageByPath(db, `${sub}/lake.png`)?.favorite, true);
    assertEquals(getImageByPath(db, `${walls}/top.png`)?.banned, true);
    assertEquals(getImageByPath(db, `${home.root}/elsewhere/own.png`), undefined);
  }
  const hist = await ok(["history", "--json"]);
  assertEquals(hist.json<{ path: string }[]>().map((h) => h.path), [`${sub}/lake.png`]);
  // The show of lake.png counts for walls now, which holds it.
  const listed = (await ok(["sources", "list", "--json"])).json<
    (ListedSource & { times_shown: number; last_shown_at: string | null })[]
  >();
  const w = listed.find((s) => s.path === walls)!;
  assertEquals([w.times_shown, w.last_shown_at !== null], [1, true]);
  using db = await Database.open(home.database, { readOnly: true });
  assertSummariesExact(db);
});

Deno.test("sources remove of a folder another source reaches through symlinks keeps those images, marks kept", async () => {
  await using home = await tempHome();
  const a = `${home.root}/a`, b = `${home.root}/b`;
  for (
    const [name, colors] of [["b1", [COLORS.red]], ["b2", [COLORS.blue]], ["b3", [COLORS.green]]]
  ) {
    await writeImage(`${b}/${name}.png`, { width: 16, height: 9, colors: colors as never });
  }
  await writeImage(`${b}/deep/b4.png`, { width: 16, height: 9, colors: [COLORS.teal] });
  await Deno.mkdir(a);
  await Deno.symlink("../b/b1.png", `${a}/b1-link.png`); // one file
  await Deno.symlink("../b/deep", `${a}/deep-link`); // a folder
  const ok = succeeds(home);
  await ok(["sources", "add", a, b]);
  await ok(["scan"]);
  await ok(["favorite", `${b}/b1.png`]);
  await ok(["ban", `${b}/deep/b4.png`]);
  await ok(["ban", `${b}/b2.png`]);
  const rm = await ok(["sources", "remove", b, "--json"]);
  const [j] = rm.json<{ images: number; kept_by: Record<string, number> }[]>();
  // b2 and b3 are reached by nothing else: forgotten.
  assertEquals([j.images, j.kept_by], [2, { [a]: 2 }]);
  const scan = await ok(["scan", "--json"]);
  assertEquals(scan.json<{ added: number }>().added, 0, "nothing came back as new");
  using db = await Database.open(home.database, { readOnly: true });
  assertEquals(getImageByPath(db, `${b}/b1.png`)?.favorite, true);
  assertEquals(getImageByPath(db, `${b}/deep/b4.png`)?.banned, true, "the ban is kept");
  assertEquals(getImageByPath(db, `${b}/b2.png`), undefined);
  assertSummariesExact(db);
});

Deno.test("a [[sources]] entry deleted from config.toml and put back is enabled again; one put back with enabled = false stays off", async () => {
  await using home = await tempHome();
  const walls = `${home.root}/walls`;
  await writeImage(`${walls}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  const base = `[selection]\nmin_width = 0\nmin_height = 0\n`;
  const entry = `[[sources]]\npath = "${walls}"\n`;
  const status = async () =>
    (await runCli(home, ["sources", "list", "--json"])).json<ListedSource[]>()
      .find((s) => s.path === walls)!.status;
  await home.writeConfig(base + entry);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  await home.writeConfig(base);
  // Its only folder disabled: nothing to scan, which is said (exit 1), not "Scanned 0".
  const none = await runCli(home, ["scan"]);
  assertEquals(none.code, 1);
  assertStringIncludes(
    none.stderr,
    "varietal: every wallpaper folder is disabled (1); enable one with 'varietal sources enable DIR'",
  );
  assertEquals(await status(), "disabled");
  await home.writeConfig(base + entry);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  assertEquals(await status(), "online");
  assertEquals((await runCli(home, ["select", "--json"])).code, 0);
  // A picture shown with next --image (a row of single files) is no folder to scan either.
  await home.writeConfig(base);
  const single = `${home.root}/elsewhere/z.png`;
  await writeImage(single, { width: 16, height: 9, colors: [COLORS.green] });
  const shown = await runCli(home, ["next", "--setter", "none", "--no-theme", "--image", single]);
  assertEquals(shown.code, 0, shown.stderr);
  assertStringIncludes(
    (await runCli(home, ["sources", "list"])).stdout,
    "(single files)",
  );
  assertEquals((await runCli(home, ["scan"])).code, 1);
  await home.writeConfig(base + entry);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  // Taken out again, then put back disabled: it stays disabled.
  await home.writeConfig(base);
  assertEquals((await runCli(home, ["scan"])).code, 1);
  await home.writeConfig(base + entry + "enabled = false\n");
  assertEquals((await runCli(home, ["scan"])).code, 1);
  assertEquals(await status(), "disabled");
});

Deno.test("sources move follows a renamed folder: marks, history and palettes kept, a scan's new rows merged", async () => {
  await using home = await tempHome();
  const old = `${home.root}/Desktop`, art = `${home.root}/DesktopArt`;
  await writeImage(`${old}/green.png`, { width: 16, height: 9, colors: [COLORS.green] });
  await writeImage(`${old}/sub/blue.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  const ok = succeeds(home);
  await ok(["sources", "add", old, `${old}/sub`]);
  await ok(["scan"]);
  await ok(["extract"]);
  await ok(["favorite", `${old}/green.png`]);
  await ok(["next", "--setter", "none", "--no-theme", "--image", `${old}/sub/blue.png`]);
  const refused = await runCli(home, ["sources", "move", old, art]);
  assertEquals(refused.code, 1);
  assertStringIncludes(
    refused.stderr,
    "DesktopArt: not found; move the folder on disk first (mv OLD NEW)",
  );
  await Deno.mkdir(art);
  const still = await runCli(home, ["sources", "move", old, art]);
  assertEquals(still.code, 1);
  assertStringIncludes(still.stderr, "is still there; move it on disk first");
  await Deno.remove(art);
  await Deno.rename(old, art);
  // The user added the new folder and scanned first: two rows per picture.
  await ok(["sources", "add", art]);
  const offline = await runCli(home, ["scan"]);
  assertEquals(offline.code, 0, "the old folders are offline: a note, not a failure");
  assertStringIncludes(offline.stderr, "'varietal sources move OLD NEW'");
  await ok(["next", "--setter", "none", "--no-theme", "--image", `${art}/green.png`]);
  const moved = await ok(["sources", "move", old, art, "--json"]);
  assertEquals(moved.json(), { from: old, to: art, images: 2, merged: 2, sources: 2 });
  const again = await ok(["scan", "--json"]);
  const report = again.json<{ added: number; missing: number }>();
  assertEquals([report.added, report.missing], [0, 0]);
  using db = await Database.open(home.database, { readOnly: true });
  const green = getImageByPath(db, `${art}/green.png`)!;
  const blue = getImageByPath(db, `${art}/sub/blue.png`)!;
  assertEquals([green.favorite, green.times_shown, blue.times_shown], [true, 1, 1]);
  const rows = db.raw.prepare("SELECT COUNT(*) AS n FROM images").get() as { n: number };
  assertEquals(rows.n, 2);
  const palettes = db.raw.prepare("SELECT COUNT(*) AS n FROM palettes").get() as { n: number };
  assertEquals(palettes.n, 2, "the old rows' palettes are kept");
  const history = (await ok(["history", "--json"])).json<{ path: string }[]>();
  assertEquals(history.map((h) => h.path), [`${art}/green.png`, `${art}/sub/blue.png`]);
  const listed = (await ok(["sources", "list", "--json"])).json<ListedSource[]>();
  assertEquals(listed.map((s) => s.path).sort(), [art, `${art}/sub`]);
});

Deno.test("sources move keeps the missing mark of a file that is gone, and only of that one", async () => {
  await using home = await tempHome();
  const old = `${home.root}/Old`, now = `${home.root}/New`;
  await writeImage(`${old}/kept.png`, { width: 16, height: 9, colors: [COLORS.green] });
  await writeImage(`${old}/gone.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  const ok = succeeds(home);
  await ok(["sources", "add", old]);
  await ok(["scan"]);
  await Deno.remove(`${old}/gone.png`);
  await ok(["scan"]); // marks it missing
  await Deno.rename(old, now);
  await ok(["sources", "move", old, now]);
  using db = await Database.open(home.database, { readOnly: true });
  assertEquals(getImageByPath(db, `${now}/kept.png`)!.missing_since, null);
  assert(getImageByPath(db, `${now}/gone.png`)!.missing_since !== null, "still missing");
});

/**
 * The summary tables and each source's show count and last show, against what the rows
 * of images and history say (no history was pruned: every show is a row).
 */
function assertSummariesExact(db: Database): void {
  const all = (sql: string) => db.raw.prepare(sql).all() as Record<string, unknown>[];
  assertEquals(
    all("SELECT source_id, images, favorites, banned, shown FROM stat_images ORDER BY 1"),
    all(
      `SELECT source_id, COUNT(*) AS images, SUM(favorite <> 0) AS favorites,
         SUM(banned <> 0) AS banned, SUM(last_shown_at IS NOT NULL) AS shown
       FROM images GROUP BY source_id ORDER BY 1`,
    ),
    "stat_images",
  );
  assertEquals(
    all("SELECT favorites, unseen, unseen_favorites FROM selection_summary"),
    all(
      `SELECT TOTAL(favorite = 1) AS favorites, TOTAL(last_shown_at IS NULL) AS unseen,
         TOTAL(favorite = 1 AND last_shown_at IS NULL) AS unseen_favorites FROM images`,
    ),
    "selection_summary",
  );
  assertEquals(
    all("SELECT n FROM image_count"),
    all("SELECT COUNT(*) AS n FROM images"),
    "image_count",
  );
  assertEquals(
    all(
      `SELECT i.id, i.times_shown, i.last_shown_at FROM images i ORDER BY i.id`,
    ),
    all(
      `SELECT i.id, COUNT(h.id) AS times_shown, MAX(h.shown_at) AS last_shown_at
       FROM images i LEFT JOIN history h ON h.image_id = i.id GROUP BY i.id ORDER BY i.id`,
    ),
    "images.times_shown and last_shown_at",
  );
  assertEquals(
    all("SELECT id, times_shown, last_shown_at FROM sources ORDER BY id"),
    all(
      `SELECT s.id, COUNT(h.id) AS times_shown, MAX(h.shown_at) AS last_shown_at
       FROM sources s LEFT JOIN images i ON i.source_id = s.id
         LEFT JOIN history h ON h.image_id = i.id
       GROUP BY s.id ORDER BY s.id`,
    ),
    "sources.times_shown and last_shown_at",
  );
}

/** Runs `varietal ARGS` in `home`, asserting exit 0 (naming the command and its stderr). */
function succeeds(home: TempHome) {
  return async (args: string[]) => {
    const r = await runCli(home, args);
    assertEquals(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    return r;
  };
}

Deno.test("sources move merging a row next --image made: its show counts for the folder, every summary exact", async () => {
  await using home = await tempHome();
  const art = `${home.root}/Art`, art2 = `${home.root}/Art2`;
  await writeImage(`${art}/Storm.jpg`, { width: 16, height: 9, colors: [COLORS.blue] });
  await writeImage(`${art}/Calm.jpg`, { width: 16, height: 9, colors: [COLORS.green] });
  const ok = succeeds(home);
  await ok(["sources", "add", art]);
  await ok(["scan"]);
  await ok(["next", "--setter", "none", "--no-theme", "--image", `${art}/Calm.jpg`]);
  await Deno.rename(art, art2);
  // Shown at its new place before the move: a row of the single files.
  await ok(["next", "--setter", "none", "--no-theme", "--image", `${art2}/Storm.jpg`]);
  const moved = await ok(["sources", "move", art, art2]);
  assertStringIncludes(moved.stdout, "2 images kept their");
  assertStringIncludes(moved.stdout, "(1 merged with rows already there)");
  assert(!moved.stdout.includes("a scan had made"), moved.stdout);
  const check = async () => {
    const listed = (await ok(["sources", "list", "--json"])).json<
      (ListedSource & { times_shown: number; last_shown_at: string | null })[]
    >();
    assertEquals(
      listed.map((s) => [s.path, s.images, s.times_shown, s.last_shown_at !== null]),
      [["(single files)", 0, 0, false], [art2, 2, 2, true]],
    );
    const stats = (await ok(["stats", "--json"])).json<{
      sources: { path: string; shown: number; times_shown: number; last_shown_at: number | null }[];
    }>();
    const folder = stats.sources.find((s) => s.path === art2)!;
    assertEquals([folder.shown, folder.times_shown], [2, 2]);
    using db = await Database.open(home.database, { readOnly: true });
    assertEquals(folder.last_shown_at, getImageByPath(db, `${art2}/Storm.jpg`)!.last_shown_at);
    assertSummariesExact(db);
  };
  await check();
  await ok(["scan"]);
  await check();
});

Deno.test("sources move into a folder a scan already indexed: the old folder's shows go with its images", async () => {
  await using home = await tempHome();
  const old = `${home.root}/Desk`, art = `${home.root}/DeskArt`;
  await writeImage(`${old}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await writeImage(`${old}/b.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  const ok = succeeds(home);
  await ok(["sources", "add", old]);
  await ok(["scan"]);
  await ok(["favorite", `${old}/a.png`]);
  await ok(["sources", "order", old, "shuffle"]);
  await ok(["next", "--setter", "none", "--no-theme", "--image", `${old}/a.png`]);
  await Deno.rename(old, art);
  await ok(["sources", "add", art]);
  assertEquals((await runCli(home, ["scan"])).code, 0, "the old folder is offline: a note");
  await ok(["next", "--setter", "none", "--no-theme", "--image", `${art}/b.png`]);
  const moved = await ok(["sources", "move", old, art, "--json"]);
  assertEquals(moved.json(), { from: old, to: art, images: 2, merged: 2, sources: 1 });
  const listed = (await ok(["sources", "list", "--json"])).json<
    (ListedSource & { times_shown: number; own_order: string | null })[]
  >();
  assertEquals(listed.map((s) => [s.path, s.images, s.times_shown]), [[art, 2, 2]]);
  assertEquals(listed[0].own_order, "shuffle", "the old folder's order goes with it too");
  using db = await Database.open(home.database, { readOnly: true });
  assertEquals(getImageByPath(db, `${art}/a.png`)?.favorite, true);
  assertSummariesExact(db);
});

Deno.test("scan with only unusable [[sources]] entries says what is wrong with them", async () => {
  await using home = await tempHome();
  for (
    const [path, why] of [
      ["/", "[[sources]] / in config.toml: the whole file system"],
      ["~/nope", "[[sources]] ~/nope in config.toml: folder not found"],
    ]
  ) {
    await home.writeConfig(`[[sources]]\npath = "${path}"\n`);
    const r = await runCli(home, ["scan"]);
    assertEquals(r.code, 1, r.stderr);
    assertStringIncludes(r.stderr, why);
  }
});

Deno.test("sources list says what is wrong with a config.toml entry no scan has reached", async () => {
  await using home = await tempHome();
  const file = `${home.root}/file.png`;
  await Deno.writeTextFile(file, "x");
  await home.writeConfig(
    `[[sources]]\npath = "~/nope"\n[[sources]]\npath = "/"\n[[sources]]\npath = "${file}"\n`,
  );
  const r = await runCli(home, ["sources", "list", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const got = r.json<ListedSource[]>().map((s) => [s.path, s.status, s.reason]);
  assertEquals(got, [
    ["/", "offline", "the whole file system; add the folders that hold your wallpapers"],
    [file, "offline", "not a folder; give the folder that holds the images"],
    [
      `${home.home}/nope`,
      "offline",
      "folder not found: check the path in config.toml (or plug in its drive)",
    ],
  ]);
});

Deno.test("sources disable hides a folder's pictures though another folder links to them", async () => {
  await using home = await tempHome();
  const a = `${home.root}/a`, b = `${home.root}/b`;
  await writeImage(`${a}/own.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await writeImage(`${b}/x.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  await Deno.symlink("../b", `${a}/link`);
  await home.writeConfig(`[selection]\nmin_width = 0\nmin_height = 0\n`);
  const ok = succeeds(home);
  await ok(["sources", "add", a, b]);
  await ok(["scan"]);
  const listed = async () =>
    (await ok(["sources", "list", "--json"])).json<ListedSource[]>()
      .map((s) => [s.path, s.images]);
  assertEquals(await listed(), [[a, 1], [b, 1]]);
  await ok(["sources", "disable", b]);
  await ok(["scan"]);
  const drawn = (await ok(["select", "-n", "5", "--json"])).json<{ path: string }[]>();
  assertEquals(drawn.map((p) => p.path), [`${a}/own.png`]);
});

Deno.test("a picture moved from one folder into another keeps its shows, counted for the new folder", async () => {
  await using home = await tempHome();
  const a = `${home.root}/A`, b = `${home.root}/B`;
  await writeImage(`${a}/sea.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  await writeImage(`${a}/sky.png`, { width: 16, height: 9, colors: [COLORS.teal] });
  await writeImage(`${b}/hill.png`, { width: 16, height: 9, colors: [COLORS.green] });
  const ok = succeeds(home);
  await ok(["sources", "add", a, b]);
  await ok(["scan"]);
  await ok(["next", "--setter", "none", "--no-theme", "--image", `${a}/sea.png`]);
  await Deno.rename(`${a}/sea.png`, `${b}/sea.png`);
  const scan = await ok(["scan", "--json"]);
  assertEquals(scan.json<{ moved: number }>().moved, 1);
  const listed = (await ok(["sources", "list", "--json"])).json<
    (ListedSource & { times_shown: number; last_shown_at: string | null })[]
  >();
  assertEquals(
    listed.map((s) => [s.path, s.images, s.times_shown, s.last_shown_at !== null]),
    [[a, 1, 0, false], [b, 2, 1, true]],
  );
  using db = await Database.open(home.database, { readOnly: true });
  assertSummariesExact(db);
});

Deno.test("sources add of a broken symlink or a loop says which, and a '-name' file gets a hint", async () => {
  await using home = await tempHome();
  await Deno.symlink(`${home.root}/nowhere`, `${home.root}/dangling`);
  await Deno.symlink(`${home.root}/loop2`, `${home.root}/loop1`);
  await Deno.symlink(`${home.root}/loop1`, `${home.root}/loop2`);
  const dangling = await runCli(home, ["sources", "add", `${home.root}/dangling`]);
  assertEquals(dangling.code, 1);
  assertEquals(
    dangling.stderr.trim(),
    `varietal: ${home.root}/dangling: a broken symlink (→ ${home.root}/nowhere); fix it or give the folder itself`,
  );
  const loop = await runCli(home, ["sources", "add", `${home.root}/loop1`]);
  assertEquals(loop.code, 1);
  assertStringIncludes(loop.stderr, `${home.root}/loop1: a symlink loop`);
  const dash = await runCli(home, ["favorite", "-leading.jpg"]);
  assertEquals(dash.code, 2);
  assertStringIncludes(dash.stderr, "write ./-leading.jpg or put -- before it");
});

Deno.test("[[sources]] enabled = false counts from the next command, before any scan", async () => {
  await using home = await tempHome();
  const a = `${home.root}/a`, b = `${home.root}/b`;
  await writeImage(`${a}/red.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await writeImage(`${b}/blue.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  const base = `[selection]\nmin_width = 0\nmin_height = 0\n[wallpaper]\nsetter = "none"\n`;
  await home.writeConfig(`${base}[[sources]]\npath = "${a}"\n[[sources]]\npath = "${b}"\n`);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  await home.writeConfig(
    `${base}[[sources]]\npath = "${a}"\nenabled = false\n[[sources]]\npath = "${b}"\n`,
  );
  for (let i = 0; i < 4; i++) {
    const r = await runCli(home, ["select", "-n", "2"]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout.trim().split("\n"), [`${b}/blue.png`]);
  }
  const next = await runCli(home, ["next", "--json"]);
  assertEquals(next.json<{ path: string }>().path, `${b}/blue.png`);
  const listed = await runCli(home, ["sources", "list", "--json"]);
  assertEquals(
    listed.json<{ path: string; status: string }[]>().map((x) => [x.path, x.status]),
    [[a, "disabled"], [b, "online"]],
  );
});

Deno.test("a config folder moved on disk and its entry edited: scan names the sources move that keeps its marks", async () => {
  await using home = await tempHome();
  const walls = `${home.root}/Walls`, moved = `${home.root}/My Wallpapers`;
  await writeImage(`${walls}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await writeImage(`${walls}/b.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  const base = `[selection]\nmin_width = 0\nmin_height = 0\n`;
  await home.writeConfig(`${base}[[sources]]\npath = "${walls}"\n`);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  assertEquals((await runCli(home, ["ban", `${walls}/a.png`])).code, 0);
  await Deno.rename(walls, moved);
  await home.writeConfig(`${base}[[sources]]\npath = "${moved}"\n`);
  const scan = await runCli(home, ["scan"]);
  assertEquals(scan.code, 0, scan.stderr);
  assertStringIncludes(
    scan.stderr,
    `varietal: ${walls}: no [[sources]] entry in config.toml leads there any more and the folder ` +
      `is gone: disabled, its images and history kept; if it moved to ${moved}, 'varietal ` +
      `sources move ${walls} '${moved}'' carries its favourites, bans and history over\n`,
  );
  const move = await runCli(home, ["sources", "move", walls, moved]);
  assertEquals(move.code, 0, move.stderr);
  using db = await Database.open(home.database);
  assertEquals(
    { ...db.prepare("SELECT banned FROM images WHERE path = ?").get(`${moved}/a.png`) },
    { banned: 1 },
  );
});

Deno.test("a [[sources]] entry set enabled = false, then true again, is enabled again; a sources disable lasts", async () => {
  await using home = await tempHome();
  const walls = `${home.root}/walls`;
  await writeImage(`${walls}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  const base = `[selection]\nmin_width = 0\nmin_height = 0\n[[sources]]\npath = "${walls}"\n`;
  const status = async () =>
    (await runCli(home, ["sources", "list", "--json"])).json<ListedSource[]>()
      .find((s) => s.path === walls)!.status;
  await home.writeConfig(base);
  assertEquals((await runCli(home, ["scan"])).code, 0);
  await home.writeConfig(base + "enabled = false\n");
  assertEquals((await runCli(home, ["scan"])).code, 1); // every folder disabled
  assertEquals(await status(), "disabled");
  // What the messages say to do works.
  await home.writeConfig(base + "enabled = true\n");
  assertEquals((await runCli(home, ["scan"])).code, 0);
  assertEquals(await status(), "online");
  // Turned off by command, it stays off while the file says nothing new.
  assertEquals((await runCli(home, ["sources", "disable", walls])).code, 0);
  assertEquals((await runCli(home, ["scan"])).code, 1);
  assertEquals(await status(), "disabled");
});
