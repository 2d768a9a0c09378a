// Reliability: rapid presses, load, a crash mid-setter.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { spawnCli } from "../_helpers/env.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import type { Database } from "../../src/db/database.ts";
import { getPalette } from "../../src/db/palettes.ts";
import { paletteForImage } from "../../src/palette/palette_for_image.ts";
import { fixture, historyRows } from "./_fixture.ts";

function quickCheck(db: Database): string[] {
  return (db.raw.prepare("PRAGMA quick_check").all() as { quick_check: string }[]).map((r) =>
    r.quick_check
  );
}

async function finish(child: Deno.ChildProcess) {
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("5 simultaneous next: 5 rows in lock order, own palettes, theme of the last", async () => {
  await using f = await fixture({ images: 8 });
  const children = Array.from({ length: 5 }, () => spawnCli(f.home, ["next"]));
  const results = await Promise.all(children.map(finish));
  for (const r of results) assertEquals(r.code, 0, r.stderr);
  using db = await f.openDb();
  const rows = historyRows(db);
  assertEquals(rows.length, 5);
  const calls = (await f.setterCalls()).map((l) => l.split("|")[0]);
  assertEquals(calls, rows.map((r) => r.path), "setter calls are not in lock (history) order");
  assertEquals(
    results.map((r) => r.stdout.trim()).sort(),
    rows.map((r) => r.path).sort(),
  );
  const config = defaultConfig();
  config.palette.origin = "builtin";
  const paths = resolvePaths((k) => f.home.env[k]);
  for (const row of rows) {
    const stored = getPalette(db, row.image_id);
    assert(stored, `no palette stored for ${row.path}`);
    const direct = (await paletteForImage(row.path, { config, paths })).palette;
    assertEquals(stored.colors, direct.colors, `stored palette of ${row.path} is not its own`);
    assertEquals(stored.background, direct.background);
  }
  const last = rows.at(-1)!;
  const probe = (await Deno.readTextFile(f.probe)).split("\n");
  assertEquals(probe[0], last.path, "the themed files do not follow the last image");
  assertEquals(probe[1], getPalette(db, last.image_id)!.background);
});

Deno.test("8 processes x 25 next: no errors, 200 rows, quick_check ok", async () => {
  await using f = await fixture({ images: 12 });
  const worker = async () => {
    const errors: string[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await finish(spawnCli(f.home, ["next", "--no-theme", "--wait", "120s"]));
      if (r.code !== 0) errors.push(`exit ${r.code}: ${r.stderr.trim()}`);
    }
    return errors;
  };
  const errors = (await Promise.all(Array.from({ length: 8 }, worker))).flat();
  assertEquals(errors, []);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 200);
  assertEquals(quickCheck(db), ["ok"]);
  const shown = db.prepare("SELECT SUM(times_shown) AS n FROM images").get() as { n: number };
  assertEquals(shown.n, 200);
  assertEquals((await f.setterCalls()).length, 200);
});

Deno.test("kill -9 during the setter: nothing recorded, lock released, next run works", async () => {
  await using f = await fixture();
  const first = await f.cli(["next", "--no-theme"]);
  assertEquals(first.code, 0, first.stderr);
  const child = spawnCli(f.home, ["next", "--no-theme"], { env: { SETTER_SLEEP: "8" } });
  for (let i = 0; i < 200 && (await f.setterCalls()).length < 2; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assertEquals((await f.setterCalls()).length, 2, "the setter was not called");
  child.kill("SIGKILL");
  const r = await finish(child);
  assert(r.code !== 0);
  {
    using db = await f.openDb();
    assertEquals(historyRows(db).length, 1);
    assertEquals(quickCheck(db), ["ok"]);
  }
  const after = await f.cli(["next", "--no-theme", "--wait", "2s"]);
  assertEquals(after.code, 0, after.stderr);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 2);
});

Deno.test("SIGHUP (the terminal closed) during the setter stops it as Ctrl-C does: exit 129, nothing recorded", async () => {
  await using f = await fixture();
  const first = await f.cli(["next", "--no-theme"]);
  assertEquals(first.code, 0, first.stderr);
  const hold = `${f.home.root}/hold`;
  await Deno.writeTextFile(hold, "");
  const child = spawnCli(f.home, ["next", "--no-theme"], {
    env: { SETTER_HOLD: hold, SETTER_SLEEP: "0" },
  });
  for (let i = 0; i < 200 && (await f.setterCalls()).length < 2; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assertEquals((await f.setterCalls()).length, 2, "the setter was not called");
  child.kill("SIGHUP");
  const r = await finish(child);
  assertEquals(r.code, 129, r.stderr);
  assertStringIncludes(r.stderr, "Interrupted by SIGHUP");
  // The setter was stopped with it (left alone, it would finish once the hold goes, unrecorded).
  const ps = await new Deno.Command("pgrep", { args: ["-f", `${f.home.root}/setter.sh`] }).output();
  assertEquals(new TextDecoder().decode(ps.stdout).trim(), "", "the setter still runs");
  await Deno.remove(hold);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 1);
});

Deno.test("next waits for the lock, then reports 'busy' with exit 75", async () => {
  await using f = await fixture();
  const slow = spawnCli(f.home, ["next", "--no-theme"], { env: { SETTER_SLEEP: "3" } });
  for (let i = 0; i < 200 && (await f.setterCalls()).length < 1; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const busy = await f.cli(["next", "--no-theme", "--wait", "200ms"]);
  assertEquals(busy.code, 75, busy.stderr);
  assertStringIncludes(busy.stderr, "another varietal is busy");
  assertStringIncludes(busy.stderr, "next");
  assertEquals((await finish(slow)).code, 0);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 1);
});
