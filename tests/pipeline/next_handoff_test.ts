// `varietal next` handed to a running daemon (run-next): the same change, output and exit
// codes as when it runs by itself, each press a change of its own, the theme written before
// it returns, and declined (run here) when the daemon's set-up differs.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { fixture, historyRows } from "./_fixture.ts";
import { lineReader, probeWallpaper, startDaemon, stop, until } from "./_daemon_process.ts";
import { acquireLock } from "../../src/pipeline/lock.ts";
import { ROOT, RUN_FLAGS, runCli, spawnCli } from "../_helpers/env.ts";

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

Deno.test("a plain next goes to the running daemon: same output, recorded, themed before it returns", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]);
  await d.log.waitFor(/next: /); // its first rotation at start
  const r = await f.cli(["next", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const out = json(r.stdout);
  assertEquals(out.daemon_pid, d.child.pid, "the daemon did the work");
  assert(f.images.includes(out.path as string));
  // The theme is written when next returns (not debounced as the daemon's own rotations).
  assertEquals(await probeWallpaper(f.probe), out.path);
  assertEquals((out.theme as { written: unknown[] }).written.length, 1);
  const timings = out.timings as Record<string, number>;
  for (const stage of ["startup", "lock", "select", "set", "palette", "record", "theme"]) {
    assertEquals(typeof timings[stage], "number", stage);
  }
  assertEquals(Object.keys(timings)[0], "startup");
  // Text output is what next prints by itself: the path, nothing on stderr.
  const text = await f.cli(["next"]);
  assertEquals(text.code, 0, text.stderr);
  assertEquals(text.stderr, "");
  {
    using db = await f.openDb();
    const rows = historyRows(db);
    assertEquals(rows.length, 3, "start-up rotation + two nexts");
    assertEquals(rows[1].path, out.path);
    assertEquals(text.stdout, `${rows[2].path}\n`);
  }
  await d.log.waitFor(/for 'varietal next'/, 2); // the log is read as it comes
  assertEquals(d.log.count(/for 'varietal next'/), 2, d.log.lines.join("\n"));
  // Logged as the daemon's own rotations are: the image and the time taken.
  assertEquals(d.log.count(/next: \/\S+ \(\d+ ms\), for 'varietal next'/), 2);
  // --no-daemon runs here.
  const here = await f.cli(["next", "--no-daemon", "--json"]);
  assertEquals(here.code, 0, here.stderr);
  assertEquals(json(here.stdout).daemon_pid, undefined);
  assertEquals(d.log.count(/for 'varietal next'/), 2);
  assertEquals((await stop(d.child, d.log)).code, 0, d.log.lines.join("\n"));
});

Deno.test("presses that reach the daemon together are each a change of their own", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]);
  await d.log.waitFor(/next: /);
  const results = await Promise.all([1, 2, 3].map(() => f.cli(["next", "--json"])));
  for (const r of results) {
    assertEquals(r.code, 0, r.stderr);
    assertEquals(json(r.stdout).daemon_pid, d.child.pid);
  }
  using db = await f.openDb();
  const rows = historyRows(db);
  assertEquals(rows.length, 4, "no press merged into another");
  assertEquals(
    results.map((r) => json(r.stdout).path).sort(),
    rows.slice(1).map((row) => row.path).sort(),
  );
  assertEquals((await stop(d.child, d.log)).code, 0);
});

Deno.test("a daemon with another config declines, and next runs here; options that change the pick or the theme never go to it", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]);
  await d.log.waitFor(/next: /);
  // The config file changed after the daemon read it: next must read it itself.
  const config = await Deno.readTextFile(f.home.configFile);
  await Deno.writeTextFile(f.home.configFile, `${config}\n# edited\n`);
  const edited = await f.cli(["next", "--json"]);
  assertEquals(edited.code, 0, edited.stderr);
  assertEquals(json(edited.stdout).daemon_pid, undefined, "declined: the config changed");
  // After a reload it takes them again.
  assertEquals((await f.cli(["daemon", "--send", "reload"])).code, 0);
  const reloaded = await f.cli(["next", "--json"]);
  assertEquals(json(reloaded.stdout).daemon_pid, d.child.pid);
  // Another desktop session (a key binding elsewhere) runs here too.
  const other = await f.cli(["next", "--json"], { WAYLAND_DISPLAY: "wayland-9" });
  assertEquals(other.code, 0, other.stderr);
  assertEquals(json(other.stdout).daemon_pid, undefined);
  // (--any-time, not --dark: whether a dark image is there depends on the shows so far.)
  for (const args of [["--any-time"], ["--no-theme"], ["--dry-run"], ["--mode", "fit"]]) {
    const r = await f.cli(["next", "--json", ...args]);
    assertEquals(r.code, 0, `${args}: ${r.stderr}`);
    assertEquals(json(r.stdout).daemon_pid, undefined, args.join(" "));
  }
  await d.log.waitFor(/for 'varietal next'/, 1); // the log is read as it comes
  assertEquals(d.log.count(/for 'varietal next'/), 1, d.log.lines.join("\n"));
  assertEquals((await stop(d.child, d.log)).code, 0);
});

