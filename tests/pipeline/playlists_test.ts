// Playlists through the CLI, one process per command: ordered folders (sequential, shuffle),
// groups, prev/next browsing beside them, and the daemon rotating in order.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { type Fixture, fixture, historyRows } from "./_fixture.ts";
import { startDaemon, stop } from "./_daemon_process.ts";

/** Adds images named so that natural order differs from plain text order. */
async function numbered(dir: string, names: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const n of names) {
    out.push(
      await writeImage(`${dir}/${n}.png`, {
        width: 48,
        height: 32,
        colors: [COLORS.red, COLORS.blue],
        noise: 8,
      }),
    );
  }
  return out;
}

/** Edits config.toml: `[selection]` gets `lines` at its top. */
async function selection(f: Fixture, lines: string): Promise<void> {
  const text = await Deno.readTextFile(f.home.configFile);
  await f.home.writeConfig(text.replace("[selection]\n", `[selection]\n${lines}\n`));
}

async function appendConfig(f: Fixture, text: string): Promise<void> {
  await Deno.writeTextFile(f.home.configFile, `\n${text}\n`, { append: true });
}

async function next(f: Fixture, ...args: string[]): Promise<string> {
  const r = await f.cli(["next", "--no-theme", ...args]);
  assertEquals(r.code, 0, r.stderr);
  return r.stdout.trim();
}

Deno.test("next in separate processes walks a sequential folder in natural order and wraps; select --explain says where", async () => {
  await using f = await fixture({ noScan: true });
  const extra = await numbered(f.pics, ["p1", "p2", "p9", "p10", "p11"]);
  await selection(f, 'order = "sequential"');
  assertEquals((await f.cli(["scan"])).code, 0);
  const order = [...f.images, ...extra]; // img00…img05, then p1, p2, p9, p10, p11
  const before = await f.cli(["select", "--explain"]);
  assertEquals(before.code, 0, before.stderr);
  assertStringIncludes(before.stdout, `sequential: 1/11 in ${f.pics}`);
  const shown: string[] = [];
  for (let i = 0; i < 13; i++) shown.push(await next(f));
  assertEquals(shown, [...order, order[0], order[1]]);
  const after = await f.cli(["select", "--explain"]);
  assertStringIncludes(after.stdout, order[2]);
  assertStringIncludes(after.stdout, `sequential: 3/11 in ${f.pics}`);
  const json = (await f.cli(["select", "--json"])).json<
    { path: string; order: { rule: string; position: number; total: number } }[]
  >();
  assertEquals(json[0].path, order[2]);
  assertEquals(json[0].order.rule, "sequential");
  assertEquals([json[0].order.position, json[0].order.total], [3, 11]);
});

Deno.test("shuffle set with 'sources order' shows every image once per cycle, across processes", async () => {
  await using f = await fixture();
  const set = await f.cli(["sources", "order", f.pics, "shuffle"]);
  assertEquals(set.code, 0, set.stderr);
  assertStringIncludes(set.stdout, `${f.pics}: shuffle`);
  const list = (await f.cli(["sources", "list", "--json"])).json<
    { path: string; order: string; own_order: string | null }[]
  >();
  assertEquals(list.map((s) => [s.order, s.own_order]), [["shuffle", "shuffle"]]);
  assertStringIncludes((await f.cli(["sources", "list"])).stdout, `${f.pics} (shuffle)`);
  const first: string[] = [], second: string[] = [];
  for (let i = 0; i < 6; i++) first.push(await next(f));
  const explain = await f.cli(["select", "--explain"]);
  assertStringIncludes(explain.stdout, "shuffle: 1/6 of this cycle (a new cycle begins)");
  for (let i = 0; i < 6; i++) second.push(await next(f));
  assertEquals([...first].sort(), f.images, `first cycle: ${first}`);
  assertEquals([...second].sort(), f.images, `second cycle: ${second}`);
  // Back to [selection] order (smart).
  const back = await f.cli(["sources", "order", f.pics, "default", "--json"]);
  assertEquals(back.json(), [{ path: f.pics, order: "smart", own_order: null }]);
});

