import fc from "../_helpers/fc.ts";
import { assert, assertEquals } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { addSource, listSources, removeSource } from "../../src/db/sources.ts";
import { deleteImages, insertImage, markMissing, setImageFlag } from "../../src/db/images.ts";
import { markDecodeFailed } from "../../src/db/decode_failures.ts";
import { deletePalette, saveFigures, savePalette } from "../../src/db/palettes.ts";
import { recordShows } from "../../src/db/history.ts";
import {
  readPaletteCells,
  readSourceCounts,
  recountPaletteCells,
  recountSourceCounts,
} from "../../src/db/stats.ts";
import { collectionStats, statsComputations } from "../../src/stats/collection_stats.ts";
import { paletteCell, SELECTION_DARK_BELOW } from "../../src/stats/buckets.ts";
import { hueMask } from "../../src/palette/hue_ranges.ts";
import { DARK_BELOW } from "../../src/select/constraints.ts";
import { scanSources } from "../../src/scan/scanner.ts";
import { writeImage } from "../_helpers/images.ts";
import { buildKnownCollection, NOW, palette } from "./_collection.ts";

const counts = (xs: { name: string; count: number }[]) =>
  Object.fromEntries(xs.map((x) => [x.name, x.count]));

Deno.test("collectionStats() counts every bin of a known collection exactly", async () => {
  using db = await Database.open(":memory:");
  const { ids, a, b } = buildKnownCollection(db);
  const s = collectionStats(db, NOW);
  assertEquals(s.counts, {
    images: 57,
    missing: 3,
    with_palette: 35,
    without_palette: 22,
    favorites: 3,
    banned: 2,
    shown: 5,
    never_shown: 52,
    undecodable: 0,
  });
  assertEquals(counts(s.lightness.buckets), { dark: 15, medium: 10, light: 10 });
  assertEquals(s.lightness.histogram.map((x) => x.count), [6, 4, 0, 8, 0, 7, 2, 0, 0, 8]);
  assertEquals(s.lightness.selection, { dark: 18, light: 17 });
  // A palette counts in every range holding 10 % of its picture: the three
  // orange-and-blue ones are in both.
  assertEquals(counts(s.hue.bins), {
    red: 7,
    orange: 3,
    yellow: 0,
    green: 1,
    cyan: 7,
    blue: 10,
    purple: 0,
    magenta: 0,
  });
  assertEquals([s.hue.grey, s.hue.pending], [10, 0]);
  assertEquals(counts(s.saturation.buckets), { grey: 10, muted: 5, moderate: 10, vivid: 10 });
  assertEquals(s.saturation.histogram.map((x) => x.count), [10, 0, 5, 3, 7, 0, 7, 0, 0, 3]);
  assertEquals(s.temperature, { cool: 14, neutral: 11, warm: 10 });
  assertEquals(counts(s.freshness), { day: 2, week: 1, month: 1, older: 1, never: 52 });
  // Nine history rows; the two of 3 days ago share their time (one show of two pictures).
  assertEquals(s.history, {
    shows: 8,
    first_shown_at: NOW - 100 * 86_400_000,
    last_shown_at: NOW - 3_600_000,
    last_day: 3,
    last_week: 4,
    last_month: 6,
  });
  const byPath = Object.fromEntries(s.sources.map((x) => [x.path, x]));
  assertEquals(byPath["/a"], {
    id: a,
    path: "/a",
    enabled: true,
    images: 38,
    missing: 2,
    favorites: 2,
    banned: 2,
    shown: 5,
    never_shown: 33,
    times_shown: 8,
    share_of_shows: 8 / 9,
    last_shown_at: NOW - 2 * 3_600_000,
  });
  assertEquals(byPath["/b"].images, 19);
  assertEquals(byPath["/b"].missing, 1);
  assertEquals(byPath["/b"].shown, 0);
  assertEquals(byPath["/b"].id, b);
  assertEquals(s.most_shown.slice(0, 2).map((x) => [x.id, x.times_shown]), [[ids[1], 3], [
    ids[10],
    2,
  ]]);
  assertEquals(s.least_shown[0].times_shown, 1);
  assert(!s.most_shown.some((x) => x.id === ids[27]), "missing images are not ranked");
  assertEquals(s.longest_unseen[0].id, ids[11]);
  // A banned image will not be shown again: it is nobody's next to see.
  setImageFlag(db, ids[11], "banned", true);
  const after = collectionStats(db, NOW);
  assert(!after.longest_unseen.some((x) => x.id === ids[11]), "banned: not 'longest unseen'");
  assert(!after.least_shown.some((x) => x.id === ids[11]), "banned: not 'least shown'");
});

