// The daemon: rotation, signals, single instance, timer reset by a manual next.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { spawnCli } from "../_helpers/env.ts";
import { fixture, historyRows } from "./_fixture.ts";

/** Reads a child's stderr line by line; `waitFor` resolves on the first matching line. */
function lineReader(child: Deno.ChildProcess) {
  const lines: string[] = [];
  let notify: (() => void) | undefined;
  const done = (async () => {
    const dec = new TextDecoder();
    let buf = "";
    for await (const chunk of child.stderr) {
      buf += dec.decode(chunk, { stream: true });
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        lines.push(buf.slice(0, i));
        buf = buf.slice(i + 1);
        notify?.();
      }
    }
    if (buf) lines.push(buf);
    notify?.();
  })();
  return {
    lines,
    done,
    count: (re: RegExp) => lines.filter((l) => re.test(l)).length,
    async waitFor(re: RegExp, n = 1, timeoutMs = 30_000): Promise<void> {
      const end = Date.now() + timeoutMs;
      while (lines.filter((l) => re.test(l)).length < n) {
        if (Date.now() > end) {
          throw new Error(`timed out waiting for ${re} ×${n}; log:\n${lines.join("\n")}`);
        }
        await Promise.race([
          new Promise<void>((r) => notify = r),
          new Promise((r) => setTimeout(r, 200)),
        ]);
      }
    },
  };
}

async function until(fn: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function probeWallpaper(file: string): Promise<string | undefined> {
  try {
    return (await Deno.readTextFile(file)).split("\n")[0];
  } catch {
    return undefined;
  }
}

const stopped = new WeakSet<Deno.ChildProcess>();

async function stop(
  child: Deno.ChildProcess,
  log: ReturnType<typeof lineReader>,
  signal: Deno.Signal = "SIGTERM",
) {
  stopped.add(child);
  child.kill(signal);
  const status = await child.status;
  await log.done;
  await child.stdout.cancel();
  return status;
}

/** Starts a daemon; disposing kills it if a test failed before stopping it. */
function startDaemon(
  f: Awaited<ReturnType<typeof fixture>>,
  args: string[],
  env?: Record<string, string>,
) {
  const child = spawnCli(f.home, ["daemon", ...args], env ? { env } : {});
  const log = lineReader(child);
  return {
    child,
    log,
    async [Symbol.asyncDispose]() {
      if (stopped.has(child)) return;
      child.kill("SIGKILL");
      await child.status;
      await log.done;
      await child.stdout.cancel();
    },
  };
}

Deno.test("daemon rotates at start, on SIGUSR1, re-themes on SIGUSR2, reloads on SIGHUP, exits 0 on SIGTERM", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"]);
  const { child, log } = d;
  await log.waitFor(/next: /);
  child.kill("SIGUSR1");
  {
    await log.waitFor(/next: /, 2);
    using db = await f.openDb();
    const rows = historyRows(db);
    assertEquals(rows.length, 2);
    // The daemon's theme is debounced: it lands shortly after the rotation.
    await until(async () => (await probeWallpaper(f.probe)) === rows[1].path, "themed");
    await Deno.remove(f.probe);
    child.kill("SIGUSR2");
    await log.waitFor(/theme: re-applied/);
    assertEquals(await probeWallpaper(f.probe), rows[1].path);
    child.kill("SIGHUP");
    await log.waitFor(/config reloaded/);
    const sent = await f.cli(["daemon", "--send", "reload"]);
    assertEquals(sent.code, 0, sent.stderr);
    await log.waitFor(/config reloaded/, 2);
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
  assertStringIncludes(second.stderr, "another varietal daemon is running");
  assertEquals((await stop(child, log, "SIGINT")).code, 0, log.lines.join("\n"));
  const none = await f.cli(["daemon", "--send", "next"]);
  assertEquals(none.code, 1);
  assertStringIncludes(none.stderr, "no varietal daemon is running");
});

Deno.test("SIGTERM during a rotation finishes it and exits 0", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "1h"], { SETTER_SLEEP: "1.5" });
  const { child, log } = d;
  for (let i = 0; i < 300 && (await f.setterCalls()).length < 1; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assertEquals((await f.setterCalls()).length, 1, log.lines.join("\n"));
  const status = await stop(child, log);
  assertEquals(status.code, 0, log.lines.join("\n"));
  using db = await f.openDb();
  assertEquals(historyRows(db).length, 1, "the rotation in progress was not completed");
  assertEquals(log.count(/next: /), 1);
});

Deno.test("a manual next restarts the daemon's interval", async () => {
  await using f = await fixture();
  await using d = startDaemon(f, ["--interval", "4s"]);
  const { child, log } = d;
  await log.waitFor(/next: /);
  // Manual nexts every ~1 s for ~6 s: without the reset the daemon would rotate at 4 s.
  const end = Date.now() + 6000;
  let manual = 0;
  while (Date.now() < end) {
    const r = await f.cli(["next", "--no-theme"]);
    assertEquals(r.code, 0, r.stderr);
    manual++;
    await new Promise((r) => setTimeout(r, 800));
  }
  assertEquals(log.count(/next: /), 1, log.lines.join("\n"));
  await log.waitFor(/next: /, 2, 15_000);
  assertEquals((await stop(child, log)).code, 0);
  using db = await f.openDb();
  assertEquals(historyRows(db).length, manual + 2);
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
