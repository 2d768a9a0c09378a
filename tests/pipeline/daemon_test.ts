// The daemon as a process: rotation, --send, signals, single instance, pause and status (the
// timer itself, a manual next restarting it and pausing it run on a fake clock in
// daemon_loop_test.ts).
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { fixture, historyRows } from "./_fixture.ts";
import { probeWallpaper, startDaemon, stop, until } from "./_daemon_process.ts";

Deno.test("daemon rotates at start and on --send next, re-themes on --send theme, reloads on SIGHUP and --send reload, exits 0 on SIGTERM", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]);
  const { child, log } = d;
  await log.waitFor(/next: /);
  const next = await f.cli(["daemon", "--send", "next"]);
  assertEquals(next.code, 0, next.stderr);
  {
    using db = await f.openDb();
    const rows = historyRows(db);
    // The answer comes once the rotation is done.
    assertEquals(rows.length, 2);
    assertStringIncludes(next.stdout, `next: ${rows[1].path}`);
    assertEquals(next.stderr, "", "a successful answer is output, not an error");
    // The daemon's theme is debounced: it lands shortly after the rotation.
    await until(async () => (await probeWallpaper(f.probe)) === rows[1].path, "themed");
    await Deno.remove(f.probe);
    const theme = await f.cli(["daemon", "--send", "theme"]);
    assertEquals(theme.code, 0, theme.stderr);
    assertStringIncludes(theme.stdout, "theme: re-applied");
    assertEquals(await probeWallpaper(f.probe), rows[1].path);
    child.kill("SIGHUP");
    await log.waitFor(/config reloaded/);
    const sent = await f.cli(["daemon", "--send", "reload"]);
    assertEquals(sent.code, 0, sent.stderr);
    assertStringIncludes(sent.stdout, "config reloaded");
    assertEquals(log.count(/config reloaded/), 2);
  }
  const status = await stop(child, log);
  assertEquals(status.code, 0, log.lines.join("\n"));
  assert(log.count(/daemon stopping/) === 1, log.lines.join("\n"));
});

Deno.test("a second daemon refuses to start with exit 75", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]);
  const { child, log } = d;
  await log.waitFor(/daemon started/);
  const second = await f.cli(["daemon"]);
  assertEquals(second.code, 75);
  assertStringIncludes(
    second.stderr,
    `another varietal daemon is running (pid ${child.pid}); stop it first ('varietal daemon --send stop', or 'kill ${child.pid}')`,
  );
  assertEquals((await stop(child, log, "SIGINT")).code, 0, log.lines.join("\n"));
  const none = await f.cli(["daemon", "--send", "next"]);
  assertEquals(none.code, 3, none.stderr);
  assertStringIncludes(none.stderr, "no varietal daemon is running");
});

Deno.test("SIGTERM during a rotation finishes it and exits 0", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"], { SETTER_SLEEP: "1.5" });
  const { child, log } = d;
  await until(async () => (await f.setterCalls()).length >= 1, "the setter runs");
  assertEquals((await f.setterCalls()).length, 1, log.lines.join("\n"));
  const status = await stop(child, log);
  assertEquals(status.code, 0, log.lines.join("\n"));
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 1, "the rotation in progress was not completed");
  assertEquals(log.count(/next: /), 1);
});

Deno.test("a daemon started soon after a change restores the current wallpaper", async () => {
  await using f = await fixture();
  const first = await f.cli(["next", "--no-theme"]);
  assertEquals(first.code, 0, first.stderr);
  await using d = startDaemon(f, ["--interval", "1h"]);
  await d.log.waitFor(/restored: /);
  assertStringIncludes(d.log.lines.join("\n"), first.stdout.trim());
  assertEquals((await stop(d.child, d.log)).code, 0);
  assertEquals(d.log.count(/next: /), 0, d.log.lines.join("\n"));
  assertEquals((await f.setterCalls()).length, 2);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 1);
});

interface StatusJson {
  running: boolean;
  pid: number | null;
  paused: boolean;
  interval: number | null;
  next_change_at: number | null;
  next_change_in: number | null;
  current: { path: string }[];
  warnings: string[];
}