Deno.test("collectionStats() of an empty database is all zeros", async () => {
  using db = await Database.open(":memory:");
  const s = collectionStats(db, NOW);
  assertEquals(s.counts.images, 0);
  assertEquals(s.lightness.histogram.every((x) => x.count === 0), true);
  assertEquals(s.history.first_shown_at, null);
  assertEquals(counts(s.freshness), { day: 0, week: 0, month: 0, older: 0, never: 0 });
  assertEquals(s.sources, []);
});

Deno.test("SELECTION_DARK_BELOW matches the split varietal select uses", () => {
  assertEquals(SELECTION_DARK_BELOW, DARK_BELOW);
});

Deno.test("stat tables stay equal to a recount through every kind of write", async () => {
  using db = await Database.open(":memory:");
  const { ids, a } = buildKnownCollection(db);
  const check = (what: string) => {
    assertEquals(readPaletteCells(db), recountPaletteCells(db), `palette cells after ${what}`);
    assertEquals(
      readSourceCounts(db).sort((x, y) => x.source_id - y.source_id),
      recountSourceCounts(db),
      `image counts after ${what}`,
    );
  };
  check("building");
  savePalette(db, ids[0], palette(100, 0.5, 0.5, 0.5)); // INSERT OR REPLACE
  check("replacing a palette");
  db.raw.prepare(
    `INSERT INTO palettes SELECT * FROM palettes WHERE image_id = ?
     ON CONFLICT(image_id) DO UPDATE SET avg_lightness = 0.9`,
  ).run(ids[1]);
  check("an upsert");
  db.raw.prepare("UPDATE palettes SET avg_hue = 300, avg_saturation = 0.8 WHERE image_id = ?")
    .run(ids[2]);
  check("an update");
  db.raw.prepare("UPDATE palettes SET hue_mask = NULL WHERE image_id IN (?, ?)").run(
    ids[4],
    ids[5],
  );
  check("marking figures as from an older version");
  saveFigures(db, ids[4], {
    avg_hue: 200,
    avg_saturation: 0.3,
    avg_lightness: 0.4,
    temperature: -0.3,
    hue_shares: [{ hue: 200, share: 0.5 }],
  });
  check("recomputing figures");
  deletePalette(db, ids[3]);
  check("deleting a palette");
  setImageFlag(db, ids[30], "favorite", true);
  setImageFlag(db, ids[1], "favorite", false);
  setImageFlag(db, ids[31], "banned", true);
  check("flags");
  recordShows(db, [{ imageId: ids[33], shownAt: NOW, palette: palette(20, 0.4, 0.2, 0.3) }]);
  check("a show with a palette");
  const src = addSource(db, "/c").source.id;
  db.raw.prepare("UPDATE images SET source_id = ? WHERE id = ?").run(src, ids[7]);
  check("moving an image");
  deleteImages(db, [ids[8], ids[9], ids[40]]);
  check("deleting images");
  removeSource(db, a);
  check("removing a source");
  assertEquals(readSourceCounts(db).some((r) => r.source_id === a), false);
});

