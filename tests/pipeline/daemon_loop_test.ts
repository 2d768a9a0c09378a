// The daemon loop in-process, driven by events instead of signals.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { Database } from "../../src/db/database.ts";
import { insertImage } from "../../src/db/images.ts";
import { addSource } from "../../src/db/sources.ts";
import { countHistory } from "../../src/db/history.ts";
import { type DaemonEvent, runDaemon } from "../../src/pipeline/daemon.ts";
import { BusyError } from "../../src/pipeline/lock.ts";
import type { PipelineDeps } from "../../src/pipeline/pipeline_deps.ts";
import type { PipelineServices } from "../../src/pipeline/services.ts";
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

async function setup() {
  const home = await tempHome();
  const paths = resolvePaths((k) => home.env[k]);
  const db = await Database.open(paths.database);
  const { source } = addSource(db, `${home.root}`, { now: 1 });
  const files: string[] = [];
  for (const n of ["a", "b", "c"]) {
    const path = `${home.root}/${n}.png`;
    await Deno.writeFile(path, new Uint8Array([1]));
    files.push(path);
    insertImage(db, {
      path,
      source_id: source.id,
      size: 1,
      mtime: 1,
      width: 10,
      height: 10,
      format: "png",
    }, 1);
  }
  const themed: string[] = [];
  let n = 0;
  const services: PipelineServices = {
    select: (db) => {
      const rows = db.prepare("SELECT * FROM images ORDER BY id").all() as never[];
      const image = rows[n++ % rows.length];
      return { picks: [{ image, weight: 1, factors: {} }], requested: 1, warnings: [], seed: 0 };
    },
    palette: () => Promise.resolve({ palette: PALETTE, warnings: [] }),
    theme: () =>
      Promise.resolve({
        apply: (_p, w) => {
          themed.push(w);
          return Promise.resolve({ written: [], failed: [], ms: 0 });
        },
        applySoon: (_p, w) => void themed.push(`soon ${w}`),
        flush: () => Promise.resolve(undefined),
        close: () => {},
      }),
  };
  const config = defaultConfig();
  config.wallpaper.setter = "none";
  const deps: PipelineDeps = { db, config, paths, env: (k) => home.env[k], services };
  return {
    deps,
    themed,
    files,
    async [Symbol.asyncDispose]() {
      db.close();
      await home[Symbol.asyncDispose]();
    },
  };
}

Deno.test("runDaemon() rotates at start and on 'next', re-themes, reloads, stops", async () => {
  await using s = await setup();
  const logs: string[] = [];
  let emit!: (e: DaemonEvent) => void;
  let reloads = 0;
  const done = runDaemon(s.deps, {
    interval: 3600,
    log: (l) => logs.push(l),
    subscribe: (e) => {
      emit = e;
      return () => {};
    },
    reloadConfig: () => {
      reloads++;
      if (reloads === 2) return Promise.reject(new Error("bad toml"));
      const c = defaultConfig();
      c.wallpaper.setter = "none";
      return Promise.resolve(c);
    },
  });
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
    assert(pred(), logs.join("\n"));
  };
  await until(() => countHistory(s.deps.db) === 1);
  emit("next");
  await until(() => countHistory(s.deps.db) === 2);
  emit("theme");
  await until(() => logs.some((l) => l.startsWith("theme: re-applied")));
  emit("reload");
  await until(() => logs.some((l) => l.startsWith("config reloaded")));
  emit("reload");
  await until(() => logs.some((l) => l.includes("keeping the old one): bad toml")));
  emit("stop");
  await done;
  assertEquals(countHistory(s.deps.db), 2);
  assertEquals(s.themed.filter((t) => t.startsWith("soon ")).length, 2);
  assertEquals(s.themed.filter((t) => !t.startsWith("soon ")), [s.files[1]]);
  assertStringIncludes(logs.at(-1)!, "daemon stopping");
});

Deno.test("runDaemon() refuses to run twice", async () => {
  await using s = await setup();
  let emit!: (e: DaemonEvent) => void;
  const opts = {
    interval: 3600,
    log: () => {},
    reloadConfig: () => Promise.resolve(s.deps.config),
  };
  const first = runDaemon(s.deps, {
    ...opts,
    subscribe: (e) => {
      emit = e;
      return () => {};
    },
  });
  for (let i = 0; i < 200 && !emit; i++) await new Promise((r) => setTimeout(r, 10));
  await assertRejects(() => runDaemon(s.deps, { ...opts, subscribe: () => () => {} }), BusyError);
  emit("stop");
  await first;
});

Deno.test("runDaemon() with quiet logs nothing but errors", async () => {
  await using s = await setup();
  const logs: string[] = [];
  let emit!: (e: DaemonEvent) => void;
  const done = runDaemon(s.deps, {
    interval: 3600,
    quiet: true,
    log: (l) => logs.push(l),
    subscribe: (e) => {
      emit = e;
      return () => {};
    },
    reloadConfig: () => Promise.reject(new Error("unreadable")),
  });
  for (let i = 0; i < 200 && countHistory(s.deps.db) < 1; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  emit("reload");
  for (let i = 0; i < 200 && logs.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  emit("stop");
  await done;
  assertEquals(countHistory(s.deps.db), 1);
  assertEquals(logs, ["config not reloaded (keeping the old one): unreadable"]);
});

Deno.test("runDaemon() re-themes when the desktop's light/dark preference changes (mode = system)", async () => {
  await using s = await setup();
  // a stand-in gsettings on PATH that prints what the test writes
  const bin = `${s.deps.paths.home}/bin`;
  const state = `${s.deps.paths.home}/scheme`;
  await Deno.mkdir(bin, { recursive: true });
  await Deno.writeTextFile(`${bin}/gsettings`, `#!/bin/sh\ncat "${state}"\n`);
  await Deno.chmod(`${bin}/gsettings`, 0o755);
  await Deno.writeTextFile(state, "'prefer-dark'\n");
  s.deps.config.theme.mode = "system";
  const env = s.deps.env;
  s.deps.env = (k) => (k === "PATH" ? `${bin}:/usr/bin:/bin` : env(k));
  const logs: string[] = [];
  let emit!: (e: DaemonEvent) => void;
  const done = runDaemon(s.deps, {
    interval: 3600,
    log: (l) => logs.push(l),
    subscribe: (e) => {
      emit = e;
      return () => {};
    },
    reloadConfig: () => Promise.resolve(s.deps.config),
    colorSchemePollMs: 20,
  });
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
    assert(pred(), logs.join("\n"));
  };
  await until(() => countHistory(s.deps.db) === 1);
  await new Promise((r) => setTimeout(r, 100)); // several polls: no change, no re-theme
  assertEquals(logs.filter((l) => l.startsWith("theme: re-applied")).length, 0);
  await Deno.writeTextFile(state, "'prefer-light'\n");
  await until(() => logs.some((l) => l.startsWith("theme: re-applied")));
  assert(logs.includes("desktop switched to light mode"), logs.join("\n"));
  emit("stop");
  await done;
  assertEquals(logs.filter((l) => l === "desktop switched to light mode").length, 1);
});