Deno.test("--send pause stops timer rotations, --send resume restarts them, status --json reports both", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1s"]);
  const { child, log } = d;
  await log.waitFor(/next: /);
  const running = await f.cli(["status", "--json"]);
  assertEquals(running.code, 0, running.stderr);
  const r = running.json<StatusJson>();
  assertEquals([r.running, r.pid, r.paused, r.interval], [true, child.pid, false, 1]);
  assert(r.next_change_at !== null && r.next_change_in !== null, running.stdout);
  assertEquals(r.current.length, 1);

  const shows = async () => {
    using db = await f.openDb();
    return historyRows(db).length;
  };
  const pause = await f.cli(["daemon", "--send", "pause"]);
  assertEquals(pause.code, 0, pause.stderr);
  // A rotation the timer had begun still finishes.
  await until(
    async () => (await f.cli(["status", "--json"])).json<{ busy: string | null }>().busy === null,
    "the daemon is idle",
  );
  const before = await shows();
  const paused = (await f.cli(["status", "--json"])).json<StatusJson>();
  assertEquals([paused.running, paused.paused, paused.next_change_at], [true, true, null]);
  // (That the timer stays still while paused is checked on a fake clock in daemon_loop_test.ts.)
  // A requested next still works, and does not resume.
  const next = await f.cli(["daemon", "--send", "next"]);
  assertEquals(next.code, 0, next.stderr);
  assertEquals(await shows(), before + 1);
  assertEquals((await f.cli(["status", "--json"])).json<StatusJson>().paused, true);
  // Nor does a reload.
  assertEquals((await f.cli(["daemon", "--send", "reload"])).code, 0);
  assertEquals((await f.cli(["status", "--json"])).json<StatusJson>().paused, true);

  const resume = await f.cli(["daemon", "--send", "resume"]);
  assertEquals(resume.code, 0, resume.stderr);
  const resumed = (await f.cli(["status", "--json"])).json<StatusJson>();
  assertEquals([resumed.paused, typeof resumed.next_change_at], [false, "number"]);
  await until(async () => (await shows()) >= before + 3, "two timer rotations after resume");
  assertEquals((await stop(child, log)).code, 0, log.lines.join("\n"));

  const gone = await f.cli(["status", "--json"]);
  assertEquals(gone.code, 3, gone.stderr);
  assertEquals(gone.json<StatusJson>().running, false);
});

Deno.test("a paused daemon stays paused after a restart and restores instead of rotating", async () => {
  await using f = await fixture();
  {
    await using d = startDaemon(f, ["--interval", "1s"]);
    await d.log.waitFor(/next: /);
    assertEquals((await f.cli(["daemon", "--send", "pause"])).code, 0);
    assertEquals((await stop(d.child, d.log)).code, 0);
  }
  const stopped = await f.cli(["status"]);
  assertEquals(stopped.code, 3);
  assertStringIncludes(stopped.stdout, "not running");
  assertStringIncludes(stopped.stdout, "will start paused");
  await using d = startDaemon(f, ["--interval", "1s"]);
  await d.log.waitFor(/restored: /);
  assertStringIncludes(d.log.lines.join("\n"), "paused (varietal daemon --send resume)");
  const text = await f.cli(["status"]);
  assertEquals(text.code, 0, text.stderr);
  assertStringIncludes(text.stdout, `running (pid ${d.child.pid})`);
  assertStringIncludes(text.stdout, "paused since");
  assertEquals((await f.cli(["daemon", "--send", "toggle"])).code, 0);
  await d.log.waitFor(/next: /, 1);
  assertEquals((await stop(d.child, d.log)).code, 0);
});

Deno.test("a rotation's debounced theme never replaces the theme of a change made since by another varietal", async () => {
  await using f = await fixture({ config: "\n[daemon]\ntheme_debounce_ms = 2000\n" });
  await using d = startDaemon(f, ["--interval", "1h"]);
  const { child, log } = d;
  await log.waitFor(/next: /); // rotated at start; its theme is due 2 s later
  const [rotated] = (await f.setterCalls()).map((l) => l.split("|")[0]);
  const other = f.images.find((p) => p !== rotated)!;
  const mine = await f.cli(["next", "--no-daemon", "--image", other]);
  assertEquals(mine.code, 0, mine.stderr);
  assertEquals(await probeWallpaper(f.probe), other);
  await new Promise((r) => setTimeout(r, 3000)); // past the debounce
  assertEquals(await probeWallpaper(f.probe), other, log.lines.join("\n"));
  assertEquals(log.count(/theme: not rendered for .*another change came first/), 1);
  // `--send next` is answered once its theme is written, debounce or not.
  const sent = await f.cli(["daemon", "--send", "next"]);
  assertEquals(sent.code, 0, sent.stderr);
  {
    using db = await f.openDb();
    const rows = historyRows(db);
    assertEquals(await probeWallpaper(f.probe), rows[rows.length - 1].path);
  }
  assertEquals((await stop(child, log)).code, 0, log.lines.join("\n"));
});