Deno.test("after a reload that failed, next runs by itself (and fails as the file says) until one works", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]);
  await d.log.waitFor(/next: /);
  const good = await Deno.readTextFile(f.home.configFile);
  // A config that parses but names a template that is not there: the daemon keeps its old one.
  await Deno.writeTextFile(
    f.home.configFile,
    `${good}\n[[templates]]\nname = "m"\ntemplate = "nosuch.conf"\ntarget = "~/m.conf"\n`,
  );
  const reload = await f.cli(["daemon", "--send", "reload"]);
  assertEquals(reload.code, 1, reload.stdout + reload.stderr);
  const next = await f.cli(["next", "--json"]);
  const here = await f.cli(["next", "--json", "--no-daemon"]);
  assertEquals([next.code, here.code], [1, 1], next.stdout + next.stderr);
  assertEquals(next.stderr, here.stderr);
  assertStringIncludes(next.stderr, "nosuch.conf");
  const select = await f.cli(["select", "--json"]);
  assertEquals(select.code, 0, select.stderr);
  // Mended and reloaded, the daemon takes next again.
  await Deno.writeTextFile(f.home.configFile, good);
  assertEquals((await f.cli(["daemon", "--send", "reload"])).code, 0);
  const again = await f.cli(["next", "--json"]);
  assertEquals(again.code, 0, again.stderr);
  assertEquals(json(again.stdout).daemon_pid, d.child.pid);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 2, "the start-up rotation and the mended next");
  assertEquals((await stop(d.child, d.log)).code, 0);
});

Deno.test("a failure in the daemon exits as next does by itself: busy past --wait is 75, a failing setter 1", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]);
  await d.log.waitFor(/next: /);
  {
    // Another varietal holds the pipeline's lock longer than --wait.
    using _held = await acquireLock(`${f.home.env.XDG_RUNTIME_DIR}/varietal/next.lock`, {
      purpose: "test",
    });
    const via = await f.cli(["next", "--wait", "1s"]);
    const here = await f.cli(["next", "--wait", "1s", "--no-daemon"]);
    assertEquals([via.code, here.code], [75, 75], `${via.stderr}\n${here.stderr}`);
    assertEquals(via.stderr, here.stderr);
    assertEquals(via.stdout, "");
  }
  // A setter that fails in the daemon: --setter is the sender's, never the daemon's.
  const failing = `${f.home.root}/fail.sh`;
  await Deno.writeTextFile(failing, "#!/bin/sh\necho 'no compositor' >&2\nexit 4\n");
  await Deno.chmod(failing, 0o755);
  const config = await Deno.readTextFile(f.home.configFile);
  await Deno.writeTextFile(
    f.home.configFile,
    config.replace(/command = \[.*\]/, `command = ["${failing}", "{path}"]`),
  );
  assertEquals((await f.cli(["daemon", "--send", "reload"])).code, 0);
  const failed = await f.cli(["next"]);
  assertEquals(failed.code, 1, failed.stderr);
  assertStringIncludes(failed.stderr, "no compositor");
  assertStringIncludes(failed.stderr, "nothing was recorded");
  await d.log.waitFor(/'varietal next' failed/, 2); // the log is read as it comes
  assertEquals(d.log.count(/'varietal next' failed/), 2, d.log.lines.join("\n"));
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 1, "only the start-up rotation");
  assertEquals((await stop(d.child, d.log)).code, 0);
});

