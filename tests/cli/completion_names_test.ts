// The user's own names in completions: `varietal completions names remote|group|template|source`,
// and each shell's script offering them (bash, zsh and fish run for real when installed).
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, type TempHome, tempHome } from "../_helpers/env.ts";
import { completionTree } from "../../src/cli/completions.ts";
import { bashReadline, binDir, completers, shq, sorted, TAB } from "./_completers.ts";

const nodes = await completionTree();

const REMOTES = ["nature", "space.apod-2"];
const GROUPS = ["late-night.2", "work"];

/** A home whose config.toml defines two remotes and two groups. */
async function namedHome(): Promise<TempHome> {
  const home = await tempHome();
  const dir = `${home.root}/pictures`;
  await Deno.mkdir(dir);
  await home.writeConfig([
    "[groups]",
    `work = [${JSON.stringify(dir)}]`,
    `"late-night.2" = [${JSON.stringify(dir)}]`,
    "",
    "[[remote]]",
    'name = "nature"',
    'kind = "wallhaven"',
    "",
    "[[remote]]",
    'name = "space.apod-2"',
    'kind = "apod"',
    "",
  ].join("\n"));
  return home;
}

Deno.test("the specs say where remote and group names complete", () => {
  const at = (path: string) => nodes.find((n) => n.path === path)!;
  for (const path of ["fetch", "remote remove", "remote enable", "remote disable"]) {
    assertEquals(at(path).positional, "remote", path);
  }
  assertEquals(at("remote add").positional, "none", "a new remote's name is not an old one");
  for (const path of ["next", "select", "daemon"]) {
    const group = at(path).options.find((o) => o.name === "group");
    assertEquals(group?.spec.complete, "group", path);
  }
  assertEquals(at("completions names").positional, ["remote", "group", "template", "source"]);
  assertEquals(at("theme render").positional, "template");
});

Deno.test("completions names prints the remotes and groups of config.toml, one a line or JSON", async () => {
  await using home = await namedHome();
  const remotes = await runCli(home, ["completions", "names", "remote"]);
  assertEquals(remotes.code, 0, remotes.stderr);
  assertEquals(remotes.stdout, REMOTES.join("\n") + "\n");
  const groups = await runCli(home, ["completions", "names", "group"]);
  assertEquals(groups.stdout, GROUPS.join("\n") + "\n");
  const json = await runCli(home, ["completions", "names", "group", "--json"]);
  assertEquals(json.code, 0, json.stderr);
  assertEquals(json.json(), GROUPS);
  // It reads config.toml only: no database appears.
  assert(!(await Deno.stat(home.database).then(() => true, () => false)), "database created");
});

