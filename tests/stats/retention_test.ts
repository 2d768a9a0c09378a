import { assertEquals, assertStringIncludes, assertThrows } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { addSource } from "../../src/db/sources.ts";
import { getImage, insertImage } from "../../src/db/images.ts";
import { countHistory, pruneHistory, recordShows } from "../../src/db/history.ts";
import { applyRetention, retentionCutoff } from "../../src/db/retention.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { runCli, tempHome } from "../_helpers/env.ts";

const DAY = 86_400_000;

/** The facts of a 1 × 1 JPEG at `path` in source `src`. */
const facts = (path: string, src: number) => ({
  path,
  source_id: src,
  size: 1,
  mtime: 1,
  width: 1,
  height: 1,
  format: "jpg",
});

/** One image shown at each of the given ages (days before `now`). */
function withShows(db: Database, now: number, ages: number[]): number {
  const src = addSource(db, "/r").source.id;
  const id = insertImage(db, facts("/r/a.jpg", src), now - 1000 * DAY);
  recordShows(
    db,
    [...ages].sort((a, b) => b - a).map((d) => ({ imageId: id, shownAt: now - d * DAY })),
  );
  return id;
}

const config = (keep_days: number) => {
  const c = defaultConfig();
  c.history.keep_days = keep_days;
  return c;
};

Deno.test("applyRetention() deletes history older than keep_days and keeps counters", async () => {
  using db = await Database.open(":memory:");
  const now = Date.UTC(2026, 0, 31);
  const id = withShows(db, now, [400, 100, 31, 29, 1]);
  assertEquals(applyRetention(db, config(30), now, { dryRun: true }), {
    cutoff: now - 30 * DAY,
    deleted: 3,
  });
  assertEquals(countHistory(db), 5);
  assertEquals(applyRetention(db, config(30), now).deleted, 3);
  assertEquals(countHistory(db), 2);
  assertEquals(getImage(db, id)?.times_shown, 5);
  assertEquals(applyRetention(db, config(30), now).deleted, 0, "a second call finds nothing");
  assertEquals(applyRetention(db, config(0), now + 1000 * DAY), { cutoff: null, deleted: 0 });
  assertEquals(countHistory(db), 2);
});

Deno.test("retentionCutoff() keeps everything at 0 and rejects negative days", () => {
  assertEquals(retentionCutoff(0, 5 * DAY), null);
  assertEquals(retentionCutoff(2, 5 * DAY), 3 * DAY);
  assertThrows(() => retentionCutoff(-1, 0), RangeError, "keep_days");
});

Deno.test("varietal prune without flags applies history.keep_days", async () => {
  await using home = await tempHome();
  {
    using db = await Database.open(home.database);
    withShows(db, Date.now(), [100, 40, 10, 1]);
  }
  await home.writeConfig("[history]\nkeep_days = 30\n");
  const dry = await runCli(home, ["prune", "--dry-run", "--json"]);
  assertEquals(dry.code, 0, dry.stderr);
  assertEquals(dry.json(), { missing_images: 0, history_rows: 2, dry_run: true });
  const r = await runCli(home, ["prune"]);
  assertEquals(r.code, 0, r.stderr);
  // Only what it did: no word of missing images, which a plain prune does not look at.
  assertEquals(r.stdout, "Deleted 2 history row(s) (history older than [history] keep_days)\n");
  using db = await Database.open(home.database);
  assertEquals(countHistory(db), 2);
});

Deno.test("varietal prune without flags and keep_days = 0 keeps everything and succeeds", async () => {
  await using home = await tempHome();
  await home.writeConfig("[history]\nkeep_days = 0\n");
  const r = await runCli(home, ["prune"]);
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(r.stdout, "keep_days is 0, which keeps all history");
  const j = await runCli(home, ["prune", "--json"]);
  assertEquals(j.code, 0, j.stderr);
  assertEquals(j.json(), { missing_images: 0, history_rows: 0, dry_run: false });
});