Deno.test("the summary triggers bin palettes exactly as paletteCell() does", async () => {
  using db = await Database.open(":memory:");
  const source = addSource(db, "/p").source.id;
  let n = 0;
  // Hundredths hit every bucket limit; doubles cover the rest.
  const figure = fc.oneof(
    fc.constantFrom(0, 0.05, 0.0999, 0.1, 0.3, 0.35, 0.5, 0.6, 0.65, 0.9999, 1),
    fc.integer({ min: -2, max: 102 }).map((x) => x / 100),
    fc.double({ min: -0.05, max: 1.05, noNaN: true }),
  );
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          hue: fc.option(
            fc.oneof(
              fc.constantFrom(0, 29.999, 30, 330, 359.99, 360),
              fc.integer({ min: -1, max: 361 }),
              fc.double({ min: -10, max: 370, noNaN: true }),
            ),
            { nil: null },
          ),
          // undefined: figures from an older version (pending)
          shares: fc.option(
            fc.array(fc.tuple(fc.integer({ min: 0, max: 359 }), fc.integer({ min: 1, max: 40 })), {
              maxLength: 4,
            }).map((xs) => xs.map(([h, pct]) => [h, pct / 100] as [number, number])),
            { nil: undefined },
          ),
          sat: figure,
          light: figure,
          temp: fc.oneof(
            fc.constantFrom(-0.1, 0.1, -0.1001, 0.1001),
            fc.integer({ min: -100, max: 100 }).map((x) => x / 100),
            fc.double({ min: -1, max: 1, noNaN: true }),
          ),
        }),
        { minLength: 1, maxLength: 30 },
      ),
      (rows) => {
        db.raw.exec("DELETE FROM images");
        const expected = new Map<string, number>();
        db.transaction(() => {
          for (const r of rows) {
            const id = insertImage(db, {
              path: `/p/${n++}.png`,
              source_id: source,
              size: 1,
              mtime: 1,
              width: 1,
              height: 1,
              format: "png",
            }, 1);
            const p = palette(r.hue, r.sat, r.light, r.temp, r.shares ?? []);
            if (!r.shares) delete p.hue_shares;
            savePalette(db, id, p);
            const c = paletteCell({
              hue_mask: p.hue_shares ? hueMask(p.hue_shares) : null,
              avg_saturation: r.sat,
              avg_lightness: r.light,
              temperature: r.temp,
            });
            const k = `${c.l}|${c.h}|${c.s}|${c.t}`;
            expected.set(k, (expected.get(k) ?? 0) + 1);
          }
        });
        const got = new Map(readPaletteCells(db).map((c) => [`${c.l}|${c.h}|${c.s}|${c.t}`, c.n]));
        assertEquals(got, expected);
      },
    ),
    { numRuns: 100 },
  );
});

Deno.test("collectionStats() is cached until a recorded show changes the database", async () => {
  using db = await Database.open(":memory:");
  const { ids } = buildKnownCollection(db);
  const first = collectionStats(db, NOW);
  const before = statsComputations();
  assert(collectionStats(db, NOW) === first, "second call is served from the cache");
  assertEquals(statsComputations(), before);
  recordShows(db, [{ imageId: ids[20], shownAt: NOW }]);
  const after = collectionStats(db, NOW);
  assertEquals(statsComputations(), before + 1);
  assertEquals(after.history.shows, first.history.shows + 1);
  assertEquals(after.counts.shown, first.counts.shown + 1);
  assert(collectionStats(db, NOW) === after);
  assert(collectionStats(db, NOW + 120_000) !== after, "a new minute recomputes freshness");
});

Deno.test("collectionStats() sees a scan and another connection's writes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "varietal-stats-" });
  try {
    await writeImage(`${dir}/walls/one.png`, { width: 32, height: 16, colors: [0x336699] });
    using db = await Database.open(`${dir}/v.db`);
    addSource(db, `${dir}/walls`);
    await scanSources(db, listSources(db), { now: NOW });
    const first = collectionStats(db, NOW);
    assertEquals(first.counts.images, 1);
    assert(collectionStats(db, NOW) === first);
    await writeImage(`${dir}/walls/two.png`, { width: 32, height: 16, colors: [0x993366] });
    await scanSources(db, listSources(db), { now: NOW });
    const second = collectionStats(db, NOW);
    assertEquals(second.counts.images, 2);
    assert(collectionStats(db, NOW) === second);
    {
      using other = await Database.open(`${dir}/v.db`);
      const id = (other.prepare("SELECT MIN(id) AS id FROM images").get() as { id: number }).id;
      recordShows(other, [{ imageId: id, shownAt: NOW, palette: palette(210, 0.5, 0.3, -0.4) }]);
    }
    const third = collectionStats(db, NOW);
    assert(third !== second, "another connection's commit invalidates the cache");
    assertEquals(third.counts.shown, 1);
    assertEquals(third.counts.with_palette, 1);
    assertEquals(third.hue.bins.find((x) => x.name === "blue")?.count, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("collectionStats() counts the present images left out because they failed to decode", async () => {
  using db = await Database.open(":memory:");
  const { ids } = buildKnownCollection(db);
  const failure = { at: NOW, size: 1, mtime: 1, pixels: null, reason: "damaged JPEG" };
  markDecodeFailed(db, ids[0], failure);
  markDecodeFailed(db, ids[1], failure);
  markMissing(db, [ids[1]], NOW); // a missing one is counted as missing only
  const s = collectionStats(db, NOW + 1);
  assertEquals(s.counts.undecodable, 1);
});
