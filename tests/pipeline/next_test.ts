// `varietal next`, `prev`, `current`, `history` as spawned processes.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_helpers/assert.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { fixture, historyRows } from "./_fixture.ts";
import { until } from "./_daemon_process.ts";
import { spawnCli } from "../_helpers/env.ts";

interface NextJson {
  path: string;
  palette: { background: string; colors: string[] } | null;
  recorded: boolean;
  kind: string;
  timings: Record<string, number>;
  shows: { path: string; output: string | null }[];
}

Deno.test("next sets, extracts, records and themes, printing stage timings", async () => {
  await using f = await fixture();
  const r = await f.cli(["next", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const j = r.json<NextJson>();
  assert(f.images.includes(j.path));
  assertEquals(j.kind, "new");
  assert(j.recorded);
  assertMatch(j.palette!.background, /^#[0-9a-f]{6}$/i);
  for (const stage of ["startup", "lock", "select", "set", "palette", "record", "theme", "total"]) {
    assert(typeof j.timings[stage] === "number", `no timing for ${stage}`);
  }
  assert(j.timings.startup > 0, "start-up: from the runtime's start to the pipeline's");
  assertEquals(await f.setterCalls(), [`${j.path}|`]);
  const probe = (await Deno.readTextFile(f.probe)).split("\n");
  assertEquals(probe[0], j.path);
  assertEquals(probe[1], j.palette!.background);
  using db = await f.openDb();
  const rows = historyRows(db);
  assertEquals(rows.map((x) => x.path), [j.path]);
  const img = db.prepare("SELECT times_shown FROM images WHERE path = ?").get(j.path) as {
    times_shown: number;
  };
  assertEquals(img.times_shown, 1);
  const text = await f.cli(["next", "--no-theme"]);
  assertEquals(text.code, 0, text.stderr);
  assert(f.images.includes(text.stdout.trim()), text.stdout);
});

Deno.test("next --dry-run changes nothing", async () => {
  await using f = await fixture();
  const r = await f.cli(["next", "--dry-run"]);
  assertEquals(r.code, 0, r.stderr);
  assert(f.images.includes(r.stdout.trim()));
  assertStringIncludes(r.stderr, "dry run");
  assertEquals(await f.setterCalls(), []);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 0);
  await Deno.stat(f.probe).then(() => assert(false, "theme rendered"), () => {});
});

Deno.test("next --image shows that image; prev and next browse history like a browser", async () => {
  await using f = await fixture();
  const [a, b, c] = f.images;
  for (const img of [a, b, c]) {
    const r = await f.cli(["next", "--image", img, "--no-theme"]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout.trim(), img);
  }
  const back1 = await f.cli(["prev"]);
  assertEquals([back1.code, back1.stdout.trim()], [0, b], back1.stderr);
  assertEquals((await Deno.readTextFile(f.probe)).split("\n")[0], b);
  assertEquals((await f.cli(["current"])).stdout.trim(), b);
  assertEquals((await f.cli(["prev"])).stdout.trim(), a);
  const none = await f.cli(["prev"]);
  assertEquals(none.code, 1);
  assertStringIncludes(none.stderr, "no earlier wallpaper");
  assertEquals((await f.cli(["next", "--no-theme"])).stdout.trim(), b);
  assertEquals((await f.cli(["next", "--no-theme"])).stdout.trim(), c);
  assertEquals((await f.cli(["current"])).stdout.trim(), c);
  using db1 = await f.openDb();
  assertEquals(historyRows(db1).length, 3, "browsing must not record shows");
  db1.close();
  const fresh = await f.cli(["next", "--no-theme"]);
  assertEquals(fresh.code, 0, fresh.stderr);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 4);
  const calls = (await f.setterCalls()).map((l) => l.split("|")[0]);
  assertEquals(calls.slice(0, 7), [a, b, c, b, a, b, c]);
  const hist = await f.cli(["history", "-n", "2", "--json"]);
  const entries = hist.json<{ path: string; shown_at: number; output: string | null }[]>();
  assertEquals(entries.length, 2);
  assertEquals(Object.keys(entries[0]).sort(), [
    "attribution",
    "output",
    "package",
    "path",
    "shown_at",
  ]);
  assertEquals((entries[0] as { attribution?: unknown }).attribution, null, "not a download");
  assertEquals((entries[0] as { package?: unknown }).package, null, "not a KDE package's");
  assertEquals(entries[0].path, fresh.stdout.trim());
  assertEquals(entries[1].path, c);
  assert(entries[0].shown_at > entries[1].shown_at);
});

Deno.test("browsing skips shows whose file is gone or whose image was banned, both ways", async () => {
  await using f = await fixture({ images: 5 });
  const [a, b, c, d, e] = f.images;
  for (const img of [a, b, c, d, e]) {
    assertEquals((await f.cli(["next", "--image", img, "--no-theme"])).code, 0);
  }
  // Back to b (over d and c), then c is moved away and d banned.
  assertEquals((await f.cli(["prev", "--steps", "3", "--no-theme"])).stdout.trim(), b);
  await Deno.rename(c, `${f.home.root}/c-moved.png`);
  assertEquals((await f.cli(["ban", d])).code, 0);
  // Forward goes to e, over both, as prev would.
  const fwd = await f.cli(["next", "--no-theme", "--json"]);
  assertEquals(fwd.code, 0, fwd.stderr);
  assertEquals(fwd.json<{ kind: string; path: string }>().path, e);
  assertEquals(fwd.json<{ kind: string }>().kind, "forward");
  // Back from e: b (c gone, d banned), then a; asked for more than there is, it says how many.
  assertEquals((await f.cli(["prev", "--no-theme"])).stdout.trim(), b);
  const many = await f.cli(["prev", "--steps", "5", "--no-theme"]);
  assertEquals(many.code, 1);
  assertStringIncludes(many.stderr, "only 1 earlier wallpaper(s) in history (of 5 steps back)");
  // A banned current wallpaper is not restored.
  assertEquals((await f.cli(["ban", b])).code, 0);
  const restore = await f.cli(["current", "--restore"]);
  assertEquals(restore.code, 1);
  assertStringIncludes(restore.stderr, `the last wallpaper, ${b}, is banned`);
  const calls = (await f.setterCalls()).map((l) => l.split("|")[0]);
  assertEquals(calls, [a, b, c, d, e, b, e, b]);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 5, "browsing must not record shows");
});