Deno.test("applyRetention() and pruneHistory() keep the newest show and the browsed one", async () => {
  using db = await Database.open(":memory:");
  const now = Date.UTC(2026, 0, 31);
  withShows(db, now, [400, 300, 200]);
  // keep_days = 1: every show is older, yet the wallpaper on screen stays.
  assertEquals(applyRetention(db, config(1), now, { dryRun: true }).deleted, 2);
  assertEquals(applyRetention(db, config(1), now, { keep: [now - 300 * DAY] }).deleted, 1);
  assertEquals(
    (db.raw.prepare("SELECT shown_at FROM history ORDER BY shown_at").all() as {
      shown_at: number;
    }[]).map((r) => (now - r.shown_at) / DAY),
    [300, 200],
  );
  assertEquals(pruneHistory(db, now), 1);
  assertEquals(countHistory(db), 1);
});

Deno.test("varietal prune --history-older-than keeps the current wallpaper; 0 is refused", async () => {
  await using home = await tempHome();
  {
    using db = await Database.open(home.database);
    withShows(db, Date.now(), [3, 2, 1]);
  }
  // keep_days = 0 means "keep everything": 0 here is refused rather than taken the other way.
  const zero = await runCli(home, ["prune", "--history-older-than", "0", "--json"]);
  assertEquals(zero.code, 2, zero.stderr);
  assertStringIncludes(zero.stderr, "--history-older-than 0 would delete all history");
  {
    using db = await Database.open(home.database);
    assertEquals(countHistory(db), 3);
  }
  for (const bad of ["-1", "1x"]) {
    const r = await runCli(home, ["prune", "--history-older-than", bad]);
    assertEquals(r.code, 2, r.stderr);
    assertStringIncludes(r.stderr, "expected a number of days above 0, or a duration such as 12h");
  }
  // A duration with a unit: older than 60 hours is the show of 3 days ago only.
  const hours = await runCli(home, ["prune", "--history-older-than", "60h", "--dry-run", "--json"]);
  assertEquals(hours.code, 0, hours.stderr);
  assertEquals(hours.json<{ history_rows: number }>().history_rows, 1);
  const r = await runCli(home, ["prune", "--history-older-than", "0.0001", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.json<{ history_rows: number }>().history_rows, 2);
  const current = await runCli(home, ["current"]);
  assertEquals(current.code, 0, current.stderr);
  assertStringIncludes(current.stdout, "/r/a.jpg");
});

Deno.test("varietal prune --missing counts the history rows that go with the images", async () => {
  await using home = await tempHome();
  const dir = `${home.root}/walls`;
  await Deno.mkdir(dir);
  await Deno.writeTextFile(`${dir}/kept.jpg`, "x");
  const now = Date.now();
  {
    using db = await Database.open(home.database);
    const src = addSource(db, dir).source.id;
    const gone = insertImage(db, facts(`${dir}/gone.jpg`, src), now - 10 * DAY);
    const kept = insertImage(db, facts(`${dir}/kept.jpg`, src), now - 10 * DAY);
    recordShows(db, [
      { imageId: gone, shownAt: now - 5 * DAY },
      { imageId: kept, shownAt: now - 4 * DAY },
      { imageId: gone, shownAt: now - 3 * DAY },
      { imageId: kept, shownAt: now - 2 * DAY },
    ]);
    db.prepare("UPDATE images SET missing_since = ? WHERE id = ?").run(now - DAY, gone);
  }
  const dry = await runCli(home, ["prune", "--missing", "--dry-run", "--json"]);
  assertEquals(dry.code, 0, dry.stderr);
  assertEquals(dry.json<{ missing_images: number; history_rows: number }>().history_rows, 2);
  // With an age limit too, a row both old and of a missing image is counted once.
  const both = await runCli(home, [
    "prune",
    "--missing",
    "--history-older-than",
    "4.5",
    "--dry-run",
    "--json",
  ]);
  assertEquals(both.json<{ history_rows: number }>().history_rows, 2);
  const r = await runCli(home, ["prune", "--missing", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const done = r.json<{ missing_images: number; history_rows: number }>();
  assertEquals([done.missing_images, done.history_rows], [1, 2]);
  using db = await Database.open(home.database);
  assertEquals(countHistory(db), 2);
});
