// Ordered folders (sequential, shuffle) and groups in selectImages().
import { assert, assertEquals, assertNotEquals, assertThrows } from "../_helpers/assert.ts";
import { selectImages, type SelectOptions } from "../../src/select/selector.ts";
import { UnknownGroupError } from "../../src/select/playlists.ts";
import { recordShows } from "../../src/db/history.ts";
import { deleteImages, insertImage, setImageFlag } from "../../src/db/images.ts";
import { setSourceOrder } from "../../src/db/sources.ts";
import type { Database } from "../../src/db/database.ts";
import type { Config } from "../../src/config/schema.ts";
import type { Constraints } from "../../src/select/constraints.ts";
import { allExist, allOnline, collection, config, NOW, type Spec } from "./_fixture.ts";

const OPTIONS: SelectOptions = { check: allExist, sourceCheck: allOnline };

/** Picks one image at `now`, records it as shown and returns its path. */
function showNext(
  db: Database,
  cfg: Config,
  now: number,
  extra: { constraints?: Constraints; group?: string; seed?: number } = {},
): string {
  const r = selectImages(db, cfg, {
    count: 1,
    constraints: extra.constraints ?? {},
    ...(extra.group ? { group: extra.group } : {}),
  }, { ...OPTIONS, now, seed: extra.seed ?? now });
  assertEquals(r.picks.length, 1, r.warnings.join("; "));
  recordShows(db, [{ imageId: r.picks[0].image.id, shownAt: now }]);
  return r.picks[0].image.path;
}

/** `n` shows a minute apart, from `start`. */
function showMany(db: Database, cfg: Config, n: number, start = NOW): string[] {
  return Array.from({ length: n }, (_, i) => showNext(db, cfg, start + i * 60_000));
}

