// The daemon loop in-process, driven by events instead of signals.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_helpers/assert.ts";
import { type Config, defaultConfig } from "../../src/config/schema.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { Database } from "../../src/db/database.ts";
import { DamagedDatabaseError } from "../../src/db/damage.ts";
import { insertImage } from "../../src/db/images.ts";
import { addSource } from "../../src/db/sources.ts";
import { countHistory, listHistory } from "../../src/db/history.ts";
import { type DaemonEvent, runDaemon } from "../../src/pipeline/daemon.ts";
import { CLOCK_CHECK_MS } from "../../src/periodic.ts";
import { BusyError } from "../../src/pipeline/lock.ts";
import {
  daemonLockFile,
  daemonStateFile,
  runningDaemonPid,
} from "../../src/pipeline/daemon_files.ts";
import { takeDaemonLock } from "../../src/pipeline/daemon_lock.ts";
import { runNext } from "../../src/pipeline/next.ts";
import type { PipelineDeps } from "../../src/pipeline/pipeline_deps.ts";
import type { PipelineServices } from "../../src/pipeline/services.ts";
import { tempHome } from "../_helpers/env.ts";
import { FakeClock } from "../_helpers/fake_clock.ts";
import type { ControlCommand } from "../../src/pipeline/control_protocol.ts";
import type { ControlHandler } from "../../src/pipeline/control_server.ts";

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
          return Promise.resolve({ written: [], failed: [], hooks: [], ms: 0 });
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

/**
 * Starts a daemon on a fake clock, woken by events; `send` returns once it has done all it
 * can and sleeps again.
 */
function eventDaemon(
  s: Awaited<ReturnType<typeof setup>>,
  reloadConfig: () => Promise<Config>,
) {
  const clock = new FakeClock();
  s.deps.now = clock.now;
  const logs: string[] = [];
  let emit!: (e: DaemonEvent) => void;
  const done = runDaemon(s.deps, {
    interval: 3600,
    log: (l) => logs.push(l),
    sleep: clock.sleep,
    subscribe: (e) => {
      emit = e;
      return () => {};
    },
    reloadConfig,
  });
  const send = async (e: DaemonEvent) => {
    emit(e);
    await clock.idle();
  };
  return { clock, logs, done, send, emit: (e: DaemonEvent) => emit(e) };
}

Deno.test("runDaemon() rotates at start and on 'next', re-themes, reloads, stops", async () => {
  await using s = await setup();
  let reloads = 0;
  const { clock, logs, done, send, emit } = eventDaemon(s, () => {
    reloads++;
    if (reloads === 2) return Promise.reject(new Error("bad toml"));
    const c = defaultConfig();
    c.wallpaper.setter = "none";
    return Promise.resolve(c);
  });
  await clock.idle();
  assertEquals(countHistory(s.deps.db), 1, logs.join("\n"));
  await send("next");
  assertEquals(countHistory(s.deps.db), 2, logs.join("\n"));
  await send("theme");
  assert(logs.some((l) => l.startsWith("theme: re-applied")), logs.join("\n"));
  await send("reload");
  assert(logs.some((l) => l.startsWith("config reloaded")), logs.join("\n"));
  await send("reload");
  assert(logs.some((l) => l.includes("keeping the old one): bad toml")), logs.join("\n"));
  emit("stop");
  await done;
  assertEquals(countHistory(s.deps.db), 2);
  assertEquals(s.themed.filter((t) => t.startsWith("soon ")).length, 2);
  assertEquals(s.themed.filter((t) => !t.startsWith("soon ")), [s.files[1]]);
  assertStringIncludes(logs.at(-1)!, "daemon stopping");
});

Deno.test("runDaemon() keeps its config and theme when a reloaded config's templates are broken", async () => {
  await using s = await setup();
  s.deps.config.theme.alpha = 77;
  const made: { alpha: number; closed: boolean }[] = [];
  const applied: number[] = [];
  s.deps.services.theme = (config) => {
    if (config.theme.alpha === 50) {
      return Promise.reject(new Error("cannot theme: template 'bar': unknown variable 'x'"));
    }
    const t = { alpha: config.theme.alpha, closed: false };
    made.push(t);
    return Promise.resolve({
      apply: () => {
        applied.push(t.alpha);
        return Promise.resolve({ written: [], failed: [], hooks: [], ms: 0 });
      },
      applySoon: () => void applied.push(t.alpha),
      flush: () => Promise.resolve(undefined),
      close: () => void (t.closed = true),
    });
  };
  let nextAlpha = 50;
  const { clock, logs, done, send, emit } = eventDaemon(s, () => {
    const c = defaultConfig();
    c.wallpaper.setter = "none";
    c.theme.alpha = nextAlpha;
    return Promise.resolve(c);
  });
  await clock.idle();
  await send("reload");
  assert(logs.some((l) => l.includes("keeping the old one): cannot theme")), logs.join("\n"));
  assertEquals(s.deps.config.theme.alpha, 77, "the old config stays");
  assertEquals(made.map((t) => [t.alpha, t.closed]), [[77, false]], "the old theme stays open");
  applied.length = 0;
  await send("theme");
  assertEquals(applied, [77], "the old theme still renders");
  // A good config then replaces both, and only then is the old theme closed.
  nextAlpha = 60;
  await send("reload");
  assertEquals(s.deps.config.theme.alpha, 60);
  assertEquals(made.map((t) => [t.alpha, t.closed]), [[77, true], [60, false]]);
  emit("stop");
  await done;
});