Deno.test("--send theme exits 1 when a hook ran and failed, as theme apply does", async () => {
  await using f = await fixture({
    config: '\n[[templates]]\nname = "hooky"\ntemplate = "probe.txt"\n' +
      `target = "${"${HOME}"}/hooky.txt"\nhook = ["false"]\n`,
  });
  await using d = startDaemon(f, ["--interval", "1h"]);
  const { child, log } = d;
  await log.waitFor(/next: /);
  const theme = await f.cli(["daemon", "--send", "theme"]);
  assertEquals(theme.code, 1, theme.stdout + theme.stderr);
  assertStringIncludes(theme.stderr, "1 hook(s) failed");
  // With --json: the answer on stdout, and the failure on stderr as without it.
  const json = await f.cli(["daemon", "--send", "theme", "--json"]);
  assertEquals(json.code, 1, json.stdout + json.stderr);
  assertEquals(json.json<{ ok: boolean }>().ok, false);
  assertStringIncludes(json.stderr, "1 hook(s) failed");
  assertEquals((await stop(child, log)).code, 0, log.lines.join("\n"));
});

Deno.test("--send with an option that applies when a daemon starts is a usage error, and nothing is sent", async () => {
  await using f = await fixture();
  for (
    const extra of [["--interval", "1m"], ["--setter", "none"], ["--wait", "5s"], ["--quiet"]]
  ) {
    const r = await f.cli(["daemon", "--send", "reload", ...extra]);
    assertEquals(r.code, 2, r.stderr);
    assertStringIncludes(r.stderr, `${extra[0]} applies when the daemon starts; it cannot be sent`);
    // A config key is named only where there is one.
    const key = { "--interval": "[daemon] interval", "--setter": "[wallpaper] setter" }[extra[0]];
    assertEquals(r.stderr.includes("config.toml"), key !== undefined, r.stderr);
    if (key) assertStringIncludes(r.stderr, `set ${key} in config.toml`);
  }
});

Deno.test("status of a daemon that does not answer says its interval is unknown, not the config's", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]); // the config says 15m
  const { child, log } = d;
  await log.waitFor(/next: /);
  child.kill("SIGSTOP");
  try {
    const r = await f.cli(["status", "--json"]);
    assertEquals(r.code, 0, r.stderr);
    const s = r.json<{ running: boolean; interval: number | null; warnings: string[] }>();
    assertEquals([s.running, s.interval], [true, null]);
    assertEquals(s.warnings.length, 1);
  } finally {
    child.kill("SIGCONT");
  }
  assertEquals((await stop(child, log)).code, 0, log.lines.join("\n"));
});

Deno.test("daemon makes its control channel again on SIGHUP when its FIFO was deleted", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]);
  const { child, log } = d;
  await log.waitFor(/next: /);
  await Deno.remove(`${f.home.env.XDG_RUNTIME_DIR}/varietal/control`, { recursive: true });
  const lost = await f.cli(["daemon", "--send", "pause"]);
  assertEquals(lost.code, 1, lost.stderr);
  assertStringIncludes(
    lost.stderr,
    `'kill -HUP ${child.pid}' makes it again ('kill ${child.pid}' stops it)`,
  );
  // With --json the failure is an answer a script can read, as when no daemon runs.
  const lostJson = await f.cli(["daemon", "--send", "pause", "--json"]);
  assertEquals(lostJson.code, 1, lostJson.stderr);
  const answer = lostJson.json<{ ok: boolean; running: boolean; pid: number; message: string }>();
  assertEquals([answer.ok, answer.running, answer.pid], [false, true, child.pid]);
  assertStringIncludes(answer.message, "has no control channel");
  child.kill("SIGHUP");
  await log.waitFor(/control channel made again/);
  const back = await f.cli(["daemon", "--send", "pause"]);
  assertEquals(back.code, 0, back.stderr);
  assertStringIncludes(back.stdout, "paused");
  const status = await stop(child, log);
  assertEquals(status.code, 0, log.lines.join("\n"));
});