Deno.test("prev and next still browse history beside a sequential folder; a new pick continues the order", async () => {
  await using f = await fixture();
  await selection(f, 'order = "sequential"');
  const [a, b, c, d] = f.images;
  assertEquals([await next(f), await next(f), await next(f)], [a, b, c]);
  const back = await f.cli(["prev", "--no-theme"]);
  assertEquals(back.stdout.trim(), b, back.stderr);
  assertEquals(await next(f), c, "forward through history");
  assertEquals(await next(f), d, "then the order goes on after the last shown image");
  using db = await f.openDb();
  assertEquals(historyRows(db).map((r) => r.path), [a, b, c, d]);
});

Deno.test("--group picks only from the group's folders; an unknown group is a usage error naming the known ones", async () => {
  await using f = await fixture();
  const other = `${f.home.root}/other`;
  await numbered(other, ["x1", "x2"]);
  assertEquals((await f.cli(["sources", "add", other])).code, 0);
  assertEquals((await f.cli(["scan"])).code, 0);
  await appendConfig(f, `[groups]\nwalls = ["${f.pics}"]\nmisc = ["${other}/"]`);
  for (let i = 0; i < 3; i++) assert((await next(f, "--group", "misc")).startsWith(`${other}/`));
  const walls = (await f.cli(["select", "--group", "walls", "-n", "20", "--json"])).json<
    { path: string }[]
  >();
  assertEquals(walls.map((p) => p.path).sort(), f.images);
  const explain = await f.cli(["select", "--group", "misc", "--explain"]);
  assertStringIncludes(explain.stdout, `group misc: only 1 folder(s): ${other}`);
  for (const cmd of [["select"], ["next"], ["daemon"]]) {
    const bad = await f.cli([...cmd, "--group", "play"]);
    assertEquals(bad.code, 2, `${cmd}: ${bad.stderr}`);
    assertStringIncludes(bad.stderr, "unknown group 'play'");
    assertStringIncludes(bad.stderr, "known groups: walls, misc");
  }
  const image = await f.cli(["next", "--group", "walls", "--image", f.images[0]]);
  assertEquals(image.code, 2, image.stderr);
  await appendConfig(f, `[daemon]\ngroup = "play"`);
  const config = await f.cli(["select"]);
  assertEquals(config.code, 1, config.stderr);
  assertStringIncludes(config.stderr, "daemon.group");
  assertStringIncludes(config.stderr, "walls, misc");
});

Deno.test("--group with a subfolder of a wallpaper folder draws only from that subfolder", async () => {
  await using f = await fixture();
  const comics = await numbered(`${f.pics}/comics`, ["p1", "p2", "p10"]);
  assertEquals((await f.cli(["scan"])).code, 0);
  await appendConfig(f, `[groups]\ncomics = ["${f.pics}/comics/"]`);
  for (let i = 0; i < 3; i++) {
    assert(comics.includes(await next(f, "--group", "comics")), "a page of the comics");
  }
  const all = (await f.cli(["select", "--group", "comics", "-n", "20", "--json"])).json<
    { path: string }[]
  >();
  assertEquals(all.map((p) => p.path).sort(), [...comics].sort());
  const explain = await f.cli(["select", "--group", "comics", "--explain"]);
  assertEquals(explain.code, 0, explain.stderr);
  assertStringIncludes(explain.stdout, `group comics: only 1 folder(s): ${f.pics}/comics`);
  assertEquals(explain.stderr, "");
});