Deno.test("a next handed over exits 75 when the daemon stays busy past its --wait, and changes nothing", async () => {
  await using f = await fixture();
  const hold = `${f.home.root}/setter.hold`;
  await using d = startDaemon(f, ["--interval", "1h"], { SETTER_HOLD: hold });
  await d.log.waitFor(/next: /);
  // The daemon's own change (a setter held until the press is answered) keeps it busy; a
  // press with --wait 0 queued behind it gives up as it would on the lock by itself, without
  // waiting for that change.
  await Deno.writeTextFile(hold, "");
  let busyDone = false;
  const busy = f.cli(["daemon", "--send", "next"]).finally(() => busyDone = true);
  await until(async () => (await f.setterCalls()).length >= 2, "the daemon's change runs");
  const pressed = await f.cli(["next", "--wait", "0"]);
  assertEquals(pressed.code, 75, pressed.stderr);
  assertStringIncludes(pressed.stderr, "stayed busy past --wait (0ms); nothing was changed");
  assert(!busyDone, "the press was answered while the daemon's change still ran");
  // A --wait past a timer's range ("30d" for as long as it takes) waits its turn: the
  // daemon's expiry timer once fired at once and answered it 75.
  const patient = f.cli(["next", "--wait", "30d"]);
  const early = await Promise.race([
    patient.then((r) => `answered ${r.code}: ${r.stderr}`),
    new Promise((r) => setTimeout(() => r("waiting"), 1500)),
  ]);
  assertEquals(early, "waiting");
  await Deno.remove(hold);
  assertEquals((await busy).code, 0);
  assertEquals((await patient).code, 0);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 3, "the start-up rotation, --send next and --wait 30d");
  assertEquals((await f.setterCalls()).length, 3);
  assertEquals((await stop(d.child, d.log)).code, 0);
});

Deno.test("presses keep their order across the daemon: one run by itself after a handed-over one waits behind it", async () => {
  await using f = await fixture();
  const hold = `${f.home.root}/setter.hold`;
  await using d = startDaemon(f, ["--interval", "1h"], { SETTER_HOLD: hold });
  await d.log.waitFor(/next: /);
  // The start-up rotation's theme, written after a delay under the lock, is done first: from
  // here only the presses below take places in the lock's queue.
  const startup = (await f.setterCalls())[0].split("|")[0];
  await until(async () => (await probeWallpaper(f.probe)) === startup, "the start-up theme");
  const queue = `${f.home.env.XDG_RUNTIME_DIR}/varietal/next.lock.queue`;
  const tickets = async () => {
    try {
      return (await Array.fromAsync(Deno.readDir(queue))).length;
    } catch {
      return 0;
    }
  };
  // The daemon is busy with a change of its own (its setter held).
  await Deno.writeTextFile(hold, "");
  const busy = f.cli(["daemon", "--send", "next"]);
  await until(async () => (await f.setterCalls()).length >= 2, "the daemon's change runs");
  // A press handed to the daemon waits in its queue, then one that runs by itself (another
  // key: prev, next --dark, …) comes: it must go after the first, as both would by themselves.
  const [first, second] = [f.images[1], f.images[2]];
  const handed = f.cli(["next", "--image", first]);
  await until(async () => (await tickets()) >= 1, "the handed-over press holds its place");
  const alone = f.cli(["next", "--no-daemon", "--image", second]);
  await until(async () => (await tickets()) >= 2, "the press by itself queues");
  await Deno.remove(hold);
  const results = await Promise.all([busy, handed, alone]);
  for (const r of results) assertEquals(r.code, 0, r.stderr);
  const calls = (await f.setterCalls()).map((c) => c.split("|")[0]);
  assertEquals(calls.slice(-2), [first, second], "the last press stays on screen");
  assertEquals(await tickets(), 0, "no place left behind");
  // The same for a key binding's `daemon --send next` queued behind the daemon's own change.
  await Deno.writeTextFile(hold, "");
  const own = f.cli(["daemon", "--send", "next"]);
  await until(async () => (await f.setterCalls()).length >= calls.length + 1, "its change runs");
  const base = await tickets(); // the running change's own place (it has a sender too)
  const sent = f.cli(["daemon", "--send", "next"]);
  await until(async () => (await tickets()) >= base + 1, "the sent next holds its place");
  const last = f.images[3];
  const after = f.cli(["next", "--no-daemon", "--image", last]);
  await until(async () => (await tickets()) >= base + 2, "the press by itself queues");
  await Deno.remove(hold);
  for (const r of await Promise.all([own, sent, after])) assertEquals(r.code, 0, r.stderr);
  const all = (await f.setterCalls()).map((c) => c.split("|")[0]);
  assertEquals(all.length, calls.length + 3);
  assertEquals(all.at(-1), last, "the press by itself came last and stays on screen");
  assertEquals((await stop(d.child, d.log)).code, 0);
});