Deno.test("runDaemon() renders a change's pending debounced theme before a reload replaces the engine", async () => {
  await using s = await setup();
  // Engines that behave as ThemeEngine does: applySoon keeps one pending render, flush
  // renders it, close drops it.
  const rendered: string[] = [];
  s.deps.services.theme = () => {
    let pending: string | null = null;
    return Promise.resolve({
      apply: (_p, w) => {
        rendered.push(w);
        return Promise.resolve({ written: [], failed: [], hooks: [], ms: 0 });
      },
      applySoon: (_p, w) => void (pending = w),
      flush: () => {
        if (pending !== null) rendered.push(pending);
        pending = null;
        return Promise.resolve(undefined);
      },
      close: () => void (pending = null),
    });
  };
  const { clock, logs, done, send, emit } = eventDaemon(s, () => {
    const c = defaultConfig();
    c.wallpaper.setter = "none";
    return Promise.resolve(c);
  });
  await clock.idle();
  // The change at start-up, which nobody waits for: its theme is left to the debounce.
  assertEquals(countHistory(s.deps.db), 1);
  assertEquals(rendered, []);
  const shown = listHistory(s.deps.db, 1)[0].path;
  await send("reload");
  assert(logs.some((l) => l.startsWith("config reloaded")), logs.join("\n"));
  assertEquals(rendered.at(-1), shown, "the shown wallpaper's theme was rendered");
  emit("stop");
  await done;
});

Deno.test("runDaemon() logs what failed in a rotation's debounced theme (nobody else hears it)", async () => {
  await using s = await setup();
  s.deps.services.theme = (_config, _paths, options) =>
    Promise.resolve({
      apply: () => Promise.resolve({ written: [], failed: [], hooks: [], ms: 0 }),
      applySoon: () =>
        options?.onDebounced?.({
          written: [],
          failed: [{ name: "bar", reason: "cannot write /x/bar.css: permission denied" }],
          hooks: [{ name: "kitty", ok: false, missing: true, reason: "'kitty' is not installed" }],
          ms: 1,
        }),
      flush: () => Promise.resolve(undefined),
      close: () => {},
    });
  const { clock, logs, done, send, emit } = eventDaemon(s, () => Promise.resolve(s.deps.config));
  await clock.idle();
  await send("next");
  assert(
    logs.some((l) => l.includes("theme: bar: cannot write /x/bar.css: permission denied")),
    logs.join("\n"),
  );
  assert(logs.some((l) => l.includes("theme: hook of kitty not run")), logs.join("\n"));
  emit("stop");
  await done;
});

Deno.test("runDaemon() refuses to run twice", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  s.deps.now = clock.now;
  let emit!: (e: DaemonEvent) => void;
  const opts = {
    interval: 3600,
    log: () => {},
    sleep: clock.sleep,
    reloadConfig: () => Promise.resolve(s.deps.config),
  };
  const first = runDaemon(s.deps, {
    ...opts,
    subscribe: (e) => {
      emit = e;
      return () => {};
    },
  });
  await clock.idle(); // the first daemon holds its lock and sleeps
  await assertRejects(() => runDaemon(s.deps, { ...opts, subscribe: () => () => {} }), BusyError);
  emit("stop");
  await first;
});

Deno.test("runDaemon() with quiet logs nothing but errors", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  s.deps.now = clock.now;
  const logs: string[] = [];
  let emit!: (e: DaemonEvent) => void;
  const done = runDaemon(s.deps, {
    interval: 3600,
    quiet: true,
    log: (l) => logs.push(l),
    sleep: clock.sleep,
    subscribe: (e) => {
      emit = e;
      return () => {};
    },
    reloadConfig: () => Promise.reject(new Error("unreadable")),
  });
  await clock.idle();
  assertEquals(countHistory(s.deps.db), 1);
  emit("reload");
  await clock.idle();
  emit("stop");
  await done;
  assertEquals(countHistory(s.deps.db), 1);
  assertEquals(logs, ["config not reloaded (keeping the old one): unreadable"]);
});