Deno.test("browsing skips shows from a folder disabled since, both ways", async () => {
  await using f = await fixture({ images: 2 });
  const [a, b] = f.images;
  const old = `${f.home.root}/old`;
  const x = await writeImage(`${old}/x.png`, { width: 48, height: 32, colors: [COLORS.red] });
  assertEquals((await f.cli(["sources", "add", old])).code, 0);
  assertEquals((await f.cli(["scan"])).code, 0);
  for (const img of [a, x, b]) {
    assertEquals((await f.cli(["next", "--image", img, "--no-theme"])).code, 0);
  }
  // "keep, but stop using": its pictures are not put back on screen by browsing either.
  assertEquals((await f.cli(["sources", "disable", old])).code, 0);
  assertEquals((await f.cli(["prev", "--no-theme"])).stdout.trim(), a);
  const fwd = await f.cli(["next", "--no-theme", "--json"]);
  assertEquals(fwd.code, 0, fwd.stderr);
  assertEquals(fwd.json<{ kind: string; path: string }>().kind, "forward");
  assertEquals(fwd.json<{ path: string }>().path, b);
  assertEquals((await f.cli(["sources", "enable", old])).code, 0);
  assertEquals((await f.cli(["prev", "--no-theme"])).stdout.trim(), x);
});

