// `varietal select` handed to a running daemon (run-select): the same picks, text,
// warnings, errors and exit codes as when it runs by itself, and run here whenever
// the daemon's set-up differs or an option reads the sender's files.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { fixture } from "./_fixture.ts";
import { startDaemon, stop } from "./_daemon_process.ts";
import { selectHandsOver } from "../../src/cli/_select_handoff.ts";
import { runIntoFullDisk, type RunResult } from "../_helpers/env.ts";
import { selectServer } from "../../src/cli/_select_server.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { loadConfig } from "../../src/config/load.ts";
import { configStamp } from "../../src/config/config_stamp.ts";
import { type SelectHandOff, sessionOf } from "../../src/pipeline/control_protocol.ts";
import type { PipelineDeps } from "../../src/pipeline/pipeline_deps.ts";

const HANDED = /for 'varietal select'/;

/** The picks of `select --json`, without the weights (they move with the clock). */
function picks(r: RunResult): { path: string; factors: string[] }[] {
  return (JSON.parse(r.stdout) as { path: string; factors: Record<string, number> }[])
    .map((p) => ({ path: p.path, factors: Object.keys(p.factors) }));
}

Deno.test("select with passed-on options goes to the running daemon: same picks, warnings, errors and exit codes", async () => {
  await using f = await fixture({ images: 5 });
  const cases = [
    ["-n", "3", "--json", "--seed", "42"], // JSON
    ["--count=2", "--seed=7"], // text
    ["-n", "9", "--seed", "1"], // more than there are: a warning on stderr, exit 0
    ["-n", "0"], // a usage error: exit 2
    ["--dark", "--json"], // no image has a palette (deleted below): exit 1
  ];
  const via: RunResult[] = [];
  {
    await using d = startDaemon(f, ["--interval", "1h"]);
    await d.log.waitFor(/next: /); // its first rotation at start
    {
      // Its palette could be dark or not: none at all makes --dark's answer certain.
      using db = await f.openDb();
      db.raw.exec("DELETE FROM palettes");
    }
    for (const args of cases) via.push(await f.cli(["select", ...args]));
    await d.log.waitFor(HANDED, cases.length); // the log is read as it comes
    assertEquals(d.log.count(HANDED), cases.length, d.log.lines.join("\n"));
    assertEquals((await stop(d.child, d.log)).code, 0);
  }
  // The same selects by themselves, on the same collection and history.
  for (const [i, args] of cases.entries()) {
    const here = await f.cli(["select", ...args]);
    const name = args.join(" ");
    assertEquals(via[i].code, here.code, `${name}: ${via[i].stderr} / ${here.stderr}`);
    assertEquals(via[i].stderr, here.stderr, name);
    if (args.includes("--json") && here.code === 0) {
      assertEquals(picks(via[i]), picks(here), name);
    } else assertEquals(via[i].stdout, here.stdout, name);
  }
  assertEquals(via.map((r) => r.code), [0, 0, 0, 2, 1]);
  assert(via[2].stderr.includes("only 5 of 9"), via[2].stderr);
  assert(via[3].stderr.startsWith("varietal: "), via[3].stderr);
});

Deno.test("select runs here when the daemon's set-up differs or an option reads the sender's files", async () => {
  await using f = await fixture({ images: 4 });
  await using d = startDaemon(f, ["--interval", "1h"]);
  await d.log.waitFor(/next: /);
  const taken = await f.cli(["select", "--json"]);
  assertEquals(taken.code, 0, taken.stderr);
  await d.log.waitFor(HANDED, 1);
  // An edited config: the daemon's would differ from the one select must read.
  const config = await Deno.readTextFile(f.home.configFile);
  await Deno.writeTextFile(f.home.configFile, `${config}\n# edited\n`);
  const edited = await f.cli(["select", "--json"]);
  assertEquals(edited.code, 0, edited.stderr);
  // Another desktop session, and options that read files or ask for help.
  const other = await f.cli(["select"], { WAYLAND_DISPLAY: "wayland-9" });
  assertEquals(other.code, 0, other.stderr);
  // (A copy outside the collection: an image of it is left out of its own similar picks,
  // and here only the one the daemon showed has a palette.)
  const ref = `${f.home.root}/ref.png`;
  await Deno.copyFile(f.images[0], ref);
  const similar = await f.cli(["select", "--similar-to", ref]);
  assertEquals(similar.code, 0, similar.stderr);
  const help = await f.cli(["select", "--help"]);
  assertEquals(help.code, 0);
  assert(help.stdout.startsWith("varietal select"), help.stdout);
  // After a reload the daemon takes them again.
  assertEquals((await f.cli(["daemon", "--send", "reload"])).code, 0);
  assertEquals((await f.cli(["select"])).code, 0);
  await d.log.waitFor(HANDED, 2);
  assertEquals(d.log.count(HANDED), 2, d.log.lines.join("\n"));
  assertEquals((await stop(d.child, d.log)).code, 0);
});