Deno.test("--group with a subfolder that is a symlink (Debian's wallpapers/Joy) draws its images, named either way", async () => {
  await using f = await fixture();
  // As Debian lays it out: the wallpaper folder links to a theme folder elsewhere.
  const theme = await numbered(`${f.home.root}/desktop-base/joy-theme`, ["j1", "j2"]);
  await Deno.symlink("../desktop-base/joy-theme", `${f.pics}/Joy`);
  assertEquals((await f.cli(["scan"])).code, 0);
  await appendConfig(
    f,
    `[groups]\njoy = ["${f.pics}/Joy"]\nreal = ["${f.home.root}/desktop-base/joy-theme/"]`,
  );
  // (Asking for more says what limited the draw: the group.)
  const more = await f.cli(["select", "--group", "joy", "-n", "5"]);
  assertStringIncludes(
    more.stderr,
    "only 2 of 5 requested image(s) can be drawn (in force: group joy)",
  );
  for (const group of ["joy", "real"]) {
    const r = await f.cli(["select", "--group", group, "-n", "2", "--json"]);
    assertEquals(r.code, 0, `${group}: ${r.stderr}`);
    assertEquals(r.json<{ path: string }[]>().map((p) => p.path).sort(), theme, group);
    assertEquals(r.stderr, "", group);
  }
  assert(theme.includes(await next(f, "--group", "joy")));
});

Deno.test("a [[sources]] order wins over 'sources order', which says where to change it", async () => {
  await using f = await fixture();
  const text = await Deno.readTextFile(f.home.configFile);
  await f.home.writeConfig(
    text.replace(`path = "${f.pics}"\n`, `path = "${f.pics}"\norder = "sequential"\n`),
  );
  const refused = await f.cli(["sources", "order", f.pics, "shuffle"]);
  assertEquals(refused.code, 1, refused.stderr);
  assertStringIncludes(refused.stderr, f.home.configFile);
  assertStringIncludes(refused.stderr, 'order = "sequential"');
  const list = (await f.cli(["sources", "list", "--json"])).json<
    { order: string; own_order: string | null; origin: string }[]
  >();
  assertEquals(list.map((s) => [s.origin, s.order, s.own_order]), [[
    "config",
    "sequential",
    "sequential",
  ]]);
  assertEquals([await next(f), await next(f)], f.images.slice(0, 2));
  const bad = await f.cli(["sources", "order", f.pics, "random"]);
  assertEquals(bad.code, 2, bad.stderr);
  assertStringIncludes(bad.stderr, "smart, sequential, shuffle, default");
});

Deno.test("sources add --order sets the order of new and existing folders", async () => {
  await using f = await fixture();
  const other = `${f.home.root}/other`;
  await numbered(other, ["x1"]);
  const added = await f.cli(["sources", "add", "--order", "shuffle", other, "--json"]);
  assertEquals(added.code, 0, added.stderr);
  const again = await f.cli(["sources", "add", "--order", "sequential", other]);
  assertEquals(again.code, 0, again.stderr);
  const list = (await f.cli(["sources", "list", "--json"])).json<
    { path: string; own_order: string | null }[]
  >();
  assertEquals(list.find((s) => s.path === other)?.own_order, "sequential");
  const bad = await f.cli(["sources", "add", "--order", "random", other]);
  assertEquals(bad.code, 2, bad.stderr);
});

Deno.test("the daemon rotates an ordered folder in its order, within its [daemon] group", async () => {
  await using f = await fixture();
  const other = `${f.home.root}/other`;
  await numbered(other, ["x1", "x2"]);
  assertEquals((await f.cli(["sources", "add", other])).code, 0);
  assertEquals((await f.cli(["scan"])).code, 0);
  await selection(f, 'order = "sequential"');
  await appendConfig(f, `[groups]\nwalls = ["${f.pics}"]\n\n[daemon]\ngroup = "walls"`);
  await using d = startDaemon(f, ["--interval", "1h"]);
  const { child, log } = d;
  await log.waitFor(/next: /);
  for (let i = 0; i < 3; i++) {
    const sent = await f.cli(["daemon", "--send", "next"]);
    assertEquals(sent.code, 0, sent.stderr);
  }
  const refused = await f.cli(["daemon", "--send", "next", "--group", "walls"]);
  assertEquals(refused.code, 2, refused.stderr);
  assertEquals((await stop(child, log)).code, 0, log.lines.join("\n"));
  using db = await f.openDb();
  assertEquals(historyRows(db).map((r) => r.path), f.images.slice(0, 4));
});