Deno.test("a next handed over and then interrupted stops the daemon's run too: nothing changes", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"], { SETTER_SLEEP: "3" });
  await d.log.waitFor(/next: /); // the start-up rotation
  // Ctrl-C, SIGTERM and a kill outright while the daemon's setter runs for the press.
  const cases: [Deno.Signal, number | null][] = [
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGKILL", null],
  ];
  for (const [i, [signal, code]] of cases.entries()) {
    const press = spawnCli(f.home, ["next"]);
    await until(async () => (await f.setterCalls()).length >= i + 2, "the setter runs");
    press.kill(signal);
    const out = await press.output();
    if (code !== null) {
      assertEquals(out.code, code, signal);
      assertStringIncludes(new TextDecoder().decode(out.stderr), `Interrupted by ${signal}`);
    }
    await d.log.waitFor(/'varietal next' stopped: its sender was interrupted/, i + 1);
  }
  using db = await f.openDb();
  const rows = historyRows(db);
  assertEquals(rows.length, 1, "only the start-up rotation is recorded");
  assertEquals(await probeWallpaper(f.probe), rows[0].path, "the theme is the start-up one's");
  assertEquals(d.log.count(/for 'varietal next'/), 0, d.log.lines.join("\n"));
  assertEquals(d.log.count(/cannot answer/), 0, d.log.lines.join("\n"));
  assertEquals((await stop(d.child, d.log)).code, 0);
});

Deno.test("a rotation's debounced theme lands before the theme of a next handed over, never after", async () => {
  await using f = await fixture({ config: "\n[daemon]\ntheme_debounce_ms = 1500\n" });
  await using d = startDaemon(f, ["--interval", "1h"]);
  // The rotation at start-up: its theme waits 1.5 s…
  await d.log.waitFor(/next: /);
  // …and a next handed over now must leave its own theme, also after that wait.
  const r = await f.cli(["next", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const path = json(r.stdout).path;
  assertEquals(json(r.stdout).daemon_pid, d.child.pid);
  assertEquals(await probeWallpaper(f.probe), path);
  await new Promise((ok) => setTimeout(ok, 2000));
  assertEquals(await probeWallpaper(f.probe), path, "the rotation's theme landed later");
  assertEquals((await stop(d.child, d.log)).code, 0);
});

Deno.test("next --image goes to the daemon: a relative path is the sender's, errors read the same", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]);
  await d.log.waitFor(/next: /);
  // A picture outside the collection, named relative to the sender's folder.
  const elsewhere = `${f.home.root}/elsewhere`;
  await Deno.mkdir(elsewhere);
  await Deno.copyFile(f.images[2], `${elsewhere}/poster.png`);
  const r = await runCli(f.home, ["next", "--image", "poster.png", "--json"], { cwd: elsewhere });
  assertEquals(r.code, 0, r.stderr);
  const out = json(r.stdout);
  assertEquals(out.daemon_pid, d.child.pid);
  assertEquals(out.path, await Deno.realPath(`${elsewhere}/poster.png`));
  // Its palette was extracted by the daemon's decoding thread, and themed before returning.
  assertEquals((out.shows as { palette_from: string }[])[0].palette_from, "extracted");
  assertEquals(await probeWallpaper(f.probe), out.path);
  // A missing file: the same message and exit code as next by itself.
  const via = await runCli(f.home, ["next", "--image", "nope.png"], { cwd: elsewhere });
  const here = await runCli(f.home, ["next", "--image", "nope.png", "--no-daemon"], {
    cwd: elsewhere,
  });
  assertEquals([via.code, via.stderr], [here.code, here.stderr]);
  assertEquals(via.code, 1);
  assertStringIncludes(via.stderr, "--image nope.png: no such file");
  await d.log.waitFor(/'varietal next' failed/, 1); // the log is read as it comes
  assertEquals(d.log.count(/'varietal next' failed/), 1, d.log.lines.join("\n"));
  assertEquals((await stop(d.child, d.log)).code, 0, d.log.lines.join("\n"));
});