const name = (path: string) => path.replace(/^.*\//, "");
const specs = (n: number, s: Partial<Spec> = {}): Spec[] =>
  Array.from({ length: n }, () => ({ ...s }));

Deno.test("sequential: consecutive picks walk the folder in natural order and wrap around", async () => {
  const { db } = await collection(specs(12));
  try {
    const cfg = config({ order: "sequential" });
    // Plain text order would put 10.jpg and 11.jpg after 1.jpg.
    const shown = showMany(db, cfg, 14).map(name);
    assertEquals(shown, [
      ..."0 1 2 3 4 5 6 7 8 9 10 11".split(" ").map((n) => `${n}.jpg`),
      "0.jpg",
      "1.jpg",
    ]);
  } finally {
    db.close();
  }
});

Deno.test("sequential: continues after the last image shown from the folder, whoever showed it", async () => {
  const { db, ids } = await collection(specs(6));
  try {
    const cfg = config({ order: "sequential" });
    recordShows(db, [{ imageId: ids[3], shownAt: NOW - 1000 }]); // e.g. next --image 3.jpg
    assertEquals(showMany(db, cfg, 3).map(name), ["4.jpg", "5.jpg", "0.jpg"]);
  } finally {
    db.close();
  }
});

Deno.test("sequential: the image on screen deleted and pruned, the order goes on after the one before", async () => {
  const { db, ids } = await collection(specs(8));
  try {
    const cfg = config({ order: "sequential" });
    assertEquals(showMany(db, cfg, 5).map(name), ["0.jpg", "1.jpg", "2.jpg", "3.jpg", "4.jpg"]);
    deleteImages(db, [ids[4]]); // what `prune --missing` does, its history with it
    assertEquals(showNext(db, cfg, NOW + 3_600_000).replace(/^.*\//, ""), "5.jpg");
  } finally {
    db.close();
  }
});

Deno.test("sequential: -n 3 returns three consecutive images without recording anything", async () => {
  const { db } = await collection(specs(5));
  try {
    const cfg = config({ order: "sequential" });
    const run = () =>
      selectImages(db, cfg, { count: 3, constraints: {} }, {
        ...OPTIONS,
        now: NOW,
        positions: true,
      });
    const r = run();
    assertEquals(r.picks.map((p) => name(p.image.path)), ["0.jpg", "1.jpg", "2.jpg"]);
    assertEquals(r.picks.map((p) => p.order?.position), [1, 2, 3]);
    assertEquals(r.picks[0].order?.total, 5);
    assertEquals(r.picks[0].order?.rule, "sequential");
    assertEquals(run().picks.map((p) => p.image.id), r.picks.map((p) => p.image.id), "a preview");
  } finally {
    db.close();
  }
});

Deno.test("sequential: images that do not qualify are skipped and left unmarked", async () => {
  const { db, ids } = await collection([
    {},
    { width: 100, height: 100 }, // below the minimum size
    { banned: true },
    { width: 1080, height: 1920 }, // portrait
    {},
    { missing: true },
    {},
  ]);
  try {
    const cfg = config({ order: "sequential" });
    const shown = Array.from(
      { length: 4 },
      (_, i) => showNext(db, cfg, NOW + i * 60_000, { constraints: { orientation: "landscape" } }),
    );
    assertEquals(shown.map(name), ["0.jpg", "4.jpg", "6.jpg", "0.jpg"]);
    const row = db.prepare("SELECT times_shown, missing_since, banned FROM images WHERE id = ?");
    for (const i of [1, 3]) {
      assertEquals({ ...row.get(ids[i]) }, { times_shown: 0, missing_since: null, banned: 0 });
    }
  } finally {
    db.close();
  }
});

Deno.test("sequential: a vanished pick is marked missing and the next one is taken", async () => {
  const { db, ids } = await collection(specs(4));
  try {
    const cfg = config({ order: "sequential" });
    const r = selectImages(db, cfg, { count: 1, constraints: {} }, {
      ...OPTIONS,
      now: NOW,
      check: (p) => p.endsWith("/0.jpg") ? "missing" : "ok",
    });
    assertEquals(r.picks.map((p) => name(p.image.path)), ["1.jpg"]);
    const gone = db.prepare("SELECT missing_since FROM images WHERE id = ?").get(ids[0]);
    assertEquals(gone?.missing_since, NOW);
  } finally {
    db.close();
  }
});

Deno.test("shuffle: each cycle shows every image once, then a new permutation begins", async () => {
  const { db } = await collection(specs(10));
  try {
    const cfg = config({ order: "shuffle" });
    const cycles = [0, 1, 2].map((c) => showMany(db, cfg, 10, NOW + c * 3_600_000));
    for (const c of cycles) assertEquals(new Set(c).size, 10, `no repeats: ${c.map(name)}`);
    assert(
      cycles[0].join() !== cycles[1].join() || cycles[1].join() !== cycles[2].join(),
      "a new permutation after a cycle",
    );
    assertNotEquals(cycles[0].map(name), [...cycles[0]].sort().map(name), "not the path order");
  } finally {
    db.close();
  }
});

Deno.test("shuffle: the permutation and the place survive a new process (state in the database)", async () => {
  const { db } = await collection(specs(8));
  try {
    const cfg = config({ order: "shuffle" });
    const first = showMany(db, cfg, 4);
    // A different seed for the draw changes nothing: the order is stored, not drawn.
    const preview = selectImages(db, cfg, { count: 1, constraints: {} }, {
      ...OPTIONS,
      now: NOW + 3_600_000,
      seed: 99,
      positions: true,
    });
    assertEquals(preview.picks[0].order?.position, 5);
    assertEquals(preview.picks[0].order?.total, 8);
    const rest = showMany(db, cfg, 4, NOW + 3_600_000);
    assertEquals(rest[0], preview.picks[0].image.path);
    assertEquals(new Set([...first, ...rest]).size, 8);
  } finally {
    db.close();
  }
});

Deno.test("shuffle: images added mid-cycle join it, removed ones drop out, manual shows count", async () => {
  const { db, ids, sourceIds } = await collection(specs(6));
  try {
    const cfg = config({ order: "shuffle" });
    const first = showMany(db, cfg, 2);
    const idOf = (path: string) => ids[Number(name(path).replace(".jpg", ""))];
    const unshown = ids.filter((id) => !first.map(idOf).includes(id));
    // One unshown image is deleted, one shown by hand (next --image), one added.
    const [gone, manual] = unshown;
    db.prepare("DELETE FROM images WHERE id = ?").run(gone);
    recordShows(db, [{ imageId: manual, shownAt: NOW + 10 * 60_000 }]);
    insertImage(db, {
      path: "/w/s1/new.jpg",
      source_id: sourceIds.get(1)!,
      size: 1,
      mtime: NOW,
      width: 1920,
      height: 1080,
      format: "jpeg",
    }, NOW);
    const rest = showMany(db, cfg, 3, NOW + 20 * 60_000);
    const left = unshown.slice(2).map((id) => `/w/s1/${ids.indexOf(id)}.jpg`);
    assertEquals([...rest].sort(), [...left, "/w/s1/new.jpg"].sort());
    // Every image has had its turn: the next show begins a new cycle.
    const next = selectImages(db, cfg, { count: 1, constraints: {} }, {
      ...OPTIONS,
      now: NOW + 60 * 60_000,
    });
    assertEquals(next.picks[0].order?.newCycle, true);
  } finally {
    db.close();
  }
});

Deno.test("ordered picks follow the time-of-day rules and colour constraints", async () => {
  const dark = { avg_lightness: 0.2 }, light = { avg_lightness: 0.8 };
  const { db } = await collection([
    { palette: light },
    { palette: dark },
    { palette: light },
    { palette: null }, // no palette: kept by a time rule, left out by --dark
    { palette: dark },
  ]);
  try {
    const cfg = config({
      order: "sequential",
      time_rules: [{ from: "00:00", to: "00:00", lightness: "dark" }],
    });
    assertEquals(showMany(db, cfg, 4).map(name), ["1.jpg", "3.jpg", "4.jpg", "1.jpg"]);
    const withFlag = Array.from(
      { length: 2 },
      (_, i) =>
        showNext(db, config({ order: "sequential" }), NOW + (10 + i) * 60_000, {
          constraints: { lightness: "dark" },
        }),
    );
    assertEquals(withFlag.map(name), ["4.jpg", "1.jpg"]);
  } finally {
    db.close();
  }
});

Deno.test("per-folder order: a sequential folder beside a smart one; its picks stay in order", async () => {
  const { db, sourceIds } = await collection([
    ...specs(5, { source: 1 }),
    ...specs(5, { source: 2 }),
  ]);
  try {
    setSourceOrder(db, sourceIds.get(1)!, "sequential");
    const cfg = config();
    const shown = showMany(db, cfg, 30);
    const fromOrdered = shown.filter((p) => p.startsWith("/w/s1/")).map(name);
    assert(fromOrdered.length > 3 && shown.length - fromOrdered.length > 3, `both: ${shown}`);
    const expected = Array.from({ length: fromOrdered.length }, (_, i) => `${i % 5}.jpg`);
    assertEquals(fromOrdered, expected);
  } finally {
    db.close();
  }
});

Deno.test("per-folder order overrides [selection] order; [[sources]] order overrides the folder's own", async () => {
  const { db, sourceIds } = await collection([
    ...specs(4, { source: 1 }),
    ...specs(4, { source: 2 }),
  ]);
  try {
    setSourceOrder(db, sourceIds.get(2)!, "smart");
    const cfg = config({ order: "sequential" });
    const r = selectImages(db, cfg, { count: 8, constraints: {} }, { ...OPTIONS, now: NOW });
    const rules = new Map(r.picks.map((p) => [p.image.path, p.order?.rule ?? "smart"]));
    for (const [path, rule] of rules) {
      assertEquals(rule, path.startsWith("/w/s1/") ? "sequential" : "smart", path);
    }
    cfg.sources = [{ path: "/w/s2", recursive: true, enabled: true, order: "shuffle" }];
    const again = selectImages(db, cfg, { count: 8, constraints: {} }, { ...OPTIONS, now: NOW });
    for (const p of again.picks) {
      assertEquals(p.order?.rule, p.image.path.startsWith("/w/s1/") ? "sequential" : "shuffle");
    }
  } finally {
    db.close();
  }
});

Deno.test("groups: only the group's folders are drawn; an unknown group names the known ones", async () => {
  const { db } = await collection([
    ...specs(4, { source: 1 }),
    ...specs(4, { source: 2 }),
    ...specs(4, { source: 3 }),
  ]);
  try {
    const cfg = config();
    cfg.groups = { work: ["/w/s1", "/w/s3/"], home: ["/w/s2", "/nowhere"] };
    const r = selectImages(db, cfg, { count: 12, constraints: {}, group: "work" }, {
      ...OPTIONS,
      now: NOW,
    });
    assertEquals(r.picks.length, 8);
    assert(r.picks.every((p) => !p.image.path.startsWith("/w/s2/")));
    assertEquals(r.group, { name: "work", sources: ["/w/s1", "/w/s3"] });
    const h = selectImages(db, cfg, { count: 1, constraints: {}, group: "home" }, {
      ...OPTIONS,
      now: NOW,
    });
    assert(h.picks[0].image.path.startsWith("/w/s2/"));
    assert(h.warnings.some((w) => w.includes("/nowhere") && w.includes("home")), h.warnings.join());
    const e = assertThrows(
      () => selectImages(db, cfg, { count: 1, constraints: {}, group: "play" }, OPTIONS),
      UnknownGroupError,
    );
    assert(e.message.includes('"play"') && e.message.includes("work, home"), e.message);
  } finally {
    db.close();
  }
});

Deno.test("groups: an entry inside a folder takes only the images under it", async () => {
  const { db } = await collection([
    ...specs(3, { source: 1, dir: "nature" }),
    ...specs(3, { source: 1, dir: "nature-extra" }),
    ...specs(3, { source: 1 }),
    ...specs(3, { source: 2, dir: "nature" }),
    ...specs(2, { source: 3 }),
  ]);
  try {
    const cfg = config();
    cfg.groups = {
      green: ["/w/s1/nature/", "/w/s3"],
      // A folder named whole wins over a subfolder of it.
      all: ["/w/s2/nature", "/w/s2"],
      none: ["/w/s1/nowhere", "/elsewhere/nature"],
    };
    const r = selectImages(db, cfg, { count: 20, constraints: {}, group: "green" }, {
      ...OPTIONS,
      now: NOW,
    });
    // "/w/s1/nature-extra" shares the prefix as text, not as a folder: left out.
    assertEquals(r.picks.map((p) => p.image.path).sort(), [
      "/w/s1/nature/0.jpg",
      "/w/s1/nature/1.jpg",
      "/w/s1/nature/2.jpg",
      "/w/s3/12.jpg",
      "/w/s3/13.jpg",
    ]);
    assertEquals(r.group, { name: "green", sources: ["/w/s1/nature", "/w/s3"] });
    assert(!r.warnings.some((w) => w.startsWith("Group")), r.warnings.join());
    const all = selectImages(db, cfg, { count: 20, constraints: {}, group: "all" }, {
      ...OPTIONS,
      now: NOW,
    });
    assertEquals(all.picks.length, 3);
    // A path inside no folder is reported; a subfolder that holds no image just gives nothing.
    const none = selectImages(db, cfg, { count: 1, constraints: {}, group: "none" }, {
      ...OPTIONS,
      now: NOW,
    });
    assertEquals(none.picks, []);
    assertEquals(none.warnings.filter((w) => w.includes("nor inside one")).length, 1);
    assert(none.warnings.some((w) => w.includes("/elsewhere/nature")), none.warnings.join());
  } finally {
    db.close();
  }
});

Deno.test("groups with order: a sequential folder of which the group takes a subfolder walks that subfolder", async () => {
  const { db } = await collection([
    ...specs(2, { source: 1 }),
    ...specs(3, { source: 1, dir: "comics" }),
    ...specs(2, { source: 1, dir: "zz" }),
  ]);
  try {
    const cfg = config({ order: "sequential" });
    cfg.groups = { comics: ["/w/s1/comics"] };
    const shown = Array.from(
      { length: 4 },
      (_, i) => showNext(db, cfg, NOW + i * 60_000, { group: "comics" }),
    );
    assertEquals(shown, [
      "/w/s1/comics/2.jpg",
      "/w/s1/comics/3.jpg",
      "/w/s1/comics/4.jpg",
      "/w/s1/comics/2.jpg",
    ]);
  } finally {
    db.close();
  }
});

Deno.test("groups with order: a sequential group of one folder walks it", async () => {
  const { db } = await collection([...specs(3, { source: 1 }), ...specs(3, { source: 2 })]);
  try {
    const cfg = config({ order: "sequential" });
    cfg.groups = { two: ["/w/s2"] };
    const shown = Array.from(
      { length: 4 },
      (_, i) => showNext(db, cfg, NOW + i * 60_000, { group: "two" }),
    );
    assertEquals(shown, ["/w/s2/3.jpg", "/w/s2/4.jpg", "/w/s2/5.jpg", "/w/s2/3.jpg"]);
  } finally {
    db.close();
  }
});

Deno.test("the smart order reads nothing of playlists (no extra SQL without order or groups)", async () => {
  const { db } = await collection(specs(20));
  try {
    const seen: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = (sql: string) => {
      seen.push(sql);
      return prepare(sql);
    };
    selectImages(db, config(), { count: 3, constraints: {} }, { ...OPTIONS, now: NOW });
    const smart = seen.length;
    assert(smart > 0);
    assert(!seen.some((s) => /play_/.test(s)), seen.join("\n"));
    seen.length = 0;
    selectImages(db, config({ order: "sequential" }), { count: 1, constraints: {} }, {
      ...OPTIONS,
      now: NOW,
    });
    assert(seen.some((s) => /play_key/.test(s)), "the ordered path does use them");
  } finally {
    db.close();
  }
});

Deno.test("sequential: banning the current image keeps the folder's place", async () => {
  const { db, ids } = await collection(specs(4));
  try {
    const cfg = config({ order: "sequential" });
    assertEquals(showNext(db, cfg, NOW), "/w/s1/0.jpg");
    setImageFlag(db, ids[0], "banned", true);
    assertEquals(showMany(db, cfg, 4, NOW + 60_000).map(name), [
      "1.jpg",
      "2.jpg",
      "3.jpg",
      "1.jpg",
    ]);
  } finally {
    db.close();
  }
});

/** One `next` on two outputs: picks one image each and records them as one show. */
function showOnOutputs(
  db: Database,
  cfg: Config,
  now: number,
  outputs: { name: string; width: number; height: number }[],
): string[] {
  const r = selectImages(db, cfg, { count: 1, constraints: {}, outputs }, {
    ...OPTIONS,
    now,
    seed: now,
  });
  assertEquals(r.picks.length, outputs.length, r.warnings.join("; "));
  recordShows(db, r.picks.map((p) => ({ imageId: p.image.id, shownAt: now, output: p.output })));
  return r.picks.map((p) => `${p.output}:${name(p.image.path)}`);
}

const LANDSCAPE = { width: 1920, height: 1080 };
const PORTRAIT = { width: 1080, height: 1920 };

Deno.test("sequential on a landscape and a portrait monitor: each walks its own images in order, none skipped", async () => {
  // 0 1 landscape, 2 portrait, 3 landscape, 4 portrait, 5 landscape
  const { db } = await collection([
    LANDSCAPE,
    LANDSCAPE,
    PORTRAIT,
    LANDSCAPE,
    PORTRAIT,
    LANDSCAPE,
  ]);
  try {
    const cfg = config({ order: "sequential" });
    const outputs = [{ name: "A", ...LANDSCAPE }, { name: "B", ...PORTRAIT }];
    const rounds = Array.from(
      { length: 5 },
      (_, i) => showOnOutputs(db, cfg, NOW + i * 60_000, outputs),
    );
    assertEquals(rounds, [
      ["A:0.jpg", "B:2.jpg"],
      ["A:1.jpg", "B:4.jpg"],
      ["A:3.jpg", "B:2.jpg"],
      ["A:5.jpg", "B:4.jpg"],
      ["A:0.jpg", "B:2.jpg"],
    ]);
  } finally {
    db.close();
  }
});

Deno.test("sequential on a portrait monitor whose image comes first: the landscape one still walks on", async () => {
  const { db } = await collection([PORTRAIT, LANDSCAPE, LANDSCAPE, LANDSCAPE]);
  try {
    const cfg = config({ order: "sequential" });
    const outputs = [{ name: "A", ...LANDSCAPE }, { name: "B", ...PORTRAIT }];
    const rounds = Array.from(
      { length: 4 },
      (_, i) => showOnOutputs(db, cfg, NOW + i * 60_000, outputs),
    );
    assertEquals(rounds.map((r) => r[0]), ["A:1.jpg", "A:2.jpg", "A:3.jpg", "A:1.jpg"]);
    assertEquals(rounds.map((r) => r[1]), ["B:0.jpg", "B:0.jpg", "B:0.jpg", "B:0.jpg"]);
  } finally {
    db.close();
  }
});

Deno.test("sequential on two landscape monitors: each show takes the next two images", async () => {
  const { db } = await collection(specs(7));
  try {
    const cfg = config({ order: "sequential" });
    const outputs = [{ name: "A", ...LANDSCAPE }, { name: "B", ...LANDSCAPE }];
    const rounds = Array.from(
      { length: 4 },
      (_, i) => showOnOutputs(db, cfg, NOW + i * 60_000, outputs),
    );
    assertEquals(rounds, [
      ["A:0.jpg", "B:1.jpg"],
      ["A:2.jpg", "B:3.jpg"],
      ["A:4.jpg", "B:5.jpg"],
      ["A:6.jpg", "B:0.jpg"],
    ]);
  } finally {
    db.close();
  }
});