/** Starts a daemon on a fake clock; `control` is what the control channel would call. */
function fakeTimeDaemon(
  s: Awaited<ReturnType<typeof setup>>,
  clock: FakeClock,
  interval = 60,
  more: Partial<Parameters<typeof runDaemon>[1]> = {},
) {
  const logs: string[] = [];
  let control!: ControlHandler;
  s.deps.now = clock.now;
  const done = runDaemon(s.deps, {
    ...more,
    interval,
    log: (l) => logs.push(l),
    subscribe: () => () => {},
    sleep: clock.sleep,
    channel: (h) => {
      control = h;
      return Promise.resolve({ close: () => Promise.resolve() });
    },
    reloadConfig: () => {
      const c = defaultConfig();
      c.wallpaper.setter = "none";
      return Promise.resolve(c);
    },
  });
  return {
    logs,
    done,
    control: (
      c: ControlCommand,
      ...rest: Parameters<ControlHandler> extends [unknown, ...infer R] ? R : never
    ) => control(c, ...rest),
  };
}

Deno.test("runDaemon() on a fake clock: pause stops timer rotations, resume restarts them, status reports both", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  const d = fakeTimeDaemon(s, clock, 60);
  const shows = () => countHistory(s.deps.db);
  await clock.idle();
  assertEquals(shows(), 1, "nothing was shown yet: a change at start-up");
  let st = (await d.control("status")).status!;
  assertEquals([st.paused, st.interval, st.next_change_at], [false, 60, clock.now() + 60_000]);
  clock.advance(30_000);
  await clock.idle();
  assertEquals(shows(), 1);
  clock.advance(30_000);
  await clock.idle();
  assertEquals(shows(), 2, "the timer changes the wallpaper after one interval");

  const paused = await d.control("pause");
  assertEquals([paused.ok, paused.status?.paused, paused.status?.next_change_at], [
    true,
    true,
    null,
  ]);
  assertEquals(paused.status?.paused_at, clock.now());
  // Ten intervals, and past the daemon's longest sleep (1 h): no change.
  for (let i = 0; i < 10; i++) {
    clock.advance(15 * 60_000);
    await clock.idle();
  }
  assertEquals(shows(), 2, d.logs.join("\n"));
  // A requested next works and does not resume; neither does a reload.
  assertEquals((await d.control("next")).ok, true);
  assertEquals(shows(), 3);
  assertEquals((await d.control("reload")).ok, true);
  st = (await d.control("status")).status!;
  assertEquals([st.paused, st.next_change_at], [true, null]);
  assertEquals((await d.control("pause")).message, "already paused");

  const resumed = await d.control("toggle");
  assertEquals(resumed.status?.paused, false);
  // Resuming starts a fresh interval.
  assertEquals(resumed.status?.next_change_at, clock.now() + 60_000);
  await clock.idle();
  clock.advance(59_999);
  await clock.idle();
  assertEquals(shows(), 3);
  clock.advance(1);
  await clock.idle();
  assertEquals(shows(), 4);
  assertEquals((await d.control("stop")).message, "daemon stopping");
  await d.done;
});

Deno.test("runDaemon() says so when a pause cannot be saved (a restart would forget it)", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  const d = fakeTimeDaemon(s, clock, 60);
  await clock.idle();
  // The state file's place taken by a folder: the write fails as on a full disk.
  const file = daemonStateFile(s.deps.paths.state);
  await Deno.remove(file).catch(() => {});
  await Deno.mkdir(`${file}/blocked`, { recursive: true });
  const paused = await d.control("pause");
  assert(paused.ok);
  assertStringIncludes(paused.message, "paused: no timer changes");
  assertStringIncludes(paused.message, "(not saved: a restart of the daemon resumes; ");
  await Deno.remove(file, { recursive: true });
  const resumed = await d.control("resume");
  assertEquals(resumed.message.includes("not saved"), false, resumed.message);
  await d.control("stop");
  await d.done;
});

