// The order of a `next`: lock → select → set → palette → record → theme, each
// stage seeing what the ones before it did, and the timings that report it.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { addSource } from "../../src/db/sources.ts";
import { insertImage } from "../../src/db/images.ts";
import { countHistory } from "../../src/db/history.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { runNext } from "../../src/pipeline/next.ts";
import type { PipelineDeps } from "../../src/pipeline/pipeline_deps.ts";
import { pipelineLockFile } from "../../src/pipeline/lock.ts";
import type { PipelineServices, ThemeApplier } from "../../src/pipeline/services.ts";
import { STAGES } from "../../src/pipeline/stage_timer.ts";
import { CommandError } from "../../src/process/run_command.ts";
import { palette } from "../select/_fixture.ts";

/** Whether another holder could take the pipeline lock right now. */
function lockIsFree(file: string): boolean {
  const f = Deno.openSync(file, { read: true, write: true });
  try {
    const free = f.tryLockSync(true);
    if (free) f.unlockSync();
    return free;
  } finally {
    f.close();
  }
}

for (const startup of [false, true]) {
  Deno.test(`next runs lock → select → set → palette → record → theme${startup ? " (timings with startup)" : ""}`, async () => {
    const root = await Deno.makeTempDir({ prefix: "varietal-order-" });
    try {
      const paths = resolvePaths((k) =>
        k === "HOME" ? root : k === "XDG_RUNTIME_DIR" ? `${root}/run` : undefined
      );
      await Deno.mkdir(`${root}/run`, { mode: 0o700 });
      using db = await Database.open(":memory:");
      const source = addSource(db, "/w").source.id;
      const id = insertImage(db, {
        path: "/w/a.jpg",
        source_id: source,
        size: 1,
        mtime: 1,
        width: 1,
        height: 1,
        format: "jpeg",
      }, 1);
      const config = defaultConfig();
      config.wallpaper.setter = "custom";
      config.wallpaper.command = ["set-wallpaper", "{path}"];
      const lock = pipelineLockFile(paths);
      const log: string[] = [];
      const held = () => (lockIsFree(lock) ? "unlocked" : "locked");
      const shows = () => countHistory(db);
      const theme: ThemeApplier = {
        apply(p, wallpaper) {
          log.push(`theme ${wallpaper} ${p.background} ${held()} shows=${shows()}`);
          return Promise.resolve({ written: [], failed: [], hooks: [], ms: 0 });
        },
        applySoon() {},
        flush: () => Promise.resolve(),
        close() {},
      };
      const services: PipelineServices = {
        select(_db, _config, request) {
          log.push(`select ${held()} shows=${shows()}`);
          const image = { id, path: "/w/a.jpg" } as never;
          return {
            picks: [{ image, weight: 1, factors: {} }],
            requested: request.count,
            warnings: [],
            seed: 1,
          };
        },
        palette(path) {
          log.push(`palette ${path} ${held()} shows=${shows()}`);
          return Promise.resolve({ palette: palette({ background: "#123456" }), warnings: [] });
        },
        theme: () => Promise.resolve(theme),
      };
      const deps: PipelineDeps = {
        db,
        config,
        paths,
        env: () => undefined,
        services,
        run(argv) {
          log.push(`set ${argv.join(" ")} ${held()} shows=${shows()}`);
          return Promise.resolve({
            code: 0,
            stdout: "",
            stderr: "",
            timedOut: false,
            signal: null,
          });
        },
      };
      const r = await runNext(deps, { startup });
      assertEquals(log, [
        "select locked shows=0",
        "set set-wallpaper /w/a.jpg locked shows=0",
        "palette /w/a.jpg locked shows=0",
        "theme /w/a.jpg #123456 locked shows=1",
      ]);
      assert(lockIsFree(lock), "the lock is released at the end");
      // The timings name the stages in pipeline order, after the start-up when asked for.
      const keys = Object.keys(r.timings);
      // `notify` runs only with [notify] enabled (off here).
      assertEquals(
        keys.filter((k) => (STAGES as readonly string[]).includes(k)),
        STAGES.filter((s) => s !== "notify"),
      );
      assertEquals(keys.slice(0, startup ? 2 : 1), startup ? ["startup", "total"] : ["total"]);
      if (startup) {
        assert(r.timings.startup! > 0, "start-up is the time before the pipeline began");
        assert(r.timings.startup! <= performance.now());
      } else assertEquals(r.timings.startup, undefined);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}

/** A temporary home and a database holding one tiny JPEG in a folder there. */
async function withOneImage(
  fn: (
    s: { paths: ReturnType<typeof resolvePaths>; db: Database; path: string; id: number },
  ) => Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "varietal-order-" });
  try {
    const paths = resolvePaths((k) =>
      k === "HOME" ? root : k === "XDG_RUNTIME_DIR" ? `${root}/run` : undefined
    );
    await Deno.mkdir(`${root}/run`, { mode: 0o700 });
    using db = await Database.open(":memory:");
    const source = addSource(db, root).source.id;
    const path = `${root}/a.jpg`;
    await Deno.writeFile(path, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    const id = insertImage(db, {
      path,
      source_id: source,
      size: 4,
      mtime: 1,
      width: 1,
      height: 1,
      format: "jpg",
    }, 1);
    await fn({ paths, db, path, id });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("next --image of an image without a palette starts its decoding thread before the lock and decodes after the setter; a failing setter decodes nothing", async () => {
  await withOneImage(async ({ paths, db, path }) => {
    const config = defaultConfig();
    config.wallpaper.setter = "custom";
    config.wallpaper.command = ["set-wallpaper", "{path}"];
    const log: string[] = [];
    let fail = false;
    const deps: PipelineDeps = {
      db,
      config,
      paths,
      env: () => undefined,
      services: {
        select: () => {
          throw new Error("not used");
        },
        palette(p, o) {
          log.push(`palette ${p} decoder=${o.decoder !== undefined}`);
          return Promise.resolve({ palette: palette({ background: "#123456" }), warnings: [] });
        },
        preparePalette(c) {
          log.push(`prepare palette origin=${c.palette.origin}`);
        },
        theme: () => {
          log.push("theme engine");
          return Promise.resolve({
            apply: () => Promise.resolve({ written: [], failed: [], hooks: [], ms: 0 }),
            applySoon() {},
            flush: () => Promise.resolve(),
            close() {},
          });
        },
      },
      run(argv) {
        log.push(`set ${argv[0]}`);
        if (fail) return Promise.reject(new CommandError(argv, 3, "no display", "exited with 3"));
        return Promise.resolve({ code: 0, stdout: "", stderr: "", timedOut: false, signal: null });
      },
    };
    await runNext(deps, { image: path });
    // the palette stage's code starts loading before the setter runs
    assertEquals(log, [
      "theme engine",
      "prepare palette origin=auto",
      "set set-wallpaper",
      `palette ${path} decoder=true`,
    ]);
    // A failing setter: nothing is decoded.
    log.length = 0;
    fail = true;
    db.prepare("DELETE FROM palettes").run();
    const e = await runNext(deps, { image: path }).catch((e) => e);
    assertEquals((e as Error).name, "SetterError");
    assertEquals(log, ["theme engine", "prepare palette origin=auto", "set set-wallpaper"]);
    // Without palettes (--no-palette): nothing to prepare, nothing decoded.
    log.length = 0;
    fail = false;
    await runNext(deps, { image: path, palette: false });
    assertEquals(log, ["theme engine", "set set-wallpaper"]);
  });
});

Deno.test("Ctrl-C while the palette is made: the show is recorded without one, no theme, and the interruption goes on", async () => {
  await withOneImage(async ({ paths, db, path, id }) => {
    const config = defaultConfig();
    config.wallpaper.setter = "custom";
    config.wallpaper.command = ["set-wallpaper", "{path}"];
    const interrupt = new AbortController();
    const themed: string[] = [];
    const deps: PipelineDeps = {
      db,
      config,
      paths,
      env: () => undefined,
      signal: interrupt.signal,
      services: {
        select: () => {
          throw new Error("not used");
        },
        palette(_p, o) {
          // The user presses Ctrl-C while the picture decodes.
          interrupt.abort(new DOMException("Interrupted by SIGINT", "AbortError"));
          o.signal?.throwIfAborted();
          return Promise.resolve({ palette: palette(), warnings: [] });
        },
        theme: () =>
          Promise.resolve({
            apply: (_p, w) => {
              themed.push(String(w));
              return Promise.resolve({ written: [], failed: [], hooks: [], ms: 0 });
            },
            applySoon() {},
            flush: () => Promise.resolve(),
            close() {},
          }),
      },
      run: () =>
        Promise.resolve({ code: 0, stdout: "", stderr: "", timedOut: false, signal: null }),
    };
    const e = await runNext(deps, { image: path }).catch((e) => e);
    assert(e instanceof DOMException && e.name === "AbortError", String(e));
    assert(e.message.endsWith("Interrupted by SIGINT"), e.message);
    assert(e.message.includes("'varietal theme apply'"), e.message);
    assertEquals(countHistory(db), 1, "the wallpaper on screen is recorded");
    assertEquals(themed, [], "no theme");
    const row = db.prepare("SELECT decode_failed_at FROM images WHERE id = ?").get(id) as {
      decode_failed_at: number | null;
    };
    assertEquals(row.decode_failed_at, null, "an interruption is no image that cannot be decoded");
  });
});
