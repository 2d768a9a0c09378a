// `varietal status`: the formats, and the command without a daemon.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { DatabaseSync } from "node:sqlite";
import { SCHEMA_VERSION } from "../../src/db/schema_version.ts";
import {
  formatStatusText,
  formatWaybar,
  printable,
  type StatusReport,
} from "../../src/cli/_status_format.ts";

function report(over: Partial<StatusReport> = {}): StatusReport {
  return {
    running: true,
    pid: 4242,
    paused: false,
    paused_at: null,
    interval: 900,
    next_change_at: 1_000_000,
    next_change_in: 754,
    busy: null,
    current: [{ path: "/walls/fjord.jpg", output: null, shown_at: 1 }],
    warnings: [],
    ...over,
  };
}

Deno.test("formatStatusText() says running, paused or not running, with the next change", () => {
  assertEquals(formatStatusText(report()), [
    "daemon:  running (pid 4242)",
    "timer:   every 15m, next change in 12m34s",
    "current: /walls/fjord.jpg",
  ]);
  const paused = formatStatusText(report({ paused: true, paused_at: Date.UTC(2030, 0, 1) }));
  assertStringIncludes(paused[1], "paused since 20");
  assertStringIncludes(paused[1], "varietal daemon --send resume");
  const off = formatStatusText(report({ running: false, pid: null, current: [] }));
  assertEquals(off, [
    "daemon:  not running",
    "timer:   every 15m once the daemon runs",
    "current: nothing shown yet",
  ]);
  // A daemon that runs but did not answer: nothing is known of its timer.
  const mute = report({ interval: null, next_change_in: null, next_change_at: null });
  assertEquals(formatStatusText(mute)[1], "timer:   unknown (the daemon did not answer)");
  const two = formatStatusText(report({
    current: [
      { path: "/a.jpg", output: "DP-1", shown_at: 1 },
      { path: "/b.jpg", output: "HDMI-A-1", shown_at: 1 },
    ],
  }));
  assertEquals(two.slice(2), ["current: DP-1\t/a.jpg", "current: HDMI-A-1\t/b.jpg"]);
});

Deno.test("status output cannot be steered by a file name's control characters", () => {
  const evil = "/w/x\nexec rm -rf ~\n\x1b[2J.jpg";
  // Written as every other command writes it (\n, not \x0a).
  assertEquals(printable(evil), "/w/x\\nexec rm -rf ~\\n\\x1b[2J.jpg");
  const lines = formatStatusText(report({ current: [{ path: evil, output: null, shown_at: 1 }] }));
  assertEquals(lines.length, 3);
  // deno-lint-ignore no-control-regex -- control characters are what it looks for
  assert(!lines.some((l) => /[\x00-\x08\x0a-\x1f]/.test(l)), JSON.stringify(lines));
});

Deno.test("formatWaybar() gives text, alt, class and a markup-safe tooltip", () => {
  const w = formatWaybar(report({
    current: [{ path: "/w/Tom & Jerry <3>.jpg", output: null, shown_at: 1 }],
  }));
  assertEquals([w.text, w.alt, w.class], ["13m", "running", "running"]);
  assertEquals(w.tooltip.split("\n"), [
    "varietal: running",
    "every 15m, next change in 12m34s",
    "/w/Tom &#38; Jerry &#60;3&#62;.jpg",
  ]);
  assertEquals(formatWaybar(report({ next_change_in: 40 })).text, "40s");
  assertEquals(formatWaybar(report({ next_change_in: 0 })).text, "now");
  const p = formatWaybar(report({ paused: true, next_change_in: null, next_change_at: null }));
  assertEquals([p.text, p.alt, p.class], ["paused", "paused", "paused"]);
  const off = formatWaybar(report({ running: false, pid: null }));
  assertEquals([off.text, off.alt, off.class], ["off", "stopped", "stopped"]);
  assertStringIncludes(off.tooltip, "daemon not running");
});

Deno.test("varietal status without a daemon: exit 3, --json says not running, waybar exits 0", async () => {
  await using home = await tempHome();
  await home.writeConfig('[daemon]\ninterval = "20m"\n');
  const text = await runCli(home, ["status"]);
  assertEquals(text.code, 3, text.stderr);
  assertEquals(text.stdout.split("\n").slice(0, 3), [
    "daemon:  not running",
    "timer:   every 20m once the daemon runs",
    "current: nothing shown yet",
  ]);
  // A config warning goes to stderr, as every command's do: stdout keeps only the lines above.
  await home.writeConfig("[daemon\n");
  const warned = await runCli(home, ["status"]);
  assertEquals(warned.stdout.trim().split("\n").length, 3, warned.stdout);
  assertStringIncludes(warned.stderr, "varietal: warning: ");
  await home.writeConfig('[daemon]\ninterval = "20m"\n');
  const json = await runCli(home, ["status", "--json"]);
  assertEquals(json.code, 3);
  assertEquals(json.json(), {
    running: false,
    pid: null,
    paused: false,
    paused_at: null,
    interval: 1200,
    next_change_at: null,
    next_change_in: null,
    busy: null,
    current: [],
    warnings: [],
  });
  const waybar = await runCli(home, ["status", "--format", "waybar"]);
  assertEquals(waybar.code, 0);
  assertEquals(waybar.stdout.trim().split("\n").length, 1, "one line for waybar");
  assertEquals(waybar.json<{ class: string }>().class, "stopped");
  const clash = await runCli(home, ["status", "--json", "--format", "waybar"]);
  assertEquals(clash.code, 2);
  const send = await runCli(home, ["daemon", "--send", "pause"]);
  assertEquals(send.code, 3);
  assertStringIncludes(send.stderr, "no varietal daemon is running");
  const sendJson = await runCli(home, ["daemon", "--send", "pause", "--json"]);
  assertEquals(sendJson.code, 3);
  assertEquals(sendJson.json<Record<string, unknown>>(), {
    ok: false,
    running: false,
    pid: null,
    message: "no varietal daemon is running",
  });
});

Deno.test("a newer varietal's database: status says current is unknown, doctor checks no folders", async () => {
  await using home = await tempHome();
  const add = await runCli(home, ["sources", "add", home.root]);
  assertEquals(add.code, 0, add.stderr);
  const db = new DatabaseSync(home.database);
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  const status = await runCli(home, ["status"]);
  assertEquals(status.code, 3, status.stderr);
  assertEquals(status.stdout.split("\n")[2], "current: unknown (the database could not be read)");
  assertStringIncludes(status.stderr, "is newer than this varietal understands");
  assertEquals((await runCli(home, ["status", "--json"])).json<StatusReport>().current, null);
  const doctor = await runCli(home, ["doctor", "--json"]);
  const checks = doctor.json<{ checks: { name: string; status: string; detail: string }[] }>()
    .checks;
  const sources = checks.find((c) => c.name === "sources")!;
  // Its folders are in that database: "no wallpaper folders; add one" would invite adding them again.
  assertEquals([sources.status, sources.detail], [
    "warn",
    "not checked: the database cannot be read (see 'database')",
  ]);
  assertEquals(checks.find((c) => c.name === "database")!.status, "error");
});