Deno.test("runDaemon() remembers a pause across a restart and restores instead of rotating", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  {
    const d = fakeTimeDaemon(s, clock, 60);
    await clock.idle();
    await d.control("pause");
    await d.control("stop");
    await d.done;
  }
  const pausedAt = clock.now();
  assertEquals(countHistory(s.deps.db), 1);
  clock.advance(3 * 60_000); // the wallpaper is now older than the interval
  const d = fakeTimeDaemon(s, clock, 60);
  await clock.idle();
  assert(d.logs.some((l) => l.startsWith("restored: ")), d.logs.join("\n"));
  assertStringIncludes(d.logs.join("\n"), "paused (varietal daemon --send resume)");
  const st = (await d.control("status")).status!;
  assertEquals([st.paused, st.paused_at, st.next_change_at], [true, pausedAt, null]);
  clock.advance(10 * 60_000);
  await clock.idle();
  assertEquals(countHistory(s.deps.db), 1);
  await d.control("resume");
  await d.control("stop");
  await d.done;
  // Resumed is remembered too.
  const again = fakeTimeDaemon(s, clock, 60);
  await clock.idle();
  assertEquals((await again.control("status")).status?.paused, false);
  await again.control("stop");
  await again.done;
});

Deno.test("runDaemon() started when the last wallpaper's file is gone says so and shows another (paused: says how)", async () => {
  for (const paused of [false, true]) {
    await using s = await setup();
    const clock = new FakeClock();
    {
      const d = fakeTimeDaemon(s, clock, 3600);
      await clock.idle();
      if (paused) await d.control("pause");
      await d.control("stop");
      await d.done;
    }
    assertEquals(countHistory(s.deps.db), 1);
    const [last] = listHistory(s.deps.db, 1);
    await Deno.remove(last.path);
    clock.advance(60_000); // well within the interval: a restore, not a change
    const d = fakeTimeDaemon(s, clock, 3600);
    await clock.idle();
    const logs = d.logs.join("\n");
    assertStringIncludes(logs, `restore: the last wallpaper (${last.path}) is gone or banned`);
    if (paused) {
      assertEquals(countHistory(s.deps.db), 1, logs);
      assertStringIncludes(logs, "paused: no wallpaper set ('varietal daemon --send resume'");
    } else assertEquals(countHistory(s.deps.db), 2, logs);
    await d.control("stop");
    await d.done;
  }
});

Deno.test("runDaemon() tries a failed start-up wallpaper again soon (the setter's daemon starts later)", async () => {
  // At login `exec swww-daemon` and `exec varietal daemon` start together: the first set may fail.
  // Paused, the daemon only restores (however overdue), and a failed restore is tried again too.
  for (
    const [overdue, paused] of [[false, false], [true, false], [false, true], [true, true]]
  ) {
    await using s = await setup();
    const clock = new FakeClock();
    {
      const d = fakeTimeDaemon(s, clock, 3600);
      await clock.idle();
      if (paused) await d.control("pause");
      await d.control("stop");
      await d.done;
    }
    assertEquals(countHistory(s.deps.db), 1);
    // A setter that fails until its daemon is "up" (the flag file exists).
    const up = `${s.deps.paths.state}/setter-up`;
    s.deps.config.wallpaper.setter = "custom";
    s.deps.config.wallpaper.command = ["sh", "-c", 'test -e "$1"', "sh", up, "{path}"];
    clock.advance(overdue ? 2 * 3600_000 : 60_000); // a rotation is due, or a restore
    const d = fakeTimeDaemon(s, clock, 3600);
    await clock.idle();
    const rotates = overdue && !paused;
    const failed = rotates ? "next failed: " : "restore failed: ";
    assertEquals(d.logs.filter((l) => l.startsWith(failed)).length, 1, d.logs.join("\n"));
    assert(d.logs.includes("start-up: trying again in 2s"), d.logs.join("\n"));
    clock.advance(2_000);
    await clock.idle();
    assertEquals(d.logs.filter((l) => l.startsWith(failed)).length, 2, d.logs.join("\n"));
    assert(d.logs.includes("start-up: trying again in 5s"), d.logs.join("\n"));
    await Deno.writeTextFile(up, "");
    clock.advance(5_000);
    await clock.idle();
    const logs = d.logs.join("\n");
    assert(d.logs.some((l) => l.startsWith(rotates ? "next: " : "restored: ")), logs);
    assertEquals(countHistory(s.deps.db), rotates ? 2 : 1, logs);
    // Set: no more start-up tries.
    clock.advance(60_000);
    await clock.idle();
    assertEquals(d.logs.filter((l) => l.startsWith(failed)).length, 2, d.logs.join("\n"));
    await d.control("stop");
    await d.done;
  }
});

