// The daemon's steps report their failures as outcomes and log lines instead of throwing.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { Database } from "../../src/db/database.ts";
import { insertImage } from "../../src/db/images.ts";
import { addSource } from "../../src/db/sources.ts";
import { countHistory } from "../../src/db/history.ts";
import { daemonRun, prune, reapplyTheme, restore, rotate } from "../../src/pipeline/daemon_jobs.ts";
import type { PipelineDeps } from "../../src/pipeline/pipeline_deps.ts";
import type { PipelineServices, ThemeApplier } from "../../src/pipeline/services.ts";
import { RETENTION_INTERVAL_MS } from "../../src/db/retention.ts";
import { browseFile, writeBrowseState } from "../../src/pipeline/browse.ts";
import { tempHome } from "../_helpers/env.ts";

const PALETTE = {
  origin: "builtin" as const,
  variant: "dark16",
  background: "#101010",
  foreground: "#f0f0f0",
  cursor: "#f0f0f0",
  colors: Array.from({ length: 16 }, () => "#808080"),
  avg_hue: null,
  avg_saturation: 0,
  avg_lightness: 0.5,
  temperature: 0,
};

/** A theme that records its applies, or fails them. */
function fakeTheme(fail?: string): ThemeApplier & { applied: string[] } {
  const applied: string[] = [];
  return {
    applied,
    apply: (_p, w) => {
      if (fail) return Promise.reject(new Error(fail));
      applied.push(w);
      return Promise.resolve({ written: [], failed: [], hooks: [], ms: 0 });
    },
    applySoon: (_p, w) => void applied.push(`soon ${w}`),
    flush: () => Promise.resolve(undefined),
    close: () => {},
  };
}

async function setup(services: Partial<PipelineServices> = {}) {
  const home = await tempHome();
  const paths = resolvePaths((k) => home.env[k]);
  const db = await Database.open(paths.database);
  const { source } = addSource(db, home.root, { now: 1 });
  const path = `${home.root}/a.png`;
  await Deno.writeFile(path, new Uint8Array([1]));
  insertImage(db, {
    path,
    source_id: source.id,
    size: 1,
    mtime: 1,
    width: 10,
    height: 10,
    format: "png",
  }, 1);
  const all: PipelineServices = {
    select: (db) => {
      const image = db.prepare("SELECT * FROM images").get() as never;
      return { picks: [{ image, weight: 1, factors: {} }], requested: 1, warnings: [], seed: 0 };
    },
    palette: () => Promise.resolve({ palette: PALETTE, warnings: [] }),
    theme: () => Promise.resolve(fakeTheme()),
    ...services,
  };
  const config = defaultConfig();
  config.wallpaper.setter = "none";
  const deps: PipelineDeps = { db, config, paths, env: (k) => home.env[k], services: all };
  const info: string[] = [], log: string[] = [];
  return {
    deps,
    path,
    info,
    log,
    sinks: [(l: string) => info.push(l), (l: string) => log.push(l)] as const,
    async [Symbol.asyncDispose]() {
      db.close();
      await home[Symbol.asyncDispose]();
    },
  };
}

Deno.test("rotate() reports a failed next as an outcome and a log line", async () => {
  await using s = await setup({ palette: () => Promise.reject(new Error("unused")) });
  s.deps.config.wallpaper.setter = "custom"; // with no command: the setter fails
  const out = await rotate(daemonRun(s.deps, null, {}), ...s.sinks);
  assertEquals(out.ok, false);
  assertStringIncludes(out.message, "next failed: ");
  assertEquals(s.log, [out.message]);
  assertEquals(countHistory(s.deps.db), 0);
});

Deno.test("rotate() with only remotes and nothing downloaded yet waits instead of failing", async () => {
  await using s = await setup();
  s.deps.db.raw.exec("DELETE FROM images");
  const out = await rotate(daemonRun(s.deps, null, {}), ...s.sinks);
  assertEquals(out.ok, false);
  assertStringIncludes(out.message, "next failed: ");
  // Once a remote is enabled, the same is only news.
  const { upsertRemote } = await import("../../src/db/remotes.ts");
  const { REMOTE_DEFAULTS } = await import("../../src/config/remote.ts");
  const { enabled: _, ...defaults } = REMOTE_DEFAULTS;
  const settings = { ...defaults, name: "r", kind: "bing" as const, api: "https://www.bing.com" };
  upsertRemote(s.deps.db, settings, `${s.deps.paths.data}/downloads/r`, { fromConfig: false });
  s.log.length = 0;
  const waiting = await rotate(daemonRun(s.deps, null, {}), ...s.sinks);
  assertEquals(waiting.message, "nothing to show yet: waiting for the remotes' first downloads");
  assertEquals(s.log, []);
  assert(s.info.includes(waiting.message));
});

Deno.test("rotate() logs the show and its warnings", async () => {
  await using s = await setup({
    palette: () => Promise.reject(new Error("cannot decode")),
  });
  const out = await rotate(daemonRun(s.deps, null, {}), ...s.sinks);
  assertEquals(out, { ok: true, message: `next: ${s.path}` });
  assert(s.info[0].startsWith(`next: ${s.path} (`), s.info.join("\n"));
  assert(s.log.some((l) => l.startsWith("warning: ") && l.includes("cannot decode")), s.log.join());
});