Deno.test("status during a change under way gives the next change at least an interval from now", async () => {
  await using f = await fixture();
  const hold = `${f.home.root}/hold`;
  await Deno.writeTextFile(hold, "");
  // The first change's setter waits on the file: a slow setter, or a new image's palette.
  await using d = startDaemon(f, ["--interval", "4s"], { SETTER_HOLD: hold });
  try {
    const status = async () =>
      (await f.cli(["status", "--json"])).json<StatusJson & { busy: string | null }>();
    await until(async () => (await status()).busy === "next", "a change under way");
    await new Promise((r) => setTimeout(r, 1500));
    const before = Date.now();
    const st = await status();
    assertEquals(st.busy, "next");
    // The interval restarts when the change ends: not before 4 s from now.
    assert(st.next_change_at! >= before + 4000 - 50, `${st.next_change_at! - before} ms from now`);
  } finally {
    await Deno.remove(hold);
  }
  await until(async () => (await f.setterCalls()).length >= 1, "the setter ran");
  await stop(d.child, d.log);
});

Deno.test("a second Ctrl-C cancels the change under way (setter stopped, nothing recorded) and the daemon exits", async () => {
  await using f = await fixture();
  const hold = `${f.home.root}/hold`;
  await Deno.writeTextFile(hold, "");
  // The first change's setter waits on the file (up to 60 s): only a cancel ends it sooner.
  await using d = startDaemon(f, ["--interval", "1h"], { SETTER_HOLD: hold });
  try {
    await until(async () => (await f.setterCalls()).length >= 1, "the setter runs");
    d.child.kill("SIGINT"); // the first: it waits for the change
    let ended = false;
    d.child.status.then(() => (ended = true));
    await new Promise((r) => setTimeout(r, 1000));
    assertEquals(ended, false, "the first Ctrl-C lets the change finish");
    const second = await stop(d.child, d.log, "SIGINT");
    assertEquals(second.code, 0, d.log.lines.join("\n"));
    assert(await Deno.stat(hold).then(() => true), "ended before the setter was let go");
    assertStringIncludes(d.log.lines.join("\n"), "stop asked again: cancelling the next under way");
    const ps = await new Deno.Command("pgrep", { args: ["-f", `${f.home.root}/setter.sh`] })
      .output();
    assertEquals(new TextDecoder().decode(ps.stdout).trim(), "", "the setter still runs");
    using db = await f.openDb();
    assertEquals(historyRows(db), []);
  } finally {
    await Deno.remove(hold).catch(() => {});
  }
});

Deno.test("status of a running daemon warns when config.toml is broken or edited since it was read", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]);
  await d.log.waitFor(/next: |restored: /);
  const warnings = async () => {
    const r = await f.cli(["status", "--json"]);
    assertEquals(r.code, 0, r.stderr);
    return r.json<StatusJson>().warnings;
  };
  assertEquals(await warnings(), []);
  const file = f.home.configFile;
  const good = await Deno.readTextFile(file);
  // Edited and valid: a reload applies it.
  await Deno.writeTextFile(file, `${good}\n# edited\n`);
  assertEquals(await warnings(), [
    "config.toml changed since the daemon read it: 'varietal daemon --send reload' applies it",
  ]);
  assertEquals((await f.cli(["daemon", "--send", "reload"])).code, 0);
  assertEquals(await warnings(), []);
  // Broken: the bar says so (the key binding's `next` fails on it), not "every 1h".
  await Deno.writeTextFile(file, `${good}\n[daemon]\ninterval = [1\n`);
  const [broken, ...rest] = await warnings();
  assertStringIncludes(broken, "TOML syntax error");
  assertStringIncludes(broken, "the daemon keeps the config it read");
  assertEquals(rest, []);
  const bar = await f.cli(["status", "--format", "waybar"]);
  assertStringIncludes(bar.stdout, "TOML syntax error");
  await stop(d.child, d.log);
});