Deno.test("runDaemon() with an interval as short as the start-up pauses leaves the retries to its timer", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  const up = `${s.deps.paths.state}/setter-up`;
  s.deps.config.wallpaper.setter = "custom";
  s.deps.config.wallpaper.command = ["sh", "-c", 'test -e "$1"', "sh", up, "{path}"];
  await Deno.mkdir(s.deps.paths.state, { recursive: true });
  const d = fakeTimeDaemon(s, clock, 2); // a rotation every 2 s, failing
  await clock.idle();
  for (let i = 0; i < 4; i++) {
    clock.advance(2_000);
    await clock.idle();
  }
  const logs = d.logs.join("\n");
  assert(d.logs.filter((l) => l.startsWith("next failed: ")).length >= 3, logs);
  assert(!logs.includes("start-up: trying again"), logs);
  await Deno.writeTextFile(up, "");
  clock.advance(2_000);
  await clock.idle();
  assert(d.logs.some((l) => l.startsWith("next: ")), d.logs.join("\n"));
  await d.control("stop");
  await d.done;
});

Deno.test("runDaemon() stops when its graphical session ends (the next login's daemon can start)", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  let end!: (socket: string) => void;
  let stopped = false;
  const d = fakeTimeDaemon(s, clock, 3600, {
    sessionWatch: (onEnd) => {
      end = onEnd;
      return { stop: () => void (stopped = true) };
    },
  });
  await clock.idle();
  end("/run/user/1000/wayland-1");
  await d.done;
  assert(
    d.logs.includes("the graphical session ended (/run/user/1000/wayland-1 is gone); stopping"),
    d.logs.join("\n"),
  );
  assert(stopped, "the watch is stopped with the daemon");
  // The lock is free: a new daemon starts.
  const again = fakeTimeDaemon(s, clock, 3600, { sessionWatch: null });
  await clock.idle();
  await again.control("stop");
  await again.done;
});

Deno.test("runDaemon() gives up its start-up tries after the last one, until the interval", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  s.deps.config.wallpaper.setter = "custom";
  s.deps.config.wallpaper.command = ["false", "{path}"];
  const d = fakeTimeDaemon(s, clock, 3600);
  await clock.idle();
  for (let i = 0; i < 6; i++) {
    clock.advance(30_000);
    await clock.idle();
  }
  const failures = d.logs.filter((l) => l.startsWith("next failed: ")).length;
  assertEquals(failures, 6, d.logs.join("\n")); // the first and five tries
  assert(d.logs.includes("start-up: no more tries; the next change is at the interval"));
  await d.control("stop");
  await d.done;
});

Deno.test("runDaemon() stops, saying why, when its database is replaced under it (a backup restored)", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  const d = fakeTimeDaemon(s, clock, 3600);
  const ended = d.done.then(() => null, (e: Error) => e);
  await clock.idle();
  assertEquals(countHistory(s.deps.db), 1);
  assertEquals(s.deps.db.replaced(), false);
  // The user restores a backup: the old file goes, a copy takes its place.
  const file = s.deps.paths.database;
  await Deno.copyFile(file, `${file}.backup`);
  await Deno.rename(file, `${file}.old`);
  await Deno.rename(`${file}.backup`, file);
  assertEquals(s.deps.db.replaced(), true);
  const answer = d.control("next");
  const err = await ended;
  assertStringIncludes(err?.message ?? "", "was moved or replaced while the daemon ran");
  const reply = await answer;
  assertEquals(reply.ok, false);
  assertEquals(countHistory(s.deps.db), 1, "nothing more written to the old file");
});

Deno.test("runDaemon() stops on a damaged database, saying so to the sender, instead of rotating on", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  const select = s.deps.services!.select;
  let damaged = false;
  s.deps.services = {
    ...s.deps.services!,
    select: (...args) => {
      // What node:sqlite throws on a page that is not what SQLite wrote (SQLITE_CORRUPT).
      if (damaged) {
        throw Object.assign(new Error("database disk image is malformed"), { errcode: 11 });
      }
      return select(...args);
    },
  };
  const d = fakeTimeDaemon(s, clock, 3600);
  const ended = d.done.then(() => null, (e: Error) => e);
  await clock.idle();
  assertEquals(countHistory(s.deps.db), 1);
  damaged = true;
  const reply = await d.control("next");
  assertEquals(reply.ok, false);
  assertStringIncludes(reply.message, "the database is damaged (database disk image is malformed)");
  const err = await ended;
  assert(err instanceof DamagedDatabaseError, String(err));
  assertEquals(err.path, s.deps.paths.database);
});

