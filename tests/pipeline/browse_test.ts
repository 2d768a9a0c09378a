// History browsing: show groups, neighbours, the cursor file; palette freshness.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { insertImage } from "../../src/db/images.ts";
import { addSource } from "../../src/db/sources.ts";
import { recordShows } from "../../src/db/history.ts";
import { getPlayState, setPlayState } from "../../src/db/play_state.ts";
import { CLOCK_AHEAD_SLACK_MS, CLOCK_FAST_MAX_MS, showTime } from "../../src/db/show_time.ts";
import {
  browseFile,
  currentShow,
  neighbourShowTime,
  newestShowTime,
  readBrowseState,
  showRows,
  writeBrowseState,
} from "../../src/pipeline/browse.ts";
import { paletteIsFresh } from "../../src/pipeline/apply_show.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import type { StoredPalette } from "../../src/db/palettes.ts";
import { runCli } from "../_helpers/env.ts";
import { scannedHome } from "./_fixture.ts";

/** Three shows (the second on two outputs) at these times. */
async function history(times = [1000, 2000, 3000]): Promise<Database> {
  const db = await Database.open(":memory:");
  const { source } = addSource(db, "/w", { now: 1 });
  const ids = ["a", "b", "c"].map((n) =>
    insertImage(db, {
      path: `/w/${n}.png`,
      source_id: source.id,
      size: 1,
      mtime: 1,
      width: 10,
      height: 10,
      format: "png",
    }, 1)
  );
  recordShows(db, [{ imageId: ids[0], shownAt: times[0] }]);
  recordShows(db, [
    { imageId: ids[1], shownAt: times[1], output: "DP-1" },
    { imageId: ids[2], shownAt: times[1], output: "DP-2" },
  ]);
  recordShows(db, [{ imageId: ids[0], shownAt: times[2] }]);
  return db;
}

Deno.test("showRows() groups the rows of one show across outputs", async () => {
  using db = await history();
  assertEquals(showRows(db, 2000).map((r) => [r.path, r.output]), [
    ["/w/b.png", "DP-1"],
    ["/w/c.png", "DP-2"],
  ]);
  assertEquals(newestShowTime(db), 3000);
});

Deno.test("showTime() keeps shows in order across a small clock step, and moves back shows from a fast clock", async () => {
  const DAY = 86_400_000;
  const now = 10 * DAY;
  const at = history;
  const column = (db: Database, sql: string) =>
    (db.prepare(sql).all() as { t: number }[]).map((r) => r.t);
  const shownAt = (db: Database) => column(db, "SELECT shown_at AS t FROM history ORDER BY id");

  using past = await at([now - 3000, now - 2000, now - 1000]);
  assertEquals(showTime(past, now), now);
  assertEquals(shownAt(past), [now - 3000, now - 2000, now - 2000, now - 1000]);

  // A small step back of the clock: one millisecond after the newest, nothing moved.
  using step = await at([now - 3000, now - 2000, now + CLOCK_AHEAD_SLACK_MS]);
  assertEquals(showTime(step, now), now + CLOCK_AHEAD_SLACK_MS + 1);
  assertEquals(shownAt(step), [now - 3000, now - 2000, now - 2000, now + CLOCK_AHEAD_SLACK_MS]);

  // The clock was ten hours fast for the last two shows (a hardware clock in local time,
  // UTC+10): they move to just before now, in order, the outputs of one show together, and
  // so do the last-shown times and a shuffle cycle begun at the second of them.
  const FAST = 10 * 3_600_000;
  using fast = await at([now - 3000, now + FAST, now + FAST + 1000]);
  setPlayState(fast, 1, { play_order: "shuffle", seed: 7, cycle_started_at: now + FAST + 1000 });
  assertEquals(showTime(fast, now), now);
  assertEquals(shownAt(fast), [now - 3000, now - 2, now - 2, now - 1]);
  assertEquals(column(fast, "SELECT last_shown_at AS t FROM images ORDER BY id"), [
    now - 1,
    now - 2,
    now - 2,
  ]);
  assertEquals(column(fast, "SELECT last_shown_at AS t FROM sources"), [now - 1]);
  assertEquals(getPlayState(fast, 1)?.cycle_started_at, now - 1);

  // No room between the last show in the past and now: they follow that show.
  using tight = await at([now - 1, now + FAST, now + FAST + 1000]);
  assertEquals(showTime(tight, now), now + 2);
  assertEquals(shownAt(tight), [now - 1, now, now, now + 1]);
});