Deno.test("completions names template prints the built-in and configured template names", async () => {
  await using home = await tempHome();
  await home.writeConfig('[[templates]]\nname = "bar"\ntemplate = "bar.css"\ntarget = "~/b.css"\n');
  const r = await runCli(home, ["completions", "names", "template", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const names = r.json<string[]>();
  for (const n of ["bar", "kitty", "gtk4", "qt6ct"]) assert(names.includes(n), n);
  assertEquals(names, sorted(names));
});

Deno.test("completions names remote adds the remotes of 'remote add' from the database", async () => {
  await using home = await namedHome();
  const add = await runCli(home, ["remote", "add", "earth", "--kind", "reddit", "--query", "x"]);
  assertEquals(add.code, 0, add.stderr);
  const r = await runCli(home, ["completions", "names", "remote", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.json(), sorted(["earth", ...REMOTES]));
});

Deno.test("completions names: no config prints nothing; bad input fails quietly on stdout", async () => {
  await using home = await tempHome();
  for (const kind of ["remote", "group"]) {
    const r = await runCli(home, ["completions", "names", kind]);
    assertEquals([r.code, r.stdout, r.stderr], [0, "", ""], kind);
    const j = await runCli(home, ["completions", "names", kind, "--json"]);
    assertEquals(j.json(), []);
  }
  const bad = await runCli(home, ["completions", "names", "folder"]);
  assertEquals([bad.code, bad.stdout], [2, ""]);
  assertStringIncludes(
    bad.stderr,
    "unknown kind 'folder' (expected remote, group, template or source)",
  );
  const none = await runCli(home, ["completions", "names"]);
  assertEquals(none.code, 2);
  await home.writeConfig("[groups\n");
  const broken = await runCli(home, ["completions", "names", "group"]);
  assert(broken.code !== 0, "a broken config.toml is an error");
  assertEquals(broken.stdout, "");
  assertStringIncludes(broken.stderr, "config.toml");
  const help = await runCli(home, ["completions", "names", "--help"]);
  assertEquals(help.code, 0);
  assertStringIncludes(
    help.stdout,
    "Usage: varietal completions names [OPTIONS] remote|group|template|source",
  );
});

Deno.test("each shell offers remote names after fetch and remote SUB, group names after --group", async () => {
  await using home = await namedHome();
  const bin = await binDir(home);
  for (const c of await completers(home, bin)) {
    const check = async (line: string, expected: readonly string[]) =>
      assertEquals(sorted(await c.offers(line)), sorted(expected), `${c.name}: ${line}`);
    await check("varietal fetch ", REMOTES);
    await check("varietal fetch s", ["space.apod-2"]);
    await check("varietal fetch nature ", REMOTES);
    await check("varietal remote disable ", REMOTES);
    await check("varietal next --group ", GROUPS);
    await check("varietal select --group=w", ["work"]);
    await check("varietal completions names ", ["group", "remote", "source", "template"]);
    // Template names (built-in and configured) and files after theme render.
    await check("varietal theme render k", ["kitty"]);
    await check("varietal theme render gtk", ["gtk", "gtk3", "gtk4"]);
  }
});

Deno.test("each shell offers names with spaces and quotes as words, never running them", async () => {
  await using home = await tempHome();
  // config.toml does not allow such names; a stand-in varietal prints them.
  const names = ["two words", "it's", "$(touch pwned)", "semi;colon"];
  const bin = await binDir(home, `printf '%s\\n' ${names.map(shq).join(" ")}`);
  for (const c of await completers(home, bin)) {
    const offered = await c.offers("varietal fetch ");
    // bash and zsh offer each quoted as it goes on the line; fish quotes when it inserts.
    const quoted = c.name !== "fish";
    const expected = quoted
      ? ["two\\ words", "it\\'s", "\\$\\(touch\\ pwned\\)", "semi\\;colon"]
      : names;
    assertEquals(sorted(offered), sorted(expected), c.name);
    const tw = await c.offers("varietal fetch tw");
    assertEquals(tw, [quoted ? "two\\ words" : "two words"], c.name);
    assert(!(await Deno.stat(`${home.root}/pwned`).then(() => true, () => false)), c.name);
  }
});

/** A home with wallpaper folders in its database: one still there, two gone from disk. */
async function foldersHome(): Promise<TempHome & { kept: string; gone: string; old: string }> {
  const home = await tempHome();
  const kept = `${home.root}/pictures/kept`;
  const gone = `${home.root}/pictures/gone-away`;
  const old = `${home.home}/Walls/old-walls`;
  for (const d of [kept, gone, old]) await Deno.mkdir(d, { recursive: true });
  const add = await runCli(home, ["sources", "add", kept, gone, old]);
  assertEquals(add.code, 0, add.stderr);
  // Renamed, or on a drive that is not plugged in.
  for (const d of [gone, old]) await Deno.remove(d);
  return Object.assign(home, { kept, gone, old });
}

Deno.test("completions names source prints the folders of the database, also those gone from disk", async () => {
  await using home = await tempHome();
  const none = await runCli(home, ["completions", "names", "source"]);
  assertEquals([none.code, none.stdout, none.stderr], [0, "", ""]);
  assert(!(await Deno.stat(home.database).then(() => true, () => false)), "database created");
  const dirs = ["a", "b c", "new\nline"].map((d) => `${home.root}/${d}`);
  for (const d of dirs) await Deno.mkdir(d);
  assertEquals((await runCli(home, ["sources", "add", ...dirs])).code, 0);
  await Deno.remove(dirs[1]);
  const r = await runCli(home, ["completions", "names", "source"]);
  assertEquals(r.code, 0, r.stderr);
  // One a line cannot hold a name with a line break: it is left out there, not split in two.
  assertEquals(r.stdout, `${dirs[0]}\n${dirs[1]}\n`);
  const json = await runCli(home, ["completions", "names", "source", "--json"]);
  assertEquals(json.json(), sorted(dirs));
});

Deno.test("each shell offers the folders of the database where sources takes one, gone ones too", async () => {
  await using home = await foldersHome();
  const bin = await binDir(home);
  const pictures = `${home.root}/pictures`;
  for (const c of await completers(home, bin)) {
    // By their last part, each once: zsh's _files adds that part of a path, and bash offers a
    // folder that is on disk and in the database twice (readline shows it once).
    const last = (p: string) => p.replace(/\/$/, "").split("/").at(-1)!;
    const check = async (line: string, expected: readonly string[]) =>
      assertEquals(
        sorted(new Set((await c.offers(line)).map(last))),
        sorted(expected.map(last)),
        `${c.name}: ${line}`,
      );
    for (const sub of ["move", "remove", "enable", "disable", "order"]) {
      await check(`varietal sources ${sub} ${pictures}/g`, [home.gone]);
    }
    await check(`varietal sources move ${home.gone} ${pictures}/k`, [home.kept]);
    await check(`varietal sources order ${home.gone} s`, ["sequential", "shuffle", "smart"]);
    // Folders to add are folders on disk only.
    await check(`varietal sources add ${pictures}/g`, []);
    // After ~/, the folders in your home, with ~/ (zsh keeps the ~/ typed apart from the match).
    const tilde = await c.offers("varietal sources remove ~/W");
    assert(tilde.some((p) => p.replace(/^~\//, "") === "Walls/old-walls"), `${c.name}: ${tilde}`);
  }
});

Deno.test("bash puts names with spaces, quotes and $ on the line quoted once, after a quote too", async () => {
  await using home = await tempHome();
  await home.writeConfig([
    "[groups]",
    `work = [${JSON.stringify(home.root)}]`,
    "",
    "[[templates]]",
    `template = "my theme's $x.conf"`,
    `target = "${home.root}/out.conf"`,
  ].join("\n"));
  const bin = await binDir(home);
  const bash = await bashReadline(home, bin, home.root);
  if (!bash) return;
  const cases: [string, string][] = [
    [`varietal theme render my${TAB}`, `varietal theme render my\\ theme\\'s\\ \\$x.conf `],
    [`varietal theme render "my${TAB}`, `varietal theme render "my theme's \\$x.conf" `],
    [`varietal theme render 'my${TAB}`, `varietal theme render 'my theme'\\''s $x.conf' `],
    [`varietal theme render kit${TAB}`, "varietal theme render kitty "],
    // After an opening quote the names are matched without it, and the quote is closed.
    [`varietal next --group "w${TAB}`, `varietal next --group "work" `],
    [`varietal select --group='w${TAB}`, `varietal select --group='work' `],
    [`varietal next --group w${TAB}`, "varietal next --group work "],
  ];
  for (const [keys, line] of cases) assertEquals(await bash.line(keys), line, keys);
});

Deno.test("bash puts folders of the database on the line quoted, gone ones and ~/ too", async () => {
  await using home = await foldersHome();
  const spaced = `${home.root}/pictures/gone and back`;
  await Deno.mkdir(spaced);
  assertEquals((await runCli(home, ["sources", "add", spaced])).code, 0);
  await Deno.remove(spaced);
  const bin = await binDir(home);
  const bash = await bashReadline(home, bin, home.root);
  if (!bash) return;
  const p = `${home.root}/pictures`;
  assertEquals(
    await bash.line(`varietal sources move ${p}/gone-${TAB}`),
    `varietal sources move ${p}/gone-away `,
  );
  assertEquals(
    await bash.line(`varietal sources remove ${p}/gone\\ a${TAB}`),
    `varietal sources remove ${p}/gone\\ and\\ back `,
  );
  assertEquals(
    await bash.line(`varietal sources disable "${p}/gone a${TAB}`),
    `varietal sources disable "${p}/gone and back" `,
  );
  assertEquals(
    await bash.line(`varietal sources enable ~/Walls/o${TAB}`),
    "varietal sources enable ~/Walls/old-walls ",
  );
  // The folder on disk and the database's are one: readline adds the slash.
  assertEquals(
    await bash.line(`varietal sources order ${p}/k${TAB}`),
    `varietal sources order ${p}/kept/`,
  );
});
