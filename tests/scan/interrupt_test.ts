// A scan stopped part way (Ctrl-C, SIGTERM, the daemon stopping): promptly, keeping what it saved.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { Database } from "../../src/db/database.ts";
import { countImages, getImageByPath, insertImage, setImageFlag } from "../../src/db/images.ts";
import { addSource, listSources } from "../../src/db/sources.ts";
import { startRescan } from "../../src/pipeline/background_scan.ts";
import { scanSources } from "../../src/scan/scanner.ts";
import { runCli, spawnCli, tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";

/**
 * `n` hard links to `file` in folders of 1000 under `dir`: a tree that takes
 * a scan a second or more, made in a fraction of one.
 */
function linkTree(file: string, dir: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const folder = `${dir}/f${Math.floor(i / 1000)}`;
    if (i % 1000 === 0) Deno.mkdirSync(folder, { recursive: true });
    Deno.linkSync(file, `${folder}/p${i}.png`);
  }
}

/** A small PNG to link to, outside the folders scanned. */
function picture(path: string): Promise<string> {
  return writeImage(path, { width: 16, height: 9, colors: [COLORS.red] });
}

/** Waits until `ready()` holds, looking every 10 ms; throws after `ms`. */
async function until(ready: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !ready();) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** When the scans of a source last finished (null while none has). */
function lastScanned(db: Database): number | null {
  const row = db.prepare("SELECT last_scanned_at FROM sources").get() as {
    last_scanned_at: number | null;
  };
  return row.last_scanned_at;
}

Deno.test("scanSources() stops at its signal in the middle of probing, keeping the batches it wrote", async () => {
  await using home = await tempHome();
  const w = `${home.root}/walls`, n = 12_000;
  linkTree(await picture(`${home.root}/one.png`), w, n);
  using db = await Database.open(home.database);
  addSource(db, w);
  const ac = new AbortController();
  let armed = false;
  const scan = scanSources(db, listSources(db), {
    signal: ac.signal,
    batchSize: 100,
    // A timer set once 1000 files are saved: it runs only if the scan gives the event loop
    // a turn, as a SIGINT listener does.
    onProgress: (e) => {
      if (e.phase !== "probe" || e.done < 1000 || armed) return;
      armed = true;
      setTimeout(() => ac.abort(new DOMException("Interrupted by SIGINT", "AbortError")), 0);
    },
  });
  await assertRejects(() => scan, DOMException, "Interrupted by SIGINT");
  const saved = countImages(db);
  assert(saved >= 1000 && saved < n, `stopped with ${saved} of ${n} saved`);
  assertEquals(saved % 100, 0, "whole batches only");
  assertEquals(lastScanned(db), null, "not recorded as scanned");
  const rest = await scanSources(db, listSources(db));
  assertEquals([rest.added, rest.unchanged], [n - saved, saved]);
  assert(lastScanned(db) !== null);
});

Deno.test("a scan stopped part way leaves a moved image to the next one, which keeps its favourite", async () => {
  await using home = await tempHome();
  const w = `${home.root}/walls`, old = `${w}/old/pic.png`;
  await writeImage(old, { width: 16, height: 9, colors: [COLORS.blue] });
  using db = await Database.open(home.database);
  addSource(db, w);
  await scanSources(db, listSources(db));
  setImageFlag(db, getImageByPath(db, old)!.id, "favorite", true);
  // Moved up a folder (the root's files are looked at first), 300 new pictures besides.
  await Deno.rename(old, `${w}/pic.png`);
  linkTree(await picture(`${home.root}/one.png`), `${w}/new`, 300);
  const ac = new AbortController();
  await assertRejects(() =>
    scanSources(db, listSources(db), {
      signal: ac.signal,
      batchSize: 1,
      pause: () => Promise.resolve(ac.abort(new DOMException("stop", "AbortError"))),
    })
  );
  assert(countImages(db) > 200, "the batches written are kept");
  // Not written as a new picture apart from the old one: the next scan matches the two.
  assertEquals(getImageByPath(db, `${w}/pic.png`), undefined);
  assertEquals(getImageByPath(db, old)?.missing_since, null);
  const r = await scanSources(db, listSources(db));
  assertEquals([r.moved, r.missing], [1, 0]);
  assertEquals(getImageByPath(db, `${w}/pic.png`)?.favorite, true);
  assertEquals(getImageByPath(db, old), undefined);
});

