import { assert, assertEquals } from "../_helpers/assert.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { Database } from "../../src/db/database.ts";
import { addSource } from "../../src/db/sources.ts";
import { insertImage } from "../../src/db/images.ts";
import { countPendingFigures, getHueShares, getPalette } from "../../src/db/palettes.ts";
import { extractPalettes } from "../../src/palette/extract_palettes.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { getImageScheme } from "../../src/db/material_schemes.ts";
import { materialScheme } from "../../src/palette/material/scheme.ts";
import { withStatusRoles } from "../../src/palette/material/status_roles.ts";
import { resolvePaths } from "../../src/config/paths.ts";

async function fixture(n: number) {
  const root = await Deno.makeTempDir({ prefix: "varietal-extract-" });
  const db = await Database.open(`${root}/v.db`);
  const { source } = addSource(db, `${root}/walls`);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const path = await writeImage(`${root}/walls/w${i}.png`, {
      width: 24,
      height: 16,
      colors: [Object.values(COLORS)[i % 12], COLORS.black],
    });
    ids.push(insertImage(db, {
      path,
      source_id: source.id,
      size: 1,
      mtime: 1,
      width: 24,
      height: 16,
      format: "png",
    }, 1));
  }
  const config = defaultConfig();
  config.palette.origin = "builtin";
  const paths = resolvePaths((k) => ({ HOME: root } as Record<string, string>)[k]);
  return {
    db,
    ids,
    config,
    paths,
    async [Symbol.asyncDispose]() {
      db.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("extractPalettes() saves a palette per image through the worker pool, in batches", async () => {
  await using f = await fixture(7);
  const seen: number[] = [];
  const rep = await extractPalettes(f.db, {
    config: f.config,
    paths: f.paths,
    jobs: 2,
    batchSize: 3,
    now: () => 1234,
    onProgress: (e) => seen.push(e.done),
  });
  assertEquals([rep.total, rep.extracted, rep.workers, rep.failed], [7, 7, 2, []]);
  assertEquals(seen, [1, 2, 3, 4, 5, 6, 7]);
  for (const id of f.ids) {
    const p = getPalette(f.db, id)!;
    assertEquals(p.extracted_at, 1234);
    // the Material scheme is stored too (themes are on), so a later next need not compute it
    assertEquals(
      getImageScheme(f.db, id, p.source_color!, "tonal-spot", 0),
      withStatusRoles(materialScheme(p.source_color!)),
    );
  }
  const again = await extractPalettes(f.db, { config: f.config, paths: f.paths });
  assertEquals(again.total, 0);
});

Deno.test("extractPalettes() replaces a worker whose decode grew large while memory is over budget", async () => {
  await using f = await fixture(5);
  const base = { config: f.config, paths: f.paths, jobs: 2, batchSize: 5 };
  // 24×16 pixels: 1536 bytes decoded. Over the threshold, but under the memory budget: kept.
  let replaced = 0;
  const kept = await extractPalettes(f.db, {
    ...base,
    recycleAboveBytes: 1000,
    rssBudgetBytes: 2 ** 50,
    onRecycle: () => replaced++,
  });
  assertEquals([kept.extracted, replaced], [5, 0]);
  // Over both: each worker is replaced after each image, and every palette is still saved.
  const again = await extractPalettes(f.db, {
    ...base,
    force: true,
    recycleAboveBytes: 1000,
    rssBudgetBytes: 0,
    onRecycle: () => replaced++,
  });
  assertEquals([again.extracted, again.failed, replaced], [5, [], 5]);
  // Under the threshold: never, whatever the memory.
  const small = await extractPalettes(f.db, {
    ...base,
    force: true,
    recycleAboveBytes: 2000,
    rssBudgetBytes: 0,
    onRecycle: () => replaced++,
  });
  assertEquals([small.extracted, replaced], [5, 5]);
});

Deno.test("extractPalettes() --force redoes palettes saved in the millisecond it starts", async () => {
  await using f = await fixture(3);
  const base = { config: f.config, paths: f.paths, jobs: 1, now: () => 1_000 };
  assertEquals((await extractPalettes(f.db, base)).extracted, 3);
  // Two --force runs whose clocks read the same millisecond (a fast machine, a test).
  for (let i = 0; i < 2; i++) {
    const again = await extractPalettes(f.db, { ...base, force: true });
    assertEquals([again.total, again.extracted], [3, 3]);
  }
});

Deno.test("extractPalettes() saves the first palettes early (a kill -9 later keeps them)", async () => {
  await using f = await fixture(12);
  const saved: number[] = [];
  const count = () => (f.db.prepare("SELECT COUNT(*) AS n FROM palettes").get() as { n: number }).n;
  const rep = await extractPalettes(f.db, {
    config: f.config,
    paths: f.paths,
    jobs: 1,
    onProgress: () => saved.push(count()),
  });
  assertEquals(rep.extracted, 12);
  // The first batch (8 images) is in the database before the ninth image is done, without
  // waiting for 64 or for the end.
  assert(saved[8] >= 8, `saved when the 9th was done: ${saved[8]}`);
});

Deno.test("extractPalettes() stops when aborted and resumes where it stopped", async () => {
  await using f = await fixture(6);
  const ac = new AbortController();
  const rep = await extractPalettes(f.db, {
    config: f.config,
    paths: f.paths,
    jobs: 1,
    batchSize: 2,
    onProgress: (e) => e.done === 3 && ac.abort(),
    signal: ac.signal,
  });
  assert(rep.interrupted);
  assert(rep.extracted >= 2 && rep.extracted < 6, `extracted ${rep.extracted}`);
  const rest = await extractPalettes(f.db, { config: f.config, paths: f.paths, jobs: 2 });
  assertEquals(rest.total, 6 - rep.extracted);
  assertEquals(rest.extracted, rest.total);
});

Deno.test("extractPalettes() falls back to this process when workers cannot start", async () => {
  await using f = await fixture(3);
  const rep = await extractPalettes(f.db, {
    config: f.config,
    paths: f.paths,
    jobs: 2,
    workerModule: new URL("data:application/javascript,throw new Error('worker cannot load')"),
  });
  assertEquals([rep.extracted, rep.workers], [3, 0]);
  assert(rep.warnings.some((w) => w.message.includes("in this process")));
});

/** Puts the stored palettes back in the state migration "colour figures" leaves older rows in. */
function makeOutdated(db: Database) {
  db.raw.exec(`UPDATE palettes SET hue_mask = NULL, avg_hue = 55.47, avg_saturation = 1;
    DELETE FROM palette_hues`);
}

Deno.test("extractPalettes() recomputes figures from an older version, keeping the colours", async () => {
  await using f = await fixture(4);
  await extractPalettes(f.db, { config: f.config, paths: f.paths, jobs: 1 });
  const fresh = f.ids.map((id) => getPalette(f.db, id)!);
  const shares = f.ids.map((id) => getHueShares(f.db, id));
  makeOutdated(f.db);
  // wallust is configured but cannot run: recomputing figures must not need it
  f.config.palette.origin = "wallust";
  f.config.palette.wallust = "/nonexistent/wallust";
  for (const jobs of [2, 0]) {
    if (jobs === 0) makeOutdated(f.db);
    const rep = await extractPalettes(f.db, {
      config: f.config,
      paths: f.paths,
      jobs: jobs || 1,
      // jobs 0: the in-process path
      ...(jobs ? {} : { workerModule: new URL("data:application/javascript,throw 1") }),
    });
    assertEquals(
      [rep.total, rep.outdated, rep.recomputed, rep.extracted, rep.failed],
      [4, 4, 4, 0, []],
    );
    f.ids.forEach((id, i) => {
      const p = getPalette(f.db, id)!;
      assertEquals(p.colors, fresh[i].colors, "colours kept");
      assertEquals(p.origin, "builtin");
      assertEquals(
        [p.avg_hue, p.avg_saturation, p.hue_mask],
        [fresh[i].avg_hue, fresh[i].avg_saturation, fresh[i].hue_mask],
      );
      assertEquals(getHueShares(f.db, id), shares[i]);
    });
  }
  assertEquals(countPendingFigures(f.db), 0);
  assertEquals((await extractPalettes(f.db, { config: f.config, paths: f.paths })).total, 0);
});

Deno.test('extractPalettes() with a timeout past a timer\'s range (decode_timeout = "30d") waits', async () => {
  await using f = await fixture(2);
  // setTimeout cuts a delay past 2^31 - 1 ms to 1 ms: every image would have "taken too long".
  const rep = await extractPalettes(f.db, {
    config: f.config,
    paths: f.paths,
    jobs: 1,
    jobTimeoutMs: 30 * 86_400_000,
  });
  assertEquals([rep.extracted, rep.failed.length], [2, 0]);
});

Deno.test("extractPalettes() replaces a worker stuck on an image and marks the image", async () => {
  await using f = await fixture(4);
  // the real worker, except that it spins forever on w1 (like a decoder stuck in WebAssembly)
  const real = new URL("../../src/palette/_extract_worker.ts", import.meta.url).href;
  const module = new URL(
    "data:application/javascript," + encodeURIComponent(
      `await import(${JSON.stringify(real)});
       const handle = self.onmessage;
       self.onmessage = (e) => {
         if (e.data.type === "job" && e.data.path.endsWith("/w1.png")) for (;;) {}
         return handle(e);
       };`,
    ),
  );
  const rep = await extractPalettes(f.db, {
    config: f.config,
    paths: f.paths,
    jobs: 2,
    workerModule: module,
    jobTimeoutMs: 8000,
  });
  assertEquals(rep.extracted, 3);
  assertEquals(rep.failed.length, 1);
  assert(rep.failed[0].path.endsWith("/w1.png"));
  assert(rep.failed[0].reason.includes("took longer than 8s"), rep.failed[0].reason);
  const marked = f.db.prepare(
    "SELECT id, decode_error FROM images WHERE decode_failed_at IS NOT NULL",
  )
    .all() as { id: number; decode_error: string }[];
  assertEquals(marked.map((m) => m.id), [f.ids[1]]);
  assertEquals(getPalette(f.db, f.ids[1]), undefined);
  // left out of the next run until the file changes
  const again = await extractPalettes(f.db, { config: f.config, paths: f.paths });
  assertEquals([again.total, again.undecodable], [0, 1]);
});