Deno.test("runDaemon() on a fake clock: a manual next restarts the interval", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  const d = fakeTimeDaemon(s, clock, 60);
  const shows = () => countHistory(s.deps.db);
  await clock.idle();
  assertEquals(shows(), 1); // the change at start-up
  clock.advance(40_000);
  await clock.idle();
  // `varietal next` by hand, 40 s into the interval (it records the change time)
  await runNext(s.deps, { setter: "none", theme: false });
  assertEquals(shows(), 2);
  clock.advance(20_000); // one interval after the daemon's own change
  await clock.idle();
  assertEquals(shows(), 2, "the manual change restarted the interval");
  assertEquals((await d.control("status")).status?.next_change_at, clock.now() + 40_000);
  clock.advance(39_999);
  await clock.idle();
  assertEquals(shows(), 2);
  clock.advance(1); // one interval after the manual change
  await clock.idle();
  assertEquals(shows(), 3, d.logs.join("\n"));
  await d.control("stop");
  await d.done;
});

Deno.test("runDaemon() on a fake clock: a show dated while the clock was fast does not hold up the timer", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  const AHEAD = 10 * 3_600_000;
  // A show recorded ten hours ahead (a hardware clock in local time, fixed later by NTP).
  s.deps.now = () => clock.now() + AHEAD;
  await runNext(s.deps, { setter: "none", theme: false });
  const early = listHistory(s.deps.db, 1)[0];
  assertEquals(early.shown_at, clock.now() + AHEAD);
  const d = fakeTimeDaemon(s, clock, 60);
  await clock.idle();
  assertEquals(countHistory(s.deps.db), 1, "restored at start, not changed");
  assertEquals((await d.control("status")).status?.next_change_at, clock.now() + 60_000);
  clock.advance(60_000);
  await clock.idle();
  assertEquals(countHistory(s.deps.db), 2, d.logs.join("\n"));
  // The new show is dated now, and the one from the fast clock just before it.
  const [latest, before] = listHistory(s.deps.db, 2);
  assertEquals(latest.shown_at, clock.now());
  assertEquals(before.id, early.id);
  assert(before.shown_at < latest.shown_at, String(before.shown_at));
  const last = s.deps.db.prepare("SELECT MAX(last_shown_at) AS t FROM images").get() as {
    t: number;
  };
  assertEquals(last.t, clock.now(), "no image is left last shown in the future");
  assertEquals((await d.control("status")).status?.next_change_at, clock.now() + 60_000);
  await d.control("stop");
  await d.done;
});

Deno.test("runDaemon() on a fake clock: the clock set back an hour does not hold up the timer", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  const d = fakeTimeDaemon(s, clock, 60);
  await clock.idle();
  assertEquals(countHistory(s.deps.db), 1); // the change at start-up
  clock.advance(10_000);
  await clock.idle();
  clock.step(-3_600_000); // NTP, or by hand: its last change is now an hour ahead
  await clock.idle();
  const due = (await d.control("status")).status?.next_change_at;
  assertEquals(due, clock.now() + 60_000, "one interval from when the daemon saw it");
  clock.advance(60_000);
  await clock.idle();
  assertEquals(countHistory(s.deps.db), 2, d.logs.join("\n"));
  await d.control("stop");
  await d.done;
});

Deno.test("runDaemon() takes its lock again when its runtime folder is removed, and stops when another daemon took it", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  const d = fakeTimeDaemon(s, clock, 600);
  await clock.idle();
  const runtime = s.deps.paths.runtime;
  await Deno.remove(runtime, { recursive: true });
  assertEquals(await runningDaemonPid(runtime), null);
  clock.advance(60_000); // within a minute
  await clock.idle();
  assert(d.logs.some((l) => l.includes("daemon lock made again")), d.logs.join("\n"));
  assertEquals(await runningDaemonPid(runtime), Deno.pid, "status finds it again");
  // Removed again, and a second daemon starts before this one looks: one of them must go.
  await Deno.remove(daemonLockFile(runtime));
  using _other = await takeDaemonLock(runtime);
  clock.advance(60_000);
  await assertRejects(
    () => d.done,
    Error,
    `another varietal daemon (pid ${Deno.pid}) started in it, which goes on; this one stops`,
  );
});