Deno.test("a scan meeting paths another writer indexed meanwhile finishes (no UNIQUE failure)", async () => {
  // Two scans at once, or `next --image` during a scan: both insert the same new path.
  await using home = await tempHome();
  const w = `${home.root}/walls`, n = 600;
  linkTree(await picture(`${home.root}/one.png`), w, n);
  using db = await Database.open(home.database);
  const { source } = addSource(db, w);
  using other = await Database.open(home.database);
  let raced = 0;
  const report = await scanSources(db, listSources(db), {
    batchSize: 1,
    pause: () => {
      if (raced) return Promise.resolve();
      // The other writer indexes every file of the tree this scan has not written yet.
      other.transaction(() => {
        for (const f of Deno.readDirSync(`${w}/f0`)) {
          const path = `${w}/f0/${f.name}`;
          if (getImageByPath(other, path)) continue;
          insertImage(other, {
            path,
            source_id: source.id,
            size: 1,
            mtime: 1,
            width: 16,
            height: 9,
            format: "png",
          }, Date.now());
          raced++;
        }
      });
      return Promise.resolve();
    },
  });
  assert(raced > 100, `raced ${raced}`);
  assertEquals(countImages(db), n);
  assertEquals(report.added + report.unchanged, n);
  assertEquals(report.unchanged, raced);
});

Deno.test("varietal scan stops promptly on SIGTERM (143) and Ctrl-C (130), keeps what it saved, and a rerun finishes", async () => {
  await using home = await tempHome();
  const w = `${home.root}/walls`, n = 20_000;
  linkTree(await picture(`${home.root}/one.png`), w, n);
  assertEquals((await runCli(home, ["sources", "add", w])).code, 0);
  using db = await Database.open(home.database, { readOnly: true });
  let saved = 0;
  for (const [signal, exit] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
    const child = spawnCli(home, ["scan"]);
    // Sent once the scan has written a batch past what the run before saved.
    await until(() => countImages(db) > saved, "a batch to be written");
    const sent = performance.now();
    child.kill(signal);
    const out = await child.output();
    const ms = Math.round(performance.now() - sent);
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, exit, `${signal}: ${stderr}`);
    assertStringIncludes(stderr, "varietal: scan interrupted; nothing from the unfinished batch");
    assert(ms < 1000, `${signal}: exited ${ms} ms after it`);
    assertEquals(db.prepare("PRAGMA quick_check").get()?.quick_check, "ok");
    const now = countImages(db);
    assert(now > saved && now < n, `${signal}: ${now} of ${n} saved`);
    assertEquals(now % 2000, 0, "whole batches only");
    saved = now;
  }
  assertEquals(lastScanned(db), null);
  const rest = await runCli(home, ["scan", "--json"]);
  assertEquals(rest.code, 0, rest.stderr);
  const r = rest.json<{ added: number; unchanged: number; missing: number }>();
  assertEquals([r.added, r.unchanged, r.missing], [n - saved, saved, 0]);
  assertEquals(countImages(db), n);
});

Deno.test("the daemon's rescan stops promptly when the daemon stops in the middle of it", async () => {
  await using home = await tempHome();
  const w = `${home.root}/walls`, n = 12_000;
  linkTree(await picture(`${home.root}/one.png`), w, n);
  using db = await Database.open(home.database);
  addSource(db, w);
  const logs: string[] = [];
  const rescan = startRescan({
    db,
    config: defaultConfig,
    home: home.home,
    log: (l) => logs.push(l),
    info: (l) => logs.push(l),
    firstDelayMs: 0,
  });
  await until(() => countImages(db) > 0, "the rescan to write a batch");
  const asked = performance.now();
  await rescan.stop();
  const ms = Math.round(performance.now() - asked);
  assert(ms < 500, `stopped ${ms} ms after it was asked to`);
  const saved = countImages(db);
  assert(saved < n && saved % 2000 === 0, `${saved} of ${n} saved, in whole batches`);
  assertEquals(lastScanned(db), null);
  assertEquals(logs, [], "a scan stopped with the daemon is no failure, and did nothing to report");
});
