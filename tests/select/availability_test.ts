// Issue 11 §9 and §8: offline sources are left out as a whole (nothing
// marked missing), the redraw loop of one call is bounded, and images below
// [selection] min_width × min_height are never drawn.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { REDRAW_LIMIT, selectImages } from "../../src/select/selector.ts";
import { getImage } from "../../src/db/images.ts";
import { allExist, allOnline, collection, config, NOW } from "./_fixture.ts";

Deno.test("selectImages() leaves out an offline source without checking or marking its files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const specs = [...Array(40).fill({ source: 1 }), ...Array(3).fill({ source: 2 })];
    const { db, ids, sourceIds } = await collection(specs);
    // Source 1 lives on a drive that is unplugged: its folder is gone.
    db.prepare("UPDATE sources SET path = ? WHERE id = ?").run(`${dir}/usb`, sourceIds.get(1)!);
    db.prepare("UPDATE sources SET path = ? WHERE id = ?").run(dir, sourceIds.get(2)!);
    await Deno.writeTextFile(`${dir}/present.txt`, "");
    const checked: string[] = [];
    const check = (p: string) => {
      checked.push(p);
      return p.startsWith("/w/s1/") ? "missing" : "ok";
    };
    const r = selectImages(db, config(), { count: 10, constraints: {} }, {
      now: NOW,
      seed: 1,
      check,
    });
    assertEquals(r.picks.length, 3);
    assert(r.picks.every((p) => p.image.source_id === sourceIds.get(2)), "only the online source");
    assertEquals(checked.filter((p) => p.startsWith("/w/s1/")), []);
    assertEquals((r.offline ?? []).map((o) => o.path), [`${dir}/usb`]);
    assertStringIncludes(r.offline![0].reason, "not found");
    assert(r.warnings.some((w) => w.includes(`${dir}/usb is offline`)), r.warnings.join("\n"));
    const marked = ids.filter((id) => getImage(db, id)!.missing_since !== null);
    assertEquals(marked, []);

    // Plugged in again: its images are drawn as before.
    await Deno.mkdir(`${dir}/usb`);
    await Deno.writeTextFile(`${dir}/usb/x.jpg`, "");
    const back = selectImages(db, config(), { count: 43, constraints: {} }, {
      now: NOW,
      seed: 2,
      check: allExist,
    });
    assertEquals(back.picks.length, 43);
    assertEquals(back.offline, []);
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("selectImages() stops redrawing after a bounded number of vanished picks", async () => {
  // An online source whose files were all deleted behind varietal's back.
  const { db, ids } = await collection(Array.from({ length: 3000 }, () => ({})));
  let checks = 0;
  const r = selectImages(db, config(), { count: 1, constraints: {} }, {
    now: NOW,
    seed: 3,
    check: () => (checks++, "missing"),
    sourceCheck: allOnline,
  });
  assertEquals(r.picks, []);
  assertEquals(checks, REDRAW_LIMIT.picks);
  const marked = ids.filter((id) => getImage(db, id)!.missing_since !== null).length;
  assertEquals(marked, REDRAW_LIMIT.picks);
  assert(r.warnings.some((w) => w.startsWith("stopped redrawing")), r.warnings.join("\n"));

  // The time bound: a slow file system stops the loop before the count does.
  let slow = 0;
  const t = performance.now();
  const timed = selectImages(db, config(), { count: 1, constraints: {} }, {
    now: NOW,
    seed: 4,
    check: () => {
      slow++;
      const until = performance.now() + 5;
      while (performance.now() < until) { /* a 5 ms stat */ }
      return "Input/output error";
    },
    sourceCheck: allOnline,
    redrawLimit: { picks: 1000, ms: 50 },
  });
  assertEquals(timed.picks, []);
  assert(slow < 1000, `${slow} checks in ${performance.now() - t} ms`);
  assert(timed.warnings.some((w) => w.startsWith("cannot use")), timed.warnings.join("\n"));
  db.close();
});

Deno.test("selectImages() never draws images below [selection] min_width × min_height", async () => {
  const { db, ids } = await collection([
    { width: 21, height: 21 }, // a boot-splash icon
    { width: 640, height: 479 },
    { width: 640, height: 480 },
    { width: 1920, height: 1080 },
  ]);
  const opts = { now: NOW, check: allExist, sourceCheck: allOnline };
  for (let seed = 0; seed < 20; seed++) {
    const r = selectImages(db, config(), { count: 4, constraints: {} }, { ...opts, seed });
    assertEquals(r.picks.map((p) => p.image.id).sort(), [ids[2], ids[3]]);
    assertEquals(r.minSize, { width: 640, height: 480 });
  }
  const off = selectImages(db, config({ min_width: 0, min_height: 0 }), {
    count: 4,
    constraints: {},
  }, { ...opts, seed: 1 });
  assertEquals(off.picks.length, 4);
  assertEquals(off.minSize, { width: 0, height: 0 });
  // A flag replaces the setting for its dimension.
  const flag = selectImages(db, config(), { count: 4, constraints: { minHeight: 400 } }, {
    ...opts,
    seed: 1,
  });
  assertEquals(flag.picks.map((p) => p.image.id).sort(), [ids[1], ids[2], ids[3]]);
  // --min-width 0 --min-height 0 lift the setting for one call.
  const lifted = selectImages(db, config(), {
    count: 4,
    constraints: { minWidth: 0, minHeight: 0 },
  }, { ...opts, seed: 1 });
  assertEquals(lifted.picks.length, 4);
  db.close();
});