Deno.test("selectHandsOver() passes on only options that read no file of the sender's", () => {
  for (const ok of [[], ["--json"], ["-n", "4", "--explain"], ["--count=3"], ["--seed", "9"]]) {
    assert(selectHandsOver(ok), ok.join(" "));
  }
  for (
    const no of [
      ["--similar-to", "current"],
      ["--help"],
      ["-h"],
      ["--group", "work"],
      ["--hue", "200-260"],
      ["extra"],
      ["-n"], // no value
      ["-n", "--similar-to=x"], // a value that is an option
      ["--count="],
      Array.from({ length: 17 }, () => "--json"),
    ]
  ) assert(!selectHandsOver(no), no.join(" "));
});

Deno.test("selectServer() takes only what the sender would run the same way", async () => {
  await using f = await fixture({ images: 3 });
  const env = (k: string) => f.home.env[k];
  const paths = resolvePaths(env);
  using db = await f.openDb();
  const deps = { db, config: await loadConfig(paths.configFile), paths, env } as PipelineDeps;
  const stamp = configStamp(paths.configFile);
  const serve = selectServer(deps, () => stamp);
  const req = {
    args: ["-n", "2", "--json", "--seed", "3"],
    color: false,
    home: paths.home,
    config: paths.configFile,
    config_stamp: stamp,
    database: paths.database,
    session: sessionOf(env),
  };
  const ok = await serve(req);
  assertEquals([ok.ok, ok.output?.exit, ok.output?.stderr], [true, 0, ""]);
  assertEquals((JSON.parse(ok.output!.stdout) as unknown[]).length, 2);
  const usage = await serve({ ...req, args: ["-n", "0"] });
  assertEquals(usage.output?.exit, 2);
  assert(usage.output!.stderr.endsWith("see 'varietal select --help'\n"), usage.output!.stderr);
  // Declined: options the daemon must not run for the sender (even if a sender sent them),
  // and any set-up that differs.
  for (
    const [other, why] of [
      [{ args: ["--similar-to", "pic.jpg"] }, "an option the sender must run"],
      [{ args: ["--help"] }, "an option the sender must run"],
      [{ home: "/elsewhere" }, "another home folder"],
      [{ database: "/elsewhere/varietal.db" }, "another database"],
      [{ config_stamp: "0:0:0" }, "the config file changed since the daemon read it"],
      [{ session: { WAYLAND_DISPLAY: "wayland-9" } }, "another desktop session"],
    ] as [Partial<SelectHandOff>, string][]
  ) {
    const r = await serve({ ...req, ...other });
    assertEquals([r.declined, r.message, r.output], [true, `declined: ${why}`, undefined]);
  }
});

Deno.test("select and next handed to the daemon say in one line that standard output cannot be written", async () => {
  await using f = await fixture({ images: 3 });
  await using d = startDaemon(f, ["--interval", "1h"]);
  await d.log.waitFor(/next: /);
  // `> /dev/full`: a full disk under `> picks.json`.
  const full = (args: string[]) => runIntoFullDisk(f.home.env, args);
  for (const args of [["select", "-n", "1"], ["next", "--json"]]) {
    const r = await full(args);
    assertEquals(r.code, 1, r.stderr);
    assertEquals(
      r.stderr,
      "varietal: cannot write to standard output (no space left on device); the command's own " +
        "work is done, only what it printed is lost\n",
      args.join(" "),
    );
  }
  assertEquals((await stop(d.child, d.log)).code, 0);
});