Deno.test("a pick after prev is never the wallpaper on screen (the cursor's), though the newest may be", async () => {
  await using f = await fixture({ images: 3 });
  const [a, b] = f.images;
  // No recency penalty left by the time of the picks: only the exclusion keeps a out.
  const text = await Deno.readTextFile(f.home.configFile);
  await Deno.writeTextFile(
    f.home.configFile,
    text.replace(
      "min_height = 0\n",
      'min_height = 0\nimage_cooldown = "1s"\nsource_cooldown = "1s"\nunseen_boost = 1\ntimes_shown_weight = 0\n',
    ),
  );
  for (const img of [a, b]) {
    assertEquals((await f.cli(["next", "--image", img, "--no-theme"])).code, 0);
  }
  assertEquals((await f.cli(["prev", "--no-theme"])).stdout.trim(), a);
  await new Promise((r) => setTimeout(r, 1100));
  const picks = new Set<string>();
  for (let seed = 1; seed <= 12; seed++) {
    const r = await f.cli(["next", "--any-time", "--seed", String(seed), "--dry-run", "--json"]);
    assertEquals(r.code, 0, r.stderr);
    picks.add(r.json<{ path: string }>().path);
  }
  assertEquals(picks.has(a), false, `picked the wallpaper on screen: ${[...picks]}`);
  assert(picks.has(b), "the newest show, not on screen, may be picked");
});

Deno.test("prev and current --restore on a fresh install say nothing was shown, not which setter is missing", async () => {
  await using f = await fixture({ images: 2 });
  // No setter is configured or detected in a bare environment.
  const env = { WAYLAND_DISPLAY: "", DISPLAY: "", XDG_CURRENT_DESKTOP: "", SWAYSOCK: "" };
  await Deno.writeTextFile(f.home.configFile, "");
  const json = await f.cli(["current", "--json"]);
  assertEquals([json.code, json.stdout.trim()], [1, "[]"]);
  assertStringIncludes(json.stderr, "nothing has been shown yet");
  for (const args of [["prev"], ["current", "--restore"]]) {
    const r = await f.cli(args, env);
    assertEquals(r.code, 1, r.stderr);
    assertStringIncludes(r.stderr, "nothing");
    assertEquals(r.stderr.includes("setter"), false, r.stderr);
  }
});