Deno.test("runDaemon() changes an overdue wallpaper within a minute of waking from a suspend", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  const d = fakeTimeDaemon(s, clock, 3600);
  const shows = () => countHistory(s.deps.db);
  await clock.idle();
  assertEquals(shows(), 1); // the change at start-up
  clock.advance(10 * 60_000);
  await clock.idle();
  clock.suspend(8 * 3_600_000); // the lid closed for the night
  await clock.idle();
  assertEquals(shows(), 1);
  clock.advance(CLOCK_CHECK_MS); // awake for a minute
  await clock.idle();
  assertEquals(shows(), 2, d.logs.join("\n"));
  // Awake, the interval is kept as before: nothing more for the next 59 minutes.
  clock.advance(59 * 60_000);
  await clock.idle();
  assertEquals(shows(), 2);
  clock.advance(60_000);
  await clock.idle();
  assertEquals(shows(), 3);
  // A short suspend within the interval changes nothing early.
  clock.advance(10 * 60_000);
  await clock.idle();
  clock.suspend(10 * 60_000);
  clock.advance(CLOCK_CHECK_MS);
  await clock.idle();
  assertEquals(shows(), 3);
  await d.control("stop");
  await d.done;
});

/** Local "HH:MM" of a time (the time rules are in local time). */
const hhmm = (t: number) => {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
};

Deno.test("runDaemon() changes a wallpaper that no longer fits when a time rule switches lightness", async () => {
  await using s = await setup();
  // a.png is light, b.png dark, c.png light (the fake select shows them in turn).
  const lightness: Record<string, number> = { a: 0.8, b: 0.2, c: 0.8 };
  s.deps.services.palette = (path) =>
    Promise.resolve({
      palette: { ...PALETTE, avg_lightness: lightness[path.slice(-5, -4)] },
      warnings: [],
    });
  const clock = new FakeClock(new Date(2030, 0, 1, 9, 0).getTime());
  const start = clock.now();
  s.deps.config.selection.time_rules = [
    { from: hhmm(start + 30 * 60_000), to: hhmm(start + 90 * 60_000), lightness: "dark" },
    { from: hhmm(start + 90 * 60_000), to: hhmm(start + 30 * 60_000), lightness: "light" },
  ];
  const d = fakeTimeDaemon(s, clock, 24 * 3600); // the interval never comes
  const shown = () => listHistory(s.deps.db).map((r) => r.path.slice(-5)).reverse();
  await clock.idle();
  assertEquals(shown(), ["a.png"]); // light, as the rule in force asks
  clock.advance(30 * 60_000 - 1);
  await clock.idle();
  assertEquals(shown(), ["a.png"]);
  clock.advance(1); // the dark rule begins: a light wallpaper is changed at once
  await clock.idle();
  assertEquals(shown(), ["a.png", "b.png"], d.logs.join("\n"));
  assertStringIncludes(d.logs.join("\n"), "time rule: dark wallpapers from now");
  // A change by hand before the light rule begins brings a light one: nothing to do then.
  clock.advance(50 * 60_000);
  await clock.idle();
  await runNext(s.deps, { setter: "none", theme: false });
  assertEquals(shown(), ["a.png", "b.png", "c.png"]);
  clock.advance(10 * 60_000); // the light rule begins; c.png fits it
  await clock.idle();
  clock.advance(60_000);
  await clock.idle();
  assertEquals(shown(), ["a.png", "b.png", "c.png"], d.logs.join("\n"));
  // Paused, a switch changes nothing.
  await d.control("pause");
  clock.advance(24 * 3600_000 - 60 * 60_000); // the next dark rule, with c.png (light) on screen
  await clock.idle();
  clock.advance(60_000);
  await clock.idle();
  assertEquals(shown().length, 3, d.logs.join("\n"));
  await d.control("stop");
  await d.done;
});

Deno.test("runDaemon() answers requests still queued at stop with a failure", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  const d = fakeTimeDaemon(s, clock, 3600);
  await clock.idle();
  const [stop, next] = await Promise.all([d.control("stop"), d.control("next")]);
  assertEquals(stop, { ok: true, message: "daemon stopping" });
  assertEquals(next, { ok: false, message: "the daemon stopped before doing this" });
  await d.done;
  assertEquals(countHistory(s.deps.db), 1);
});

/**
 * A daemon on real timers whose desktop preference (`theme.mode = "system"`) comes from a
 * stand-in gsettings on PATH that prints what `setScheme` wrote and counts its polls.
 */
async function schemeDaemon(s: Awaited<ReturnType<typeof setup>>) {
  const bin = `${s.deps.paths.home}/bin`;
  const state = `${s.deps.paths.home}/scheme`;
  const polls = `${s.deps.paths.home}/polls`;
  await Deno.mkdir(bin, { recursive: true });
  await Deno.writeTextFile(polls, "");
  await Deno.writeTextFile(`${bin}/gsettings`, `#!/bin/sh\necho >> "${polls}"\ncat "${state}"\n`);
  await Deno.chmod(`${bin}/gsettings`, 0o755);
  const setScheme = (mode: "dark" | "light") => Deno.writeTextFile(state, `'prefer-${mode}'\n`);
  await setScheme("dark");
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
  return {
    logs,
    setScheme,
    pollCount: async () => (await Deno.readTextFile(polls)).split("\n").length - 1,
    until: async (pred: () => boolean) => {
      for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
      assert(pred(), logs.join("\n"));
    },
    stop: async () => {
      emit("stop");
      await done;
    },
  };
}