Deno.test("a next sent to a stopped daemon (Ctrl-Z) runs by itself after a few seconds, and the daemon skips it when resumed", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]);
  await d.log.waitFor(/next: /);
  d.child.kill("SIGSTOP");
  let r;
  try {
    r = await f.cli(["next", "--json"]);
  } finally {
    d.child.kill("SIGCONT");
  }
  assertEquals(r.code, 0, r.stderr);
  assertEquals(json(r.stdout).daemon_pid, undefined, "ran here");
  assertStringIncludes(r.stderr, `the daemon (pid ${d.child.pid}) is stopped`);
  // Read after the resume (dropped), or read and queued before the stop (skipped).
  await d.log.waitFor(/dropped 'run-next': its sender no longer waits|'varietal next' skipped/);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 2, "the start-up rotation and the next run here, once");
  assertEquals((await stop(d.child, d.log)).code, 0);
});

Deno.test("a daemon whose checkout was updated since it started declines: next and select run here and say to restart it", async () => {
  await using f = await fixture();
  // A checkout of our own to update: the same code, copied (npm packages linked).
  const copy = await Deno.makeTempDir({ dir: f.home.root, prefix: "checkout-" });
  for (const name of ["main.ts", "deno.json", "deno.lock"]) {
    await Deno.copyFile(`${ROOT}/${name}`, `${copy}/${name}`);
  }
  for (const dir of ["src", "templates"]) {
    const cp = await new Deno.Command("cp", { args: ["-r", `${ROOT}/${dir}`, `${copy}/${dir}`] })
      .output();
    assert(cp.success, dir);
  }
  await Deno.symlink(`${ROOT}/node_modules`, `${copy}/node_modules`);
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-q", ...RUN_FLAGS, `${copy}/main.ts`, ...args],
      env: f.home.env,
      cwd: f.home.home,
      stdout: "piped",
      stderr: "piped",
    });
  const child = run(["daemon", "--interval", "1h"]).spawn();
  const log = lineReader(child);
  try {
    await log.waitFor(/next: /, 1, 60_000);
    const before = await f.cli(["next", "--json"]); // from our checkout: the daemon takes it too
    assertEquals(before.code, 0, before.stderr);
    const taken = await run(["next", "--json"]).output();
    assertEquals(json(new TextDecoder().decode(taken.stdout)).daemon_pid, child.pid);
    // What `git pull` does to a changed file: a new file in its folder.
    await Deno.remove(`${copy}/src/cli/next.ts`);
    await Deno.copyFile(`${ROOT}/src/cli/next.ts`, `${copy}/src/cli/next.ts`);
    await Deno.utime(`${copy}/src/cli`, new Date(), new Date(Date.now() + 5_000));
    using db0 = await f.openDb();
    const shows = historyRows(db0).length;
    const here = await run(["next", "--json"]).output();
    const stderr = new TextDecoder().decode(here.stderr);
    assertEquals(here.code, 0, stderr);
    assertEquals(json(new TextDecoder().decode(here.stdout)).daemon_pid, undefined);
    assertStringIncludes(
      stderr,
      `the daemon (pid ${child.pid}) started before varietal was updated`,
    );
    assertStringIncludes(stderr, "'varietal daemon --send stop'");
    using db1 = await f.openDb();
    assertEquals(historyRows(db1).length, shows + 1, "next ran here");
    const select = await run(["select", "-n", "1", "--json"]).output();
    assertEquals(select.code, 0);
    assertStringIncludes(
      new TextDecoder().decode(select.stderr),
      "started before varietal was updated",
    );
    assertEquals(JSON.parse(new TextDecoder().decode(select.stdout)).length, 1);
    // `status` says so too, and the daemon's log once, at its next step.
    const status = await run(["status", "--json"]).output();
    const warnings = json(new TextDecoder().decode(status.stdout)).warnings as string[];
    assert(
      warnings.some((w) =>
        w.startsWith(`varietal was updated or moved since the daemon (pid ${child.pid}) started`)
      ),
      JSON.stringify(warnings),
    );
    assertEquals((await run(["daemon", "--send", "next"]).output()).code, 0);
    await log.waitFor(/warning: varietal was updated or moved since the daemon/, 1, 30_000);
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await log.done;
    await child.stdout.cancel();
  }
});