Deno.test("next gives each configured output its own image; theme follows the primary", async () => {
  await using f = await fixture({ wallpaper: 'outputs = ["DP-1", "HDMI-A-1"]' });
  const r = await f.cli(["next", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const j = r.json<NextJson>();
  assertEquals(j.shows.map((s) => s.output), ["DP-1", "HDMI-A-1"]);
  assert(j.shows[0].path !== j.shows[1].path, "both outputs got the same image");
  assertEquals(await f.setterCalls(), [`${j.shows[0].path}|DP-1`, `${j.shows[1].path}|HDMI-A-1`]);
  assertEquals((await Deno.readTextFile(f.probe)).split("\n")[0], j.shows[0].path);
  using db = await f.openDb();
  const rows = historyRows(db);
  assertEquals(rows.map((x) => x.output), ["DP-1", "HDMI-A-1"]);
  assertEquals(rows[0].shown_at, rows[1].shown_at);
  // `history -n 1` is that one show: both outputs' lines.
  const hist = await f.cli(["history", "-n", "1", "--json"]);
  assertEquals(hist.json<{ output: string }[]>().map((h) => h.output), ["DP-1", "HDMI-A-1"]);
  const cur = await f.cli(["current"]);
  assertEquals(cur.stdout.trim().split("\n"), [
    `DP-1\t${j.shows[0].path}`,
    `HDMI-A-1\t${j.shows[1].path}`,
  ]);
  // next, prev and current print the same "OUTPUT<tab>PATH" lines.
  const text = await f.cli(["next", "--no-theme"]);
  assertEquals(text.code, 0, text.stderr);
  assertEquals(text.stdout, (await f.cli(["current"])).stdout);
  const back = await f.cli(["prev", "--no-theme"]);
  assertEquals(back.stdout, cur.stdout);
});

Deno.test("favorite and ban of the current wallpaper with one per output: the first, or --output's, named", async () => {
  await using f = await fixture({ wallpaper: 'outputs = ["DP-1", "HDMI-A-1"]' });
  const j = (await f.cli(["next", "--json"])).json<NextJson>();
  const [dp, hdmi] = j.shows.map((s) => s.path);
  const fav = await f.cli(["favorite"]);
  assertEquals(fav.code, 0, fav.stderr);
  assertEquals(
    fav.stdout,
    `Favourite: ${dp} (on DP-1, the first of 2 outputs; --output NAME for another)\n`,
  );
  const ban = await f.cli(["ban", "--output", "HDMI-A-1", "--json"]);
  assertEquals(ban.code, 0, ban.stderr);
  assertEquals(ban.json(), [{ path: hdmi, output: "HDMI-A-1", favorite: false, banned: true }]);
  using db = await f.openDb();
  const marks = (path: string) => ({
    ...db.prepare("SELECT favorite, banned FROM images WHERE path = ?").get(path),
  });
  assertEquals(marks(dp), { favorite: 1, banned: 0 });
  assertEquals(marks(hdmi), { favorite: 0, banned: 1 });
  // An output that shows nothing, or --output with a path: refused, nothing changed.
  const none = await f.cli(["unban", "--output", "eDP-1"]);
  assertEquals(none.code, 2);
  assertStringIncludes(
    none.stderr,
    "varietal: no output 'eDP-1' in [wallpaper] outputs (DP-1, HDMI-A-1)",
  );
  assertEquals((await f.cli(["unban", "--output", ""])).code, 2);
  const withPath = await f.cli(["unban", dp, "--output", "DP-1"]);
  assertEquals(withPath.code, 2);
  assertEquals(marks(hdmi), { favorite: 0, banned: 1 });
});

Deno.test("current --restore with one output's picture banned since gives it the other output's", async () => {
  await using f = await fixture({ wallpaper: 'outputs = ["DP-1", "HDMI-A-1"]' });
  const j = (await f.cli(["next", "--json"])).json<NextJson>();
  const [dp, hdmi] = j.shows.map((s) => s.path);
  assertEquals((await f.cli(["ban", "--output", "HDMI-A-1"])).code, 0);
  const before = (await f.setterCalls()).length;
  const r = await f.cli(["current", "--restore"]);
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(
    r.stderr,
    `warning: HDMI-A-1: ${hdmi} is banned or gone; it gets DP-1's picture`,
  );
  assertEquals((await f.setterCalls()).slice(before), [`${dp}|DP-1`, `${dp}|HDMI-A-1`]);
});

Deno.test("prev and current --restore fit a past show to the outputs there are now (renamed, added)", async () => {
  await using f = await fixture({ wallpaper: 'outputs = ["DP-1", "DP-2"]' });
  const first = (await f.cli(["next", "--json"])).json<NextJson>().shows.map((s) => s.path);
  assertEquals((await f.cli(["next"])).code, 0);
  // A dock names the same monitors DP-5 and DP-6, and a third one is plugged in.
  const config = await Deno.readTextFile(f.home.configFile);
  await f.home.writeConfig(
    config.replace('outputs = ["DP-1", "DP-2"]', 'outputs = ["DP-5", "DP-6", "HDMI-A-1"]'),
  );
  const before = (await f.setterCalls()).length;
  const back = await f.cli(["prev"]);
  assertEquals(back.code, 0, back.stderr);
  assertEquals((await f.setterCalls()).slice(before), [
    `${first[0]}|DP-5`,
    `${first[1]}|DP-6`,
    `${first[0]}|HDMI-A-1`,
  ]);
  const again = (await f.setterCalls()).length;
  const restore = await f.cli(["current", "--restore"]);
  assertEquals(restore.code, 0, restore.stderr);
  assertEquals((await f.setterCalls()).slice(again).map((c) => c.split("|")[1]), [
    "DP-5",
    "DP-6",
    "HDMI-A-1",
  ]);
});

Deno.test("next records and themes the outputs a setter set when another output fails", async () => {
  await using f = await fixture({ wallpaper: 'outputs = ["DP-1", "HDMI-A-1", "eDP-1"]' });
  const first = await f.cli(["next", "--json"]);
  assertEquals(first.code, 0, first.stderr);
  // HDMI-A-1 unplugged: DP-1 and eDP-1 change, and that is what is recorded.
  const r = await f.cli(["next", "--json"], { SETTER_FAIL_OUTPUT: "HDMI-A-1" });
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(r.stderr, "HDMI-A-1 keeps its picture: ");
  assertStringIncludes(r.stderr, "no output named HDMI-A-1");
  const j = r.json<NextJson>();
  assertEquals(j.shows.map((s) => s.output), ["DP-1", "eDP-1"]);
  const calls = (await f.setterCalls()).slice(3);
  assertEquals(calls.map((c) => c.split("|")[1]), ["DP-1", "HDMI-A-1", "eDP-1"]);
  assertEquals(calls[0], `${j.shows[0].path}|DP-1`);
  assertEquals(calls[2], `${j.shows[1].path}|eDP-1`);
  assertEquals((await Deno.readTextFile(f.probe)).split("\n")[0], j.shows[0].path);
  using db = await f.openDb();
  const rows = historyRows(db);
  assertEquals(rows.map((x) => x.output), ["DP-1", "HDMI-A-1", "eDP-1", "DP-1", "eDP-1"]);
  assertEquals((await f.cli(["current"])).stdout.trim().split("\n"), [
    `DP-1\t${j.shows[0].path}`,
    `eDP-1\t${j.shows[1].path}`,
  ]);
  // When no output can be set, nothing is recorded, as before.
  const none = await f.cli(["next"], { SETTER_FAIL: "no session" });
  assertEquals(none.code, 1);
  assertStringIncludes(none.stderr, "nothing was recorded");
  assertEquals(historyRows(db).length, 5);
  // Going forward through history, one output failing: the screen holds pictures of two
  // shows, so what changed is recorded as a new show, and current names what is there.
  assertEquals((await f.cli(["prev"])).code, 0);
  const onward = await f.cli(["next", "--json"], { SETTER_FAIL_OUTPUT: "DP-1" });
  assertEquals(onward.code, 0, onward.stderr);
  assertStringIncludes(onward.stderr, "DP-1 keeps its picture: ");
  const o = onward.json<NextJson>();
  assert(o.shows.every((s) => s.output !== "DP-1"), JSON.stringify(o.shows));
  assertEquals(historyRows(db).length, 5 + o.shows.length);
  const now = (await f.cli(["current"])).stdout.trim().split("\n");
  assertEquals(now, o.shows.map((s) => `${s.output}\t${s.path}`));
});

Deno.test("current --restore sets the current wallpaper again without recording", async () => {
  await using f = await fixture();
  const none = await f.cli(["current", "--restore"]);
  assertEquals(none.code, 1);
  assertStringIncludes(none.stderr, "nothing to restore");
  const first = await f.cli(["next", "--no-theme"]);
  assertEquals(first.code, 0, first.stderr);
  await Deno.remove(f.probe).catch(() => {});
  const r = await f.cli(["current", "--restore"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout.trim(), first.stdout.trim());
  assertEquals((await f.setterCalls()).map((l) => l.split("|")[0]), [
    first.stdout.trim(),
    first.stdout.trim(),
  ]);
  assertEquals((await Deno.readTextFile(f.probe)).split("\n")[0], first.stdout.trim());
  {
    using db = await f.openDb();
    assertEquals(historyRows(db).length, 1);
  }
  // Not set again: it says which file and why.
  const shown = first.stdout.trim();
  assertEquals((await f.cli(["ban", shown])).code, 0);
  const banned = await f.cli(["current", "--restore"]);
  assertEquals(banned.code, 1);
  assertStringIncludes(banned.stderr, `the last wallpaper, ${shown}, is banned`);
  assertEquals((await f.cli(["unban", shown])).code, 0);
  await Deno.rename(shown, `${shown}.away`);
  const gone = await f.cli(["current", "--restore"]);
  assertEquals(gone.code, 1);
  assertStringIncludes(gone.stderr, `the last wallpaper, ${shown}, is gone`);
});

Deno.test("current --restore --mode fit shows the picture whole once, with no new show", async () => {
  await using f = await fixture();
  // The setter's second argument becomes the mode.
  const config = await Deno.readTextFile(f.home.configFile);
  await f.home.writeConfig(config.replace('"{path}", "{output}"]', '"{path}", "{mode}"]'));
  const first = await f.cli(["next", "--no-theme"]);
  assertEquals(first.code, 0, first.stderr);
  const fit = await f.cli(["current", "--restore", "--mode", "fit"]);
  assertEquals(fit.code, 0, fit.stderr);
  const shown = first.stdout.trim();
  assertEquals(await f.setterCalls(), [`${shown}|fill`, `${shown}|fit`]);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 1, "no history row for a look at the same picture");
  const bad = await f.cli(["current", "--mode", "fit"]);
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, "--mode needs --restore");
});

Deno.test("Ctrl-C after one output was set records that output's show (what is on screen), then exits 130", async () => {
  await using f = await fixture({ wallpaper: 'outputs = ["DP-1", "HDMI-A-1"]' });
  const hold = `${f.home.root}/hold`;
  await Deno.writeTextFile(hold, "");
  // DP-1 is set at once; HDMI-A-1's setter waits on the file (at most 30 s).
  await Deno.writeTextFile(
    `${f.home.root}/setter.sh`,
    `#!/bin/sh\necho "$1|$2" >> "${f.home.root}/setter.log"\n` +
      `if [ "$2" = "HDMI-A-1" ]; then n=0; while [ -e "${hold}" ] && [ $n -lt 600 ]; do ` +
      `sleep 0.05; n=$((n + 1)); done; fi\nexit 0\n`,
  );
  try {
    const child = spawnCli(f.home, ["next", "--no-theme"]);
    await until(async () => (await f.setterCalls()).length >= 2, "HDMI-A-1's setter runs");
    child.kill("SIGINT");
    const out = await child.output();
    assertEquals(out.code, 130, new TextDecoder().decode(out.stderr));
    const [dp1] = await f.setterCalls();
    using db = await f.openDb();
    const rows = historyRows(db);
    assertEquals(rows.map((r) => [r.path, r.output]), [[dp1.split("|")[0], "DP-1"]]);
    assertEquals((await f.cli(["current"])).stdout.trim(), `DP-1\t${dp1.split("|")[0]}`);
  } finally {
    await Deno.remove(hold).catch(() => {});
  }
});

Deno.test("next --dry-run previews without a desktop: no setter found is a warning, not a failure", async () => {
  await using f = await fixture();
  const noSession = { WAYLAND_DISPLAY: "", DISPLAY: "", XDG_CURRENT_DESKTOP: "" };
  const r = await f.cli(["next", "--dry-run", "--setter", "auto"], noSession);
  assertEquals(r.code, 0, r.stderr);
  assert(f.images.includes(r.stdout.trim()), r.stdout);
  assertStringIncludes(r.stderr, "warning: no wallpaper setter found: ");
  assertStringIncludes(r.stderr, "decided for one screen");
  // A real change still needs a setter.
  const real = await f.cli(["next", "--setter", "auto"], noSession);
  assertEquals(real.code, 1);
  assertStringIncludes(real.stderr, "no wallpaper setter found");
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 0);
});
