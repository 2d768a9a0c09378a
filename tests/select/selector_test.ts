import fc from "../_helpers/fc.ts";
import { assert, assertEquals } from "../_helpers/assert.ts";
import { selectImages } from "../../src/select/selector.ts";
import { paletteSignature, signatureDistance, similarityFactor } from "../../src/select/weights.ts";
import { getImage } from "../../src/db/images.ts";
import { recordShows } from "../../src/db/history.ts";
import { setSourceEnabled } from "../../src/db/sources.ts";
import {
  allExist,
  allOnline,
  CHI2_999,
  chiSquare,
  collection,
  config,
  DAY,
  NOW,
  type Spec,
} from "./_fixture.ts";

const specArb: fc.Arbitrary<Spec> = fc.record({
  source: fc.integer({ min: 1, max: 3 }),
  times_shown: fc.nat(5),
  last_shown_at: fc.option(fc.integer({ min: NOW - 30 * DAY, max: NOW })),
  favorite: fc.boolean(),
  banned: fc.boolean(),
  missing: fc.boolean(),
  palette: fc.option(fc.record({
    avg_lightness: fc.double({ min: 0, max: 1, noNaN: true }),
    avg_hue: fc.double({ min: 0, max: 359, noNaN: true }),
  })),
});

Deno.test("selectImages() never returns banned or missing images, nor duplicates; the seed makes it stable", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(specArb, { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 1, max: 20 }),
      fc.nat(),
      async (specs, count, seed) => {
        const { db } = await collection(specs);
        try {
          const run = () =>
            selectImages(db, config(), { count, constraints: {} }, {
              now: NOW,
              seed,
              check: allExist,
              sourceCheck: allOnline,
            });
          const r = run();
          const ids = r.picks.map((p) => p.image.id);
          assertEquals(new Set(ids).size, ids.length, "no duplicates");
          for (const p of r.picks) {
            assert(!p.image.banned, "not banned");
            assertEquals(p.image.missing_since, null, "not missing");
          }
          const eligible = specs.filter((s) => !s.banned && !s.missing).length;
          assertEquals(r.picks.length, Math.min(count, eligible));
          assertEquals(run().picks.map((p) => p.image.id), ids, "same seed, same picks");
        } finally {
          db.close();
        }
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("selectImages() on a large collection (rejection path) never returns banned or missing images", async () => {
  const specs: Spec[] = Array.from({ length: 5000 }, (_, i) => ({
    banned: i % 3 === 0,
    missing: i % 3 === 1,
    last_shown_at: i % 7 === 0 ? null : NOW - (i % 50) * DAY,
  }));
  const { db } = await collection(specs);
  for (let seed = 0; seed < 30; seed++) {
    const r = selectImages(db, config(), { count: 50, constraints: {} }, {
      now: NOW,
      seed,
      check: allExist,
      sourceCheck: allOnline,
    });
    assertEquals(r.picks.length, 50);
    assertEquals(new Set(r.picks.map((p) => p.image.id)).size, 50);
    for (const p of r.picks) assert(!p.image.banned && p.image.missing_since === null);
  }
  db.close();
});

// Four classes with known weights (cooldown 10 days, k = 2, no count balancing):
// favourite 3, never shown 2, shown 20 days ago 1, shown 5 days ago 0.25.
// Tolerance: chi-square below the p = 0.001 critical value for 3 degrees of freedom.
for (
  const [label, n] of [["small collection, keyed sampling", 400], [
    "large collection, rejection sampling",
    4000,
  ]] as const
) {
  Deno.test(`selectImages() frequencies follow the weights (${label}; chi-square, p = 0.001)`, async () => {
    const per = n / 4;
    const cls = (i: number) => Math.floor(i / per);
    const specs: Spec[] = Array.from({ length: n }, (_, i) =>
      [
        { favorite: true, last_shown_at: NOW - 20 * DAY },
        { last_shown_at: null },
        { last_shown_at: NOW - 20 * DAY },
        { last_shown_at: NOW - 5 * DAY },
      ][cls(i)]);
    const { db, ids } = await collection(specs);
    const cfg = config({ image_cooldown: 10 * 86400, times_shown_weight: 0, source_memory: 0 });
    const classOf = new Map(ids.map((id, i) => [id, cls(i)]));
    const weights = [3, 2, 1, 0.25];
    const total = weights.reduce((a, b) => a + b, 0);
    const counts = [0, 0, 0, 0];
    for (let seed = 0; seed < 3000; seed++) {
      const r = selectImages(db, cfg, { count: 1, constraints: {} }, {
        now: NOW,
        seed,
        check: allExist,
        sourceCheck: allOnline,
      });
      assertEquals(r.picks[0].weight, weights[classOf.get(r.picks[0].image.id)!]);
      counts[classOf.get(r.picks[0].image.id)!]++;
    }
    const chi = chiSquare(counts, weights.map((w) => w / total));
    assert(chi < CHI2_999[3], `counts ${counts}, chi-square ${chi.toFixed(2)}`);
    db.close();
  });
}

Deno.test("selectImages() never returns a deleted file and marks it missing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { db, ids } = await collection([{}, {}, {}]);
    const files = ids.map((_, i) => `${dir}/${i}.jpg`);
    ids.forEach((id, i) => db.prepare("UPDATE images SET path = ? WHERE id = ?").run(files[i], id));
    db.prepare("UPDATE sources SET path = ?").run(dir);
    for (const f of files) await Deno.writeFile(f, new Uint8Array([1]));
    await Deno.remove(files[0]);
    await Deno.remove(files[2]);
    for (let seed = 0; seed < 10; seed++) {
      const r = selectImages(db, config(), { count: 3, constraints: {} }, { now: NOW, seed });
      assertEquals(r.picks.map((p) => p.image.id), [ids[1]]);
    }
    assertEquals(getImage(db, ids[0])!.missing_since, NOW);
    assertEquals(getImage(db, ids[2])!.missing_since, NOW);
    assertEquals(getImage(db, ids[1])!.missing_since, null);
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("selectImages() returns fewer than asked with a warning when few qualify", async () => {
  const { db } = await collection([{ palette: { avg_lightness: 0.1 } }, {
    palette: { avg_lightness: 0.9 },
  }, {}]);
  const r = selectImages(db, config(), { count: 5, constraints: { lightness: "dark" } }, {
    now: NOW,
    seed: 1,
    check: allExist,
    sourceCheck: allOnline,
  });
  assertEquals(r.picks.length, 1);
  assertEquals(r.requested, 5);
  assert(r.warnings.some((w) => w.startsWith("only 1 of 5")), r.warnings.join("; "));
  db.close();
});

Deno.test("selectImages() applies time rules unless a lightness is given or they are ignored", async () => {
  const { db, ids } = await collection([
    { palette: { avg_lightness: 0.1 } },
    { palette: { avg_lightness: 0.9 } },
    {},
  ]);
  const cfg = config({
    time_rules: [{ from: "08:00", to: "18:00", lightness: "light" }, {
      from: "18:00",
      to: "08:00",
      lightness: "dark",
    }],
  });
  const noon = NOW; // 12:00 local
  const night = new Date(2026, 0, 15, 23, 0).getTime();
  const pick = (now: number, constraints = {}) =>
    new Set(
      selectImages(db, cfg, { count: 3, constraints }, {
        now,
        seed: 3,
        check: allExist,
        sourceCheck: allOnline,
      }).picks.map(
        (p) => p.image.id,
      ),
    );
  assertEquals(pick(noon), new Set([ids[1], ids[2]]), "light by day; no palette stays in");
  assertEquals(pick(night), new Set([ids[0], ids[2]]), "dark at night");
  assertEquals(pick(night, { lightness: "light" }), new Set([ids[1]]), "a flag wins");
  assertEquals(pick(night, { ignoreTimeRules: true }).size, 3);
  const r = selectImages(db, cfg, { count: 1, constraints: {} }, {
    now: night,
    seed: 1,
    check: allExist,
    sourceCheck: allOnline,
  });
  assertEquals(r.timeRule?.lightness, "dark");
  db.close();
});

Deno.test("selectImages() follows the desktop's mode instead of the clock with follow_system", async () => {
  const { db, ids } = await collection([
    { palette: { avg_lightness: 0.1 } },
    { palette: { avg_lightness: 0.9 } },
    {},
  ]);
  const cfg = config({
    follow_system: true,
    time_rules: [{ from: "00:00", to: "23:59", lightness: "light" }],
  });
  const pick = (systemMode?: "dark" | "light") =>
    selectImages(db, cfg, { count: 3, constraints: {} }, {
      now: NOW,
      seed: 3,
      check: allExist,
      sourceCheck: allOnline,
      ...(systemMode ? { systemMode } : {}),
    });
  const ids_ = (r: ReturnType<typeof pick>) => new Set(r.picks.map((p) => p.image.id));
  // only with theme.mode = "system"
  assertEquals(ids_(pick("dark")), new Set([ids[1], ids[2]]), "mode dark in config: time rules");
  cfg.theme.mode = "system";
  const dark = pick("dark");
  assertEquals(ids_(dark), new Set([ids[0], ids[2]]), "dark desktop: dark wallpapers");
  assertEquals([dark.systemMode, dark.timeRule], ["dark", undefined]);
  assertEquals(ids_(pick("light")), new Set([ids[1], ids[2]]));
  assertEquals(ids_(pick()), new Set([ids[1], ids[2]]), "unknown desktop mode: time rules");
  db.close();
});

Deno.test("selectImages() leaves out disabled folders and excluded ids", async () => {
  const { db, ids, sourceIds } = await collection([{ source: 1 }, { source: 2 }, { source: 2 }]);
  setSourceEnabled(db, sourceIds.get(2)!, false);
  const r = selectImages(db, config(), { count: 3, constraints: {} }, {
    now: NOW,
    check: allExist,
    sourceCheck: allOnline,
  });
  assertEquals(r.picks.map((p) => p.image.id), [ids[0]]);
  const r2 = selectImages(db, config(), { count: 3, constraints: {}, exclude: [ids[0]] }, {
    now: NOW,
    check: allExist,
    sourceCheck: allOnline,
  });
  assertEquals(r2.picks, []);
  db.close();
});

Deno.test("selectImages() with an excluded id draws as without it, passing over only that id", async () => {
  // Small (keyed sampling) and large (rejection rounds over the id span) collections.
  for (const n of [12, 5000]) {
    const { db, ids } = await collection(
      Array.from({ length: n }, (_, i) => ({ source: 1 + (i % 3), favorite: i % 5 === 0 })),
    );
    const opts = (seed: number) => ({ now: NOW, seed, check: allExist, sourceCheck: allOnline });
    let passedOver = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const plain = selectImages(db, config(), { count: 1, constraints: {} }, opts(seed));
      const first = plain.picks[0].image.id;
      // The image on screen: the pick itself for some seeds, another image for the rest.
      const current = seed % 4 === 0 ? first : ids[seed % n];
      const next = selectImages(
        db,
        config(),
        { count: 1, constraints: {}, exclude: [current] },
        opts(seed),
      );
      const got = next.picks[0].image.id;
      if (first !== current) assertEquals(got, first, `${n} images, seed ${seed}`);
      else {
        assert(got !== current, `${n} images, seed ${seed}: the excluded image came back`);
        passedOver++;
      }
    }
    assert(passedOver >= 10, String(passedOver));
    db.close();
  }
});

Deno.test("selectImages() makes the folder of the last show weigh less", async () => {
  const { db, ids } = await collection([{ source: 1 }, { source: 2 }]);
  recordShows(db, [{ imageId: ids[0], shownAt: NOW - 60_000 }]);
  db.prepare("UPDATE images SET last_shown_at = NULL, times_shown = 0").run();
  const r = selectImages(db, config(), { count: 2, constraints: {} }, {
    now: NOW,
    seed: 1,
    check: allExist,
    sourceCheck: allOnline,
  });
  const byId = new Map(r.picks.map((p) => [p.image.id, p]));
  assert(byId.get(ids[0])!.factors.source < 0.1, JSON.stringify(byId.get(ids[0])!.factors));
  assertEquals(byId.get(ids[1])!.factors.source, 1);
  db.close();
});

Deno.test("selectImages() with a clock far behind its history still weighs the last shows least", async () => {
  // Shows of the real days; the clock now reset to two days before them (no NTP yet).
  const { db, ids } = await collection([{ source: 1 }, { source: 1 }, { source: 1 }]);
  recordShows(db, [{ imageId: ids[0], shownAt: NOW - 60_000 }]);
  recordShows(db, [{ imageId: ids[1], shownAt: NOW - 30 * DAY }]);
  const r = selectImages(db, config(), { count: 3, constraints: {} }, {
    now: NOW - 2 * DAY,
    seed: 1,
    check: allExist,
    sourceCheck: allOnline,
  });
  const recency = new Map(r.picks.map((p) => [p.image.id, p.factors.recency]));
  assert(recency.get(ids[0])! < 0.01, `just shown: ${recency.get(ids[0])}`);
  assertEquals(recency.get(ids[1]), 1, "a month before the last show: cooled down");
  db.close();
});

Deno.test("selectImages() with outputs returns one image per output with close palettes and fitting orientation", async () => {
  const specs: Spec[] = [
    { palette: { avg_hue: 220, avg_lightness: 0.2, avg_saturation: 0.5, background: "#0a0f1a" } },
    { palette: { avg_hue: 225, avg_lightness: 0.22, avg_saturation: 0.5, background: "#0c111c" } },
    {
      width: 1080,
      height: 1920,
      palette: { avg_hue: 222, avg_lightness: 0.21, avg_saturation: 0.5, background: "#0b101b" },
    },
    ...Array.from({ length: 30 }, (_, i): Spec => ({
      palette: { avg_hue: 40 + i, avg_lightness: 0.85, avg_saturation: 0.9, background: "#f8f0e0" },
    })),
  ];
  const { db, ids } = await collection(specs);
  const blue = new Set(ids.slice(0, 3));
  for (let seed = 0; seed < 40; seed++) {
    const r = selectImages(db, config({ similarity_strength: 8 }), {
      count: 1,
      constraints: {},
      outputs: [{ name: "A", width: 2560, height: 1440 }, { name: "B", width: 1080, height: 1920 }],
    }, { now: NOW, seed, check: allExist, sourceCheck: allOnline });
    assertEquals(r.picks.map((p) => p.output), ["A", "B"]);
    assert(r.picks[0].image.width >= r.picks[0].image.height, "A gets a landscape image");
    assertEquals(r.picks[1].image.id, ids[2], "B gets the only portrait image");
    if (!blue.has(r.picks[0].image.id)) {
      assert(r.picks[1].factors.similarity < 0.5, "a far palette lowers B's similarity");
    }
  }
  db.close();
});

Deno.test("selectImages() with outputs keeps the second palette close to the first", async () => {
  const blue = { avg_hue: 220, avg_lightness: 0.2, avg_saturation: 0.5, background: "#0a0f1a" };
  const orange = { avg_hue: 35, avg_lightness: 0.8, avg_saturation: 0.9, background: "#f8f0e0" };
  const specs: Spec[] = Array.from({ length: 20 }, (_, i) => ({ palette: i < 10 ? blue : orange }));
  const { db, ids } = await collection(specs);
  const group = (id: number) => ids.indexOf(id) < 10 ? "blue" : "orange";
  let same = 0;
  for (let seed = 0; seed < 40; seed++) {
    const r = selectImages(db, config(), {
      count: 1,
      constraints: {},
      outputs: [{ name: "A" }, { name: "B" }],
    }, { now: NOW, seed, check: allExist, sourceCheck: allOnline });
    assertEquals(r.picks.length, 2);
    assert(r.picks[0].image.id !== r.picks[1].image.id);
    if (group(r.picks[0].image.id) === group(r.picks[1].image.id)) same++;
  }
  assert(same >= 36, `same palette group in ${same} of 40 draws`);
  db.close();
});

Deno.test("selectImages() with similarTo prefers close palettes and leaves out images without one", async () => {
  const specs: Spec[] = [
    { palette: { avg_hue: 220, avg_lightness: 0.2, avg_saturation: 0.5, background: "#0a0f1a" } },
    ...Array.from({ length: 20 }, (): Spec => ({
      palette: { avg_hue: 40, avg_lightness: 0.85, avg_saturation: 0.9, background: "#f8f0e0" },
    })),
    ...Array.from({ length: 20 }, (): Spec => ({})),
  ];
  const { db, ids } = await collection(specs);
  const target = { avg_hue: 222, avg_lightness: 0.21, avg_saturation: 0.5, background: "#0b101b" };
  let hits = 0;
  for (let seed = 0; seed < 50; seed++) {
    const r = selectImages(db, config(), { count: 1, constraints: { similarTo: target } }, {
      now: NOW,
      seed,
      check: allExist,
      sourceCheck: allOnline,
    });
    assert(r.picks[0].factors.similarity !== undefined);
    assert(r.picks[0].image.id <= ids[20], "never an image without a palette");
    if (r.picks[0].image.id === ids[0]) hits++;
  }
  assert(hits > 40, `the close palette won ${hits} of 50 draws`);
  db.close();
});

Deno.test("the image count kept by triggers follows inserts, deletes and cascades", async () => {
  const { db, sourceIds } = await collection([{ source: 1 }, { source: 1 }, { source: 2 }]);
  const n = () => (db.prepare("SELECT n FROM image_count").get() as { n: number }).n;
  assertEquals(n(), 3);
  db.prepare("DELETE FROM sources WHERE id = ?").run(sourceIds.get(1)!);
  assertEquals(n(), 1);
  db.close();
});

for (const strategy of ["auto", "rowid", "index", "scan"] as const) {
  Deno.test(`selectImages() strategy "${strategy}" draws by weight under a colour constraint (chi-square, p = 0.001)`, async () => {
    // 600 reds (hue 350–355) in three classes of 200 — favourite (weight 3), never
    // shown (2), shown 20 days ago (1) — among 2400 greens.
    const specs: Spec[] = Array.from({ length: 3000 }, (_, i) => {
      if (i % 5 !== 0) return { last_shown_at: NOW - 20 * DAY, palette: { avg_hue: 100 } };
      const k = (i / 5) % 3;
      return {
        favorite: k === 0,
        last_shown_at: k === 1 ? null : NOW - 20 * DAY,
        palette: { avg_hue: 350 + (i % 5) + (i % 7) / 2 },
      };
    });
    const { db, ids } = await collection(specs);
    const cfg = config({ image_cooldown: 10 * 86400, times_shown_weight: 0, source_memory: 0 });
    const classOf = new Map(ids.map((id, i) => [id, i % 5 === 0 ? (i / 5) % 3 : -1]));
    const constraints = { hue: { from: 350, to: 20 } };
    const counts = [0, 0, 0];
    for (let seed = 0; seed < 1500; seed++) {
      const r = selectImages(db, cfg, { count: 1, constraints }, {
        now: NOW,
        seed,
        check: allExist,
        sourceCheck: allOnline,
        strategy,
      });
      const cls = classOf.get(r.picks[0].image.id)!;
      assert(cls >= 0, "only reds");
      counts[cls]++;
    }
    const chi = chiSquare(counts, [3 / 6, 2 / 6, 1 / 6]);
    assert(chi < CHI2_999[2], `counts ${counts}, chi-square ${chi.toFixed(2)}`);
    const five = selectImages(db, cfg, { count: 5, constraints }, {
      now: NOW,
      seed: 1,
      check: allExist,
      sourceCheck: allOnline,
      strategy,
    });
    assertEquals(new Set(five.picks.map((p) => p.image.id)).size, 5);
    assert(five.picks.every((p) => classOf.get(p.image.id)! >= 0));
    db.close();
  });
}

Deno.test("selectImages() rejection bound holds for every mix of unseen, favourite and shown images", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({
          favorite: fc.boolean(),
          last_shown_at: fc.option(fc.integer({ min: NOW - 30 * DAY, max: NOW })),
          times_shown: fc.nat(4),
          source: fc.integer({ min: 1, max: 3 }),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      fc.record({
        unseen_boost: fc.double({ min: 0, max: 5, noNaN: true }),
        favorite_boost: fc.double({ min: 0, max: 5, noNaN: true }),
        times_shown_weight: fc.double({ min: 0, max: 2, noNaN: true }),
      }),
      fc.nat(),
      async (kinds, knobs, seed) => {
        // 2500 images cycling through the drawn kinds, so the rowid path runs.
        const specs = Array.from({ length: 2500 }, (_, i) => kinds[i % kinds.length]);
        const { db } = await collection(specs);
        try {
          const r = selectImages(db, config(knobs), { count: 3, constraints: {} }, {
            now: NOW,
            seed,
            check: allExist,
            sourceCheck: allOnline,
            strategy: "rowid",
          });
          assertEquals(r.picks.length, 3);
        } finally {
          db.close();
        }
      },
    ),
    { numRuns: 25 },
  );
});

for (const strategy of ["auto", "rowid", "index", "scan"] as const) {
  Deno.test(`selectImages() strategy "${strategy}" draws by similarity to a target (chi-square, p = 0.001)`, async () => {
    // 3000 never-shown images: 300 with the target's palette, 600 slightly lighter,
    // 2100 lighter still; expected frequencies follow n × similarity.
    const target = { avg_hue: 210, avg_saturation: 0.4, avg_lightness: 0.3 };
    const groups = [{ n: 300, dl: 0 }, { n: 600, dl: 0.02 }, { n: 2100, dl: 0.05 }];
    const specs: Spec[] = groups.flatMap((g) =>
      Array.from({ length: g.n }, (): Spec => ({
        palette: { ...target, avg_lightness: target.avg_lightness + g.dl },
      }))
    );
    const { db, ids } = await collection(specs);
    const groupOf = new Map(ids.map((id, i) => [id, i < 300 ? 0 : i < 900 ? 1 : 2]));
    const sim = groups.map((g) =>
      similarityFactor(
        signatureDistance(
          paletteSignature(target),
          paletteSignature({ ...target, avg_lightness: target.avg_lightness + g.dl }),
        ),
        4,
      )
    );
    const mass = groups.map((g, i) => g.n * sim[i]);
    const total = mass.reduce((a, b) => a + b, 0);
    const counts = [0, 0, 0];
    for (let seed = 0; seed < 1200; seed++) {
      const r = selectImages(db, config(), { count: 1, constraints: { similarTo: target } }, {
        now: NOW,
        seed,
        check: allExist,
        sourceCheck: allOnline,
        strategy,
      });
      const p = r.picks[0];
      const g = groupOf.get(p.image.id)!;
      assert(Math.abs(p.factors.similarity - sim[g]) < 1e-12);
      counts[g]++;
    }
    const chi = chiSquare(counts, mass.map((m) => m / total));
    assert(
      chi < CHI2_999[2],
      `counts ${counts}, expected ${mass.map((m) => (1200 * m / total).toFixed(0))}`,
    );
    db.close();
  });
}
