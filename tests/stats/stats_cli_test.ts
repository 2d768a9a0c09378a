import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { ROOT, RUN_FLAGS, runCli, type TempHome, tempHome } from "../_helpers/env.ts";
import type { CollectionStats } from "../../src/stats/collection_stats.ts";
import { hueBinColor } from "../../src/stats/buckets.ts";
import { buildKnownCollection } from "./_collection.ts";

async function knownHome(): Promise<TempHome> {
  const home = await tempHome();
  using db = await Database.open(home.database);
  buildKnownCollection(db);
  return home;
}

Deno.test("varietal stats --json prints every figure of the collection", async () => {
  await using home = await knownHome();
  const r = await runCli(home, ["stats", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const s = r.json<CollectionStats>();
  assertEquals(s.counts.images, 57);
  assertEquals(s.counts.missing, 3);
  assertEquals(s.hue.bins.map((b) => b.count), [7, 3, 0, 1, 7, 10, 0, 0]);
  assertEquals(s.hue.grey, 10);
  assertEquals(s.lightness.histogram.map((b) => b.count), [6, 4, 0, 8, 0, 7, 2, 0, 0, 8]);
  assertEquals(s.sources.map((x) => [x.path, x.images]), [["/a", 38], ["/b", 19]]);
  assertEquals(s.most_shown.length, 5);
  assertEquals(s.most_shown[0].times_shown, 3);
});

Deno.test("varietal stats prints plain bar charts when stdout is not a terminal", async () => {
  await using home = await knownHome();
  const r = await runCli(home, ["stats", "--top", "2"]);
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(r.stdout, "Collection  57 images (3 missing) · 35 with palette");
  assert(!r.stdout.includes("\x1b["), "no escape codes without a terminal");
  assertStringIncludes(r.stdout, "  cyan 170–200°     █████████████████████");
  const most = r.stdout.split("Most shown\n")[1].split("\n\n")[0].split("\n");
  assertEquals(most.length, 2);
  assert(most[0].includes("3×") && most[0].endsWith("/a/img-01.jpg"), most[0]);
});

Deno.test("varietal stats draws hue bins in their own colour on a terminal", async (t) => {
  if (!(await exists("/usr/bin/script"))) {
    t.step({
      name: "skipped: util-linux 'script' (a pseudo-terminal) is not installed",
      ignore: true,
      fn() {},
    });
    return;
  }
  await using home = await knownHome();
  const cmd = [Deno.execPath(), "run", "-q", ...RUN_FLAGS, `${ROOT}/main.ts`, "stats"]
    .map((a) => `'${a}'`).join(" ");
  const run = async (env: Record<string, string>) => {
    const out = await new Deno.Command("/usr/bin/script", {
      args: ["-qec", cmd, "/dev/null"],
      env: { ...home.env, TERM: "xterm-256color", ...env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout);
  };
  const coloured = await run({ NO_COLOR: "" });
  // the cyan range (170–200°) is drawn in its centre colour, #3ccfdd
  assertEquals(hueBinColor(4), "#3ccfdd");
  assertStringIncludes(coloured, "  cyan 170–200°     \x1b[38;2;60;207;221m█");
  assertStringIncludes(coloured, "\x1b[1mCollection");
  const plain = await run({ NO_COLOR: "1" });
  assertStringIncludes(plain, "Collection");
  assert(!plain.includes("\x1b[38;2;"), "NO_COLOR turns colour off");
});

Deno.test("varietal stats rejects a bad --top and extra arguments", async () => {
  await using home = await tempHome();
  const r = await runCli(home, ["stats", "--top", "many"]);
  assertEquals(r.code, 2);
  assertStringIncludes(r.stderr, "invalid value 'many' for --top");
  const r2 = await runCli(home, ["stats", "extra"]);
  assertEquals(r2.code, 2);
});

Deno.test("varietal stats on an empty collection says how to start", async () => {
  await using home = await tempHome();
  const r = await runCli(home, ["stats"]);
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(r.stdout, "varietal sources add DIR");
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