Deno.test("runDaemon() re-themes when the desktop's light/dark preference changes (mode = system)", async () => {
  await using s = await setup();
  const { logs, setScheme, pollCount, until, stop } = await schemeDaemon(s);
  await until(() => countHistory(s.deps.db) === 1);
  // Three more polls of an unchanged preference: no re-theme.
  const seen = await pollCount();
  for (let i = 0; i < 500 && (await pollCount()) < seen + 3; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assertEquals(logs.filter((l) => l.startsWith("theme: re-applied")).length, 0);
  await setScheme("light");
  await until(() => logs.some((l) => l.startsWith("theme: re-applied")));
  assert(logs.includes("desktop switched to light mode"), logs.join("\n"));
  await stop();
  assertEquals(logs.filter((l) => l === "desktop switched to light mode").length, 1);
  assertEquals(countHistory(s.deps.db), 1, "without follow_system the wallpaper stays");
});

Deno.test("runDaemon() with follow_system changes a wallpaper of the other lightness when the desktop switches mode", async () => {
  await using s = await setup();
  const lightness: Record<string, number> = { a: 0.2, b: 0.8, c: 0.8 };
  s.deps.services.palette = (path) =>
    Promise.resolve({
      palette: { ...PALETTE, avg_lightness: lightness[path.slice(-5, -4)] },
      warnings: [],
    });
  s.deps.config.selection.follow_system = true;
  const { logs, setScheme, until, stop } = await schemeDaemon(s);
  await until(() => countHistory(s.deps.db) === 1); // a.png, dark
  await setScheme("light");
  await until(() => countHistory(s.deps.db) === 2); // b.png, light
  assert(logs.includes("a light wallpaper for the light desktop"), logs.join("\n"));
  // Dark again: the light b.png is changed (for c.png, light too: this test's select
  // ignores the mode). Light again: c.png fits, so the theme is only re-applied.
  await setScheme("dark");
  await until(() => countHistory(s.deps.db) === 3);
  await setScheme("light");
  await until(() => logs.filter((l) => l === "desktop switched to light mode").length === 2);
  await until(() => logs.some((l) => l.startsWith("theme: re-applied")));
  assertEquals(countHistory(s.deps.db), 3, logs.join("\n"));
  await stop();
});

Deno.test("runDaemon() skips a queued 'varietal next' whose sender gave up waiting", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  let handedOff = 0;
  const d = fakeTimeDaemon(s, clock, 3600, {
    handOff: () => {
      handedOff++;
      return Promise.resolve({ ok: true, message: "next: done" });
    },
  });
  await clock.idle();
  const next = { config: "", config_stamp: "", database: "", session: {} };
  const gone = await d.control("run-next", next, undefined, () => Promise.resolve(false));
  assertEquals([gone.ok, gone.declined, handedOff], [false, true, 0]);
  assertStringIncludes(d.logs.join("\n"), "'varietal next' skipped: its sender gave up waiting");
  const waiting = await d.control("run-next", next, undefined, () => Promise.resolve(true));
  assertEquals([waiting.ok, handedOff], [true, 1]);
  await d.control("stop");
  await d.done;
});

Deno.test("runDaemon() --group keeps its config when a reload drops that group", async () => {
  await using s = await setup();
  const clock = new FakeClock();
  s.deps.now = clock.now;
  s.deps.config.groups = { g1: ["/somewhere"] };
  const logs: string[] = [];
  let emit!: (e: DaemonEvent) => void;
  const withoutGroup = { ...s.deps.config, groups: { g2: ["/somewhere"] } };
  const done = runDaemon(s.deps, {
    interval: 3600,
    group: "g1",
    log: (l) => logs.push(l),
    sleep: clock.sleep,
    subscribe: (e) => {
      emit = e;
      return () => {};
    },
    reloadConfig: () => Promise.resolve(withoutGroup),
  });
  await clock.idle();
  emit("reload");
  await clock.idle();
  emit("stop");
  await done;
  assert(
    logs.some((l) =>
      l.startsWith("config not reloaded (keeping the old one): it has no group 'g1' in [groups]")
    ),
    logs.join("\n"),
  );
  assertEquals(Object.keys(s.deps.config.groups), ["g1"]);
});