Deno.test("rotate() logs a lasting warning when it begins, not at every rotation", async () => {
  let warnings = ["no portrait image qualifies for output HDMI-A-1; using any orientation"];
  await using s = await setup({
    select: (db) => {
      const image = db.prepare("SELECT * FROM images").get() as never;
      return { picks: [{ image, weight: 1, factors: {} }], requested: 1, warnings, seed: 0 };
    },
  });
  const said = () => s.log.filter((l) => l.includes("no portrait image")).length;
  for (let i = 0; i < 3; i++) await rotate(daemonRun(s.deps, null, {}), ...s.sinks);
  assertEquals(said(), 1);
  warnings = []; // a portrait picture was added: the condition ends …
  await rotate(daemonRun(s.deps, null, {}), ...s.sinks);
  warnings = ["no portrait image qualifies for output HDMI-A-1; using any orientation"];
  await rotate(daemonRun(s.deps, null, {}), ...s.sinks); // … and begins again: said again
  assertEquals(said(), 2);
});

Deno.test("restore() logs a failure instead of throwing, and does nothing without a show", async () => {
  await using s = await setup();
  await restore(daemonRun(s.deps, null, {}), ...s.sinks); // nothing shown yet
  assertEquals([s.info, s.log], [[], []]);
  await rotate(daemonRun(s.deps, null, {}), ...s.sinks);
  s.info.length = 0;
  await restore(daemonRun(s.deps, null, { setter: "custom" }), ...s.sinks);
  assertEquals(s.info, []);
  assertEquals(s.log.length, 1);
  assertStringIncludes(s.log[0], "restore failed: ");
  await restore(daemonRun(s.deps, null, {}), ...s.sinks);
  assertEquals(s.info, [`restored: ${s.path}`]);
});

Deno.test("restore() logs the setter's warnings: a daemon's first set is often its restore", async () => {
  await using s = await setup();
  await rotate(daemonRun(s.deps, null, {}), ...s.sinks);
  s.log.length = 0;
  const { resetWarnOnce } = await import("../../src/wallpaper/setter.ts");
  resetWarnOnce();
  // A mode the command cannot pass on: warned once per process, here by the restore.
  s.deps.config.wallpaper.setter = "custom";
  s.deps.config.wallpaper.command = ["true", "{path}"];
  s.deps.config.wallpaper.mode = "tile";
  assertEquals(await restore(daemonRun(s.deps, null, {}), ...s.sinks), "restored");
  assertEquals(s.log.length, 1, s.log.join("\n"));
  assert(s.log[0].startsWith("warning: ") && s.log[0].includes("tile"), s.log[0]);
  resetWarnOnce();
});

Deno.test("prune() runs once a day, says what it dropped, and logs a failure", async () => {
  await using s = await setup();
  const day = 86_400_000;
  const now = 1000 * day;
  s.deps.config.history.keep_days = 1;
  s.deps.db.prepare("INSERT INTO history (image_id, shown_at, output) VALUES (1, ?, NULL)")
    .run(now - 3 * day);
  s.deps.db.prepare("INSERT INTO history (image_id, shown_at, output) VALUES (1, ?, NULL)")
    .run(now - 2 * day);
  // Not yet a day since the last run: nothing happens.
  assertEquals(await prune(s.deps, now - 1000, now, ...s.sinks), now - 1000);
  assertEquals(countHistory(s.deps.db), 2);
  // The newest show always stays.
  assertEquals(await prune(s.deps, now - RETENTION_INTERVAL_MS, now, ...s.sinks), now);
  assertEquals(countHistory(s.deps.db), 1);
  assertEquals(s.info, ["history: dropped 1 show(s) older than 1 day"]);
  s.deps.db.close();
  assertEquals(await prune(s.deps, 0, now, ...s.sinks), now);
  assertEquals(s.log.length, 1);
  assertStringIncludes(s.log[0], "history not pruned: ");
});

Deno.test("prune() keeps the show `prev` is browsing (on screen), as 'varietal prune' does", async () => {
  await using s = await setup();
  const day = 86_400_000;
  const now = 1000 * day;
  s.deps.config.history.keep_days = 1;
  const old = Number(
    s.deps.db.prepare("INSERT INTO history (image_id, shown_at, output) VALUES (1, ?, NULL)")
      .run(now - 3 * day).lastInsertRowid,
  );
  s.deps.db.prepare("INSERT INTO history (image_id, shown_at, output) VALUES (1, ?, NULL)")
    .run(now - 2 * day);
  s.deps.db.prepare("INSERT INTO history (image_id, shown_at, output) VALUES (1, ?, NULL)")
    .run(now - 1000);
  // `prev --steps 2` went back to the oldest show.
  await writeBrowseState(browseFile(s.deps.paths.state), { cursor: now - 3 * day, changedAt: now });
  await prune(s.deps, 0, now, ...s.sinks);
  const left = s.deps.db.prepare("SELECT id FROM history ORDER BY id").all() as { id: number }[];
  assertEquals(left.length, 2);
  assertEquals(left[0].id, old, "the browsed show stays");
});

Deno.test("reapplyTheme() explains why there is nothing to do, and reports a failing theme", async () => {
  await using s = await setup();
  assertEquals(await reapplyTheme(s.deps, null, ...s.sinks), {
    ok: false,
    message: "theme: disabled in config ([theme] enabled = false)",
  });
  assertEquals(await reapplyTheme(s.deps, fakeTheme(), ...s.sinks), {
    ok: false,
    message: "theme: nothing to re-apply (no current wallpaper with a palette)",
  });
  await rotate(daemonRun(s.deps, null, {}), ...s.sinks);
  assertEquals(await reapplyTheme(s.deps, fakeTheme("template 'bar' broke"), ...s.sinks), {
    ok: false,
    message: "theme: template 'bar' broke",
  });
  const good = fakeTheme();
  const ok = await reapplyTheme(s.deps, good, ...s.sinks);
  assertEquals(ok.ok, true);
  assertEquals(good.applied, [s.path]);
  assertEquals(s.log, [
    "theme: nothing to re-apply (no current wallpaper with a palette)",
    "theme: template 'bar' broke",
  ]);
});
