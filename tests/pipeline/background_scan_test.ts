// The daemon's background rescan of your folders ([daemon] rescan).
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { type Config, defaultConfig } from "../../src/config/schema.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { Database } from "../../src/db/database.ts";
import { getImageByPath } from "../../src/db/images.ts";
import { addSource, listSources } from "../../src/db/sources.ts";
import { emptyScanReport, scanSources } from "../../src/scan/scanner.ts";
import { scanSummary, startRescan } from "../../src/pipeline/background_scan.ts";
import { type DaemonEvent, runDaemon } from "../../src/pipeline/daemon.ts";
import type { PipelineDeps } from "../../src/pipeline/pipeline_deps.ts";
import type { PipelineServices } from "../../src/pipeline/services.ts";
import { tempHome } from "../_helpers/env.ts";
import { COLORS, writeImage } from "../_helpers/images.ts";
import { FakeClock } from "../_helpers/fake_clock.ts";

const EMPTY = emptyScanReport();

Deno.test("scanSummary() lists what a scan changed, in a fixed order", () => {
  assertEquals(scanSummary(EMPTY), "");
  assertEquals(
    scanSummary({ ...EMPTY, restored: 1, added: 2, removed: 3, missing: 4, updated: 5, moved: 6 }),
    "2 added, 5 updated, 6 moved, 3 removed, 4 missing, 1 restored",
  );
});

Deno.test("startRescan() indexes new and gone files of your folders and says so", async () => {
  await using home = await tempHome();
  const dir = `${home.root}/walls`;
  await writeImage(`${dir}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  await writeImage(`${dir}/b.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  using db = await Database.open(home.database);
  addSource(db, dir);
  await scanSources(db, listSources(db));
  await writeImage(`${dir}/new.png`, { width: 16, height: 9, colors: [COLORS.green] });
  await Deno.remove(`${dir}/b.png`);
  const info: string[] = [], log: string[] = [];
  const r = startRescan({
    db,
    config: defaultConfig,
    home: home.root,
    log: (l) => log.push(l),
    info: (l) => info.push(l),
    firstDelayMs: 0,
    everyMs: 10,
  });
  try {
    await r.nextCheck();
    assert(getImageByPath(db, `${dir}/new.png`));
    assert(getImageByPath(db, `${dir}/b.png`)?.missing_since !== null);
    assertEquals(info, ["scan: 1 added, 1 missing"]);
    await r.nextCheck();
    assertEquals(info.length, 1, "nothing changed: nothing said");
    assertEquals(log, []);
  } finally {
    await r.stop();
  }
});

Deno.test("startRescan() says a problem when it appears or changes, not at every scan", async () => {
  await using home = await tempHome();
  using db = await Database.open(home.database);
  addSource(db, home.root);
  const reports = [
    [{ path: "/w/locked", reason: "permission denied" }],
    [{ path: "/w/locked", reason: "permission denied" }],
    [{ path: "/w/locked", reason: "permission denied" }, { path: "/w/x", reason: "offline" }],
    [],
  ];
  let calls = 0;
  const log: string[] = [];
  const r = startRescan({
    db,
    config: defaultConfig,
    home: home.root,
    log: (l) => log.push(l),
    info: () => {},
    firstDelayMs: 0,
    everyMs: 1,
    scan: () => Promise.resolve({ ...EMPTY, errors: reports[Math.min(calls++, 3)] }),
  });
  try {
    for (let i = 0; i < 4; i++) await r.nextCheck();
  } finally {
    await r.stop();
  }
  assertEquals(log, [
    "scan: /w/locked: permission denied",
    "scan: /w/locked: permission denied",
    "scan: /w/x: offline",
  ]);
});

Deno.test("startRescan() does nothing with [daemon] rescan = 0, and stop() ends a scan in progress", async () => {
  await using home = await tempHome();
  using db = await Database.open(home.database);
  addSource(db, home.root);
  let calls = 0;
  const off = defaultConfig();
  off.daemon.rescan = 0;
  const idle = startRescan({
    db,
    config: () => off,
    home: home.root,
    log: () => {},
    info: () => {},
    firstDelayMs: 0,
    scan: () => Promise.resolve({ ...EMPTY, added: ++calls }),
  });
  await idle.nextCheck();
  await idle.stop();
  assertEquals(calls, 0);

  let aborted = false;
  const log: string[] = [];
  const busy = startRescan({
    db,
    config: defaultConfig,
    home: home.root,
    log: (l) => log.push(l),
    info: () => {},
    firstDelayMs: 0,
    scan: (_db, _s, o) =>
      new Promise((_, reject) =>
        o.signal!.addEventListener("abort", () => {
          aborted = true;
          reject(o.signal!.reason);
        })
      ),
  });
  await new Promise((r) => setTimeout(r, 20));
  await busy.stop();
  assert(aborted);
  assertEquals(log, [], "a scan stopped with the daemon is no failure");
});

Deno.test("scanSources() gives the event loop a turn every 256 files when asked", async () => {
  await using home = await tempHome();
  const dir = `${home.root}/notes`;
  await Deno.mkdir(dir);
  for (let i = 0; i < 600; i++) await Deno.writeTextFile(`${dir}/n${i}.txt`, "");
  using db = await Database.open(home.database);
  addSource(db, dir);
  let pauses = 0;
  const r = await scanSources(db, listSources(db), {
    pause: () => {
      pauses++;
      return new Promise((resolve) => setTimeout(resolve, 0));
    },
  });
  assertEquals(r.skipped, 600);
  assertEquals(pauses, 2);
});

Deno.test("the daemon scans your folders again: a picture added while it runs is drawn", async () => {
  await using home = await tempHome();
  const dir = `${home.root}/walls`;
  await writeImage(`${dir}/a.png`, { width: 16, height: 9, colors: [COLORS.red] });
  const paths = resolvePaths((k) => home.env[k]);
  using db = await Database.open(paths.database);
  addSource(db, dir);
  await scanSources(db, listSources(db));
  await writeImage(`${dir}/later.png`, { width: 16, height: 9, colors: [COLORS.blue] });
  const services: PipelineServices = {
    select: (db) => {
      const image = db.prepare("SELECT * FROM images ORDER BY id LIMIT 1").get() as never;
      return { picks: [{ image, weight: 1, factors: {} }], requested: 1, warnings: [], seed: 0 };
    },
    palette: () => Promise.reject(new Error("no palette in this test")),
    theme: () => Promise.reject(new Error("no theme in this test")),
  };
  const config: Config = defaultConfig();
  config.wallpaper.setter = "none";
  config.theme.enabled = false;
  const deps: PipelineDeps = { db, config, paths, env: (k) => home.env[k], services };
  const clock = new FakeClock();
  deps.now = clock.now;
  const logs: string[] = [];
  let emit!: (e: DaemonEvent) => void;
  const done = runDaemon(deps, {
    interval: 3600,
    log: (l) => logs.push(l),
    sleep: clock.sleep,
    subscribe: (e) => {
      emit = e;
      return () => {};
    },
    channel: null,
    reloadConfig: () => Promise.resolve(config),
    rescanFirstDelayMs: 0,
  });
  try {
    for (let i = 0; i < 200 && !logs.some((l) => l.startsWith("scan: ")); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    assertStringIncludes(logs.join("\n"), "scan: 1 added");
    assert(getImageByPath(db, `${dir}/later.png`));
  } finally {
    emit("stop");
    await done;
  }
});