Deno.test("showTime() leaves history as it is when the clock is far behind it (a reset clock)", async () => {
  const DAY = 86_400_000;
  const now = Date.UTC(2000, 0, 1); // a flat CMOS battery
  const real = Date.UTC(2026, 11, 5);
  using db = await history([real - 20 * DAY, real - DAY, real]);
  setPlayState(db, 1, { play_order: "shuffle", seed: 7, cycle_started_at: real - DAY });
  const before = db.prepare("SELECT * FROM history ORDER BY id").all();
  const last = db.prepare("SELECT id, last_shown_at FROM images ORDER BY id").all();
  // Dated after the newest show, so shows stay in order; no date is rewritten.
  assertEquals(showTime(db, now), real + 1);
  assertEquals(db.prepare("SELECT * FROM history ORDER BY id").all(), before);
  assertEquals(db.prepare("SELECT id, last_shown_at FROM images ORDER BY id").all(), last);
  assertEquals(getPlayState(db, 1)?.cycle_started_at, real - DAY);
  // Just past the limit of a fast clock it is the same; just within, the shows are moved.
  using edge = await history([real - DAY, real - 1000, real]);
  assertEquals(showTime(edge, real - CLOCK_FAST_MAX_MS - 1), real + 1);
  assertEquals(showTime(edge, real - CLOCK_FAST_MAX_MS), real - CLOCK_FAST_MAX_MS);
});

Deno.test("neighbourShowTime() steps back and forward between shows", async () => {
  using db = await history();
  assertEquals(neighbourShowTime(db, 3000, "back"), 2000);
  assertEquals(neighbourShowTime(db, 2000, "back"), 1000);
  assertEquals(neighbourShowTime(db, 1000, "back"), undefined);
  assertEquals(neighbourShowTime(db, 1000, "forward"), 2000);
  assertEquals(neighbourShowTime(db, 3000, "forward"), undefined);
});

Deno.test("currentShow() follows the cursor and falls back to the newest show", async () => {
  using db = await history();
  assertEquals(currentShow(db, { cursor: null, changedAt: 0 }).map((r) => r.path), ["/w/a.png"]);
  assertEquals(currentShow(db, { cursor: 2000, changedAt: 0 }).length, 2);
  assertEquals(currentShow(db, { cursor: 1234, changedAt: 0 })[0].shown_at, 3000);
});

Deno.test("readBrowseState() reads what writeBrowseState() wrote, and survives damage", async () => {
  const dir = await Deno.makeTempDir({ prefix: "varietal-browse-" });
  try {
    const file = browseFile(`${dir}/state`);
    assertEquals(await readBrowseState(file), { cursor: null, changedAt: 0 });
    await writeBrowseState(file, { cursor: 2000, changedAt: 42 });
    assertEquals(await readBrowseState(file), { cursor: 2000, changedAt: 42 });
    await Deno.writeTextFile(file, "{not json");
    assertEquals(await readBrowseState(file), { cursor: null, changedAt: 0 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("paletteIsFresh() wants a palette newer than the file, same variant and origin", () => {
  const config = defaultConfig();
  const p = (over: Partial<StoredPalette> = {}) =>
    ({
      origin: "builtin",
      variant: "dark16",
      extracted_at: 500,
      source_color: "#336699",
      hue_mask: 0,
      ...over,
    }) as StoredPalette;
  assert(paletteIsFresh(p(), 400, config));
  // stored before source colours were kept: extracted once more, so re-theming never decodes again
  assert(!paletteIsFresh(p({ source_color: null }), 400, config), "no source colour");
  assert(!paletteIsFresh(p(), 600, config), "older than the file");
  assert(!paletteIsFresh(p({ variant: "light16" }), 400, config));
  assert(!paletteIsFresh(undefined, 400, config));
  assert(!paletteIsFresh(p({ hue_mask: null }), 400, config), "figures from an older version");
  // wallust palettes are compared with the palette wallust is set to make, not palette.variant
  const w = p({ origin: "wallust", variant: "dark" });
  assert(paletteIsFresh(w, 400, config, "dark"), "wallust's default palette is dark");
  assert(!paletteIsFresh(w, 400, config, "dark16"), "wallust.toml now says dark16");
  assert(!paletteIsFresh(w, 400, config, undefined), "wallust.toml unreadable");
  config.palette.origin = "wallust";
  assert(!paletteIsFresh(p(), 400, config), "origin differs");
  assert(paletteIsFresh(w, 400, config, "dark"));
});

Deno.test("a place in history that cannot be saved is a warning: the show is recorded and themed", async () => {
  // A full disk or a read-only state folder; here browse.json is a folder, which even root cannot
  // replace with a file.
  const { home, picture } = await scannedHome();
  await using _home = home;
  const browse = `${home.env.XDG_STATE_HOME}/varietal/browse.json`;
  await Deno.mkdir(browse, { recursive: true });
  const r = await runCli(home, ["next", "--setter", "none", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assertEquals(out.path, picture);
  assert(
    out.warnings.some((w: string) =>
      w.startsWith("the place in history was not saved (") &&
      w.endsWith("'prev' and 'next' step from the one before")
    ),
    out.warnings.join("\n"),
  );
  const colors = JSON.parse(
    await Deno.readTextFile(`${home.env.XDG_CACHE_HOME}/varietal/theme/colors.json`),
  );
  assertEquals(colors.wallpaper, picture, "the theme followed the show");
  assertEquals((await runCli(home, ["history", "--json"])).stdout.includes(picture), true);
});
