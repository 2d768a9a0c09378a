// The last parse of config.toml is kept in the cache folder and used only for exactly the
// same text, by the same parser, from a file that is ours; anything else parses again.
import { assert, assertEquals, assertRejects } from "../_helpers/assert.ts";
import { loadConfig } from "../../src/config/load.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { ConfigError } from "../../src/config/errors.ts";
import {
  jsonExact,
  parsedConfigFile,
  parserFingerprint,
  readParsedConfig,
} from "../../src/config/parsed_cache.ts";
import { runCli, tempHome } from "../_helpers/env.ts";

const TEXT = `[daemon]\ninterval = "1h"\n\n[[sources]]\npath = "/walls"\n`;

async function setup() {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/config.toml`;
  const cacheDir = `${dir}/cache`;
  await Deno.writeTextFile(file, TEXT);
  return {
    dir,
    file,
    cacheDir,
    cacheFile: parsedConfigFile(cacheDir),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** Rewrites the kept entry's config (keeping its text and parser), so that its use shows. */
async function tamper(cacheFile: string, edit: (config: Record<string, unknown>) => void) {
  const entry = JSON.parse(await Deno.readTextFile(cacheFile));
  edit(entry.config);
  await Deno.writeTextFile(cacheFile, JSON.stringify(entry));
}

Deno.test("loadConfig() keeps its parse (0600) and uses it while the text is the same", async () => {
  await using t = await setup();
  const first = await loadConfig(t.file, { cacheDir: t.cacheDir });
  assertEquals(first, parseConfig(TEXT, t.file));
  assertEquals((await Deno.stat(t.cacheFile)).mode! & 0o777, 0o600);
  await tamper(t.cacheFile, (c) => ((c.daemon as { interval: number }).interval = 7));
  assertEquals((await loadConfig(t.file, { cacheDir: t.cacheDir })).daemon.interval, 7, "used");
  // Without a cache folder, or with another file's path, the file is parsed.
  assertEquals((await loadConfig(t.file)).daemon.interval, 3600);
  const other = `${t.dir}/other.toml`;
  await Deno.writeTextFile(other, TEXT);
  assertEquals((await loadConfig(other, { cacheDir: t.cacheDir })).daemon.interval, 3600);
});

Deno.test("an edited config.toml is parsed again, even within the same second and size", async () => {
  await using t = await setup();
  await loadConfig(t.file, { cacheDir: t.cacheDir });
  // Same length, same mtime tick: only the text tells them apart.
  await Deno.writeTextFile(t.file, TEXT.replace("1h", "2h"));
  assertEquals((await loadConfig(t.file, { cacheDir: t.cacheDir })).daemon.interval, 7200);
  // A broken edit is an error as before, not the kept parse.
  await Deno.writeTextFile(t.file, TEXT.replace("1h", "soon"));
  await assertRejects(() => loadConfig(t.file, { cacheDir: t.cacheDir }), ConfigError);
  await Deno.writeTextFile(t.file, TEXT);
  assertEquals((await loadConfig(t.file, { cacheDir: t.cacheDir })).daemon.interval, 3600);
});

Deno.test("a kept parse of another parser, a damaged or a foreign-writable entry is not used", async () => {
  await using t = await setup();
  await loadConfig(t.file, { cacheDir: t.cacheDir });
  const mark = (c: Record<string, unknown>) => ((c.daemon as { interval: number }).interval = 7);
  const kept = () => readParsedConfig(t.cacheFile, t.file, TEXT)?.daemon.interval;

  await tamper(t.cacheFile, mark);
  assertEquals(kept(), 7);
  const entry = JSON.parse(await Deno.readTextFile(t.cacheFile));
  assertEquals(entry.parser, parserFingerprint());
  await Deno.writeTextFile(t.cacheFile, JSON.stringify({ ...entry, parser: "older" }));
  assertEquals(kept(), undefined, "another parser");
  await Deno.writeTextFile(t.cacheFile, JSON.stringify({ ...entry, format: 0 }));
  assertEquals(kept(), undefined, "another layout");

  await Deno.writeTextFile(t.cacheFile, JSON.stringify(entry));
  assertEquals(kept(), 7);
  await Deno.chmod(t.cacheFile, 0o622);
  assertEquals(kept(), undefined, "writable by others");
  await Deno.chmod(t.cacheFile, 0o600);

  await Deno.writeTextFile(t.cacheFile, '{"format": 1, "parser"');
  assertEquals(kept(), undefined, "damaged");
  // …and the next load parses and keeps a good one again.
  assertEquals((await loadConfig(t.file, { cacheDir: t.cacheDir })).daemon.interval, 3600);
  assertEquals(kept(), 3600);

  await Deno.remove(t.cacheFile);
  await Deno.symlink(`${t.dir}/elsewhere.json`, t.cacheFile);
  await Deno.writeTextFile(`${t.dir}/elsewhere.json`, JSON.stringify(entry));
  assertEquals(kept(), undefined, "a symlink");
});

Deno.test("a cache folder that cannot be written costs a parse, never an error", async () => {
  await using t = await setup();
  await Deno.writeTextFile(t.cacheDir, "a file where the folder should be");
  assertEquals((await loadConfig(t.file, { cacheDir: t.cacheDir })).daemon.interval, 3600);
});

Deno.test("$VARS expand from the environment of each load, kept parse or not", async () => {
  await using t = await setup();
  await Deno.writeTextFile(t.file, `[[sources]]\npath = "$VARIETAL_TEST_WALLS/a"\n`);
  const paths = async () =>
    (await loadConfig(t.file, { cacheDir: t.cacheDir })).sources.map((s) => s.path);
  Deno.env.set("VARIETAL_TEST_WALLS", "/one");
  try {
    assertEquals(await paths(), ["/one/a"]);
    Deno.env.set("VARIETAL_TEST_WALLS", "/two");
    assertEquals(await paths(), ["/two/a"]);
    // The kept parse is the file's own text, before expansion.
    const entry = JSON.parse(await Deno.readTextFile(t.cacheFile));
    assertEquals(entry.config.sources[0].path, "$VARIETAL_TEST_WALLS/a");
  } finally {
    Deno.env.delete("VARIETAL_TEST_WALLS");
  }
});

Deno.test("jsonExact() accepts only what JSON gives back unchanged", () => {
  assert(jsonExact({ a: [1, "x", null, { b: true, c: -1.5 }], d: {} }));
  for (const v of [undefined, NaN, Infinity, -0, new Date(0), new Map(), [, 1], { a: undefined }]) {
    assertEquals(jsonExact(v), false, String(v));
  }
  assertEquals(jsonExact({ a: { b: [() => 1] } }), false);
  assert(jsonExact(parseConfig(TEXT, "c.toml")));
});

Deno.test("the README's full example config is kept (its parse is plain JSON data)", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const from = readme.indexOf("```toml\n", readme.indexOf("## Configuration"));
  const text = readme.slice(from + 8, readme.indexOf("```\n", from + 8));
  assert(text.includes("[wallpaper]") && text.includes("[theme]"), "the example was found");
  assert(jsonExact(parseConfig(text, "README.md")));
});

Deno.test("varietal config show: an edit of config.toml shows at once; the kept parse is private", async () => {
  await using h = await tempHome();
  const show = async () => {
    const r = await runCli(h, ["config", "show", "--json"]);
    assertEquals(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as { daemon: { interval: number } };
  };
  await h.writeConfig(`[daemon]\ninterval = "5m"\n`);
  assertEquals((await show()).daemon.interval, 300);
  const kept = parsedConfigFile(`${h.env.XDG_CACHE_HOME}/varietal`);
  assertEquals((await Deno.stat(kept)).mode! & 0o777, 0o600);
  assertEquals((await show()).daemon.interval, 300);
  await h.writeConfig(`[daemon]\ninterval = "7m"\n`);
  assertEquals((await show()).daemon.interval, 420);
});
