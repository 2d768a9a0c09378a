import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
  assertThrows,
} from "../_helpers/assert.ts";
import { COMMANDS } from "../../src/cli/registry.ts";
import { parseCommand } from "../../src/cli/_parse.ts";
import { HELP_WIDTH, renderHelp, wrap } from "../../src/cli/_help.ts";
import type { CommandSpec } from "../../src/cli/_command.ts";
import { textWidth } from "../../src/text/text_width.ts";
import { failureOf, UsageError } from "../../src/cli/errors.ts";
import { editDistance, suggest } from "../../src/text/suggest.ts";
import { VERSION } from "../../src/version.ts";
import { runCli, runIntoFullDisk, spawnCli, tempHome } from "../_helpers/env.ts";

Deno.test("varietal --help lists every command; --version prints the version", async () => {
  await using home = await tempHome();
  const help = await runCli(home, ["--help"]);
  assertEquals(help.code, 0);
  for (const c of COMMANDS) assertStringIncludes(help.stdout, `  ${c.name} `);
  const v = await runCli(home, ["--version"]);
  assertEquals(v.stdout.trim(), `varietal ${VERSION}`);
});

Deno.test("every command and subcommand has help with its options", async () => {
  for (const entry of COMMANDS) {
    const mod = await entry.load();
    assertEquals(mod.spec.name, entry.name);
    const specs = [mod.spec, ...(mod.spec.subcommands ?? [])];
    for (const s of specs) {
      const path = s === mod.spec ? s.name : `${mod.spec.name} ${s.name}`;
      const args = s === mod.spec ? ["--help"] : [s.name, "--help"];
      const parsed = parseCommand(mod.spec, args);
      assert(parsed.help, path);
      const text = renderHelp(parsed.spec, parsed.path);
      assertStringIncludes(text, `Usage: varietal ${path}`);
      for (const [name, o] of Object.entries(s.options ?? {})) {
        if (o.aliasOf) assert(!text.includes(`--${name} `), `${path}: old name --${name} hidden`);
        else assertStringIncludes(text, `--${name}`);
        // Every choice is named, in the label (a|b) or after the description.
        if (!o.aliasOf && o.type === "string") {
          for (const c of o.choices ?? []) assertStringIncludes(text, c, `${path} --${name}`);
        }
      }
      // A group that runs its first subcommand by default says so, with that one's --json.
      const first = s.subcommands?.[0];
      if (first && !s.requireSub && first.options?.json) {
        assertStringIncludes(
          text,
          `'varietal ${path} --json' is 'varietal ${path} ${first.name} --json'`,
        );
      }
      // Descriptions on several lines stay in their column.
      assert(!/\n[^ \n]/.test(text.split("\nOptions:\n")[1]?.split("\n\n")[0] ?? ""), path);
    }
  }
});

Deno.test("every help page fits in 100 columns", async () => {
  const wide = (page: string, text: string) =>
    text.split("\n").filter((l) => textWidth(l) > HELP_WIDTH).map((l) => `${page}: ${l}`);
  const over: string[] = [];
  for (const entry of COMMANDS) {
    const mod = await entry.load();
    for (const s of [mod.spec, ...(mod.spec.subcommands ?? [])]) {
      const path = s === mod.spec ? s.name : `${mod.spec.name} ${s.name}`;
      over.push(...wide(path, renderHelp(s, path)));
    }
  }
  await using home = await tempHome();
  over.push(...wide("varietal", (await runCli(home, ["--help"])).stdout));
  assertEquals(over, []);
});

Deno.test("help wraps descriptions in their column; a long flag has its description below", () => {
  const spec: CommandSpec = {
    name: "demo",
    summary: "A demonstration",
    options: {
      json: { type: "boolean", description: "word ".repeat(20).trim() },
      "a-very-long-option-name-indeed": {
        type: "string",
        value: "SOMETHING",
        description: "What it does",
      },
      setter: {
        type: "string",
        value: "SETTER",
        choices: ["one", "two"],
        description: "Which one",
      },
    },
  };
  const options = renderHelp(spec, "demo").split("Options:\n")[1].split("\n");
  // The column fits the flags that are not too long: "    --setter SETTER".
  const column = "      --setter SETTER  ".length;
  const words = wrap("word ".repeat(20), 100 - column);
  assertEquals(words.length, 2);
  assertEquals(options[0], `      --json           ${words[0]}`);
  assertEquals(options[1], " ".repeat(column) + words[1]);
  assertEquals(options[2], "      --a-very-long-option-name-indeed SOMETHING");
  assertEquals(options[3], `${" ".repeat(column)}What it does`);
  assertEquals(options[4], "      --setter SETTER  Which one; one of: one, two");
  for (const l of options) assert(textWidth(l) <= HELP_WIDTH, l);
});

Deno.test("wrap() breaks at spaces, and a word too long for a line after its commas", () => {
  assertEquals(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
  assertEquals(wrap("", 10), [""]);
  assertEquals(wrap('Print {"a","b","c"} now', 10), ["Print", '{"a","b",', '"c"} now']);
  assertEquals(wrap('x {"a","b","c"}', 9), ['x {"a",', '"b","c"}']);
  assertEquals(wrap("abcdefghijkl", 5), ["abcdefghijkl"]);
});

Deno.test("flags with many choices name a value and list the choices after the description", async () => {
  for (const [name, flag] of [["next", "transition"], ["daemon", "send"], ["status", "format"]]) {
    const spec = (await COMMANDS.find((c) => c.name === name)!.load()).spec;
    const o = spec.options![flag];
    const text = renderHelp(spec, name);
    assertStringIncludes(text, `--${flag} ${o.value}  `, name);
    for (const c of o.choices!) assertStringIncludes(text, c, `${name} --${flag}`);
  }
  const next = renderHelp((await COMMANDS.find((c) => c.name === "next")!.load()).spec, "next");
  assertStringIncludes(next, "--setter SETTER");
  assertStringIncludes(next, "--mode MODE");
  assertStringIncludes(next.replace(/\s+/g, " "), "[wallpaper] setter; one of: auto, none, swww,");
});

Deno.test("varietal help COMMAND SUBCOMMAND shows the subcommand's help", async () => {
  await using home = await tempHome();
  const sub = await runCli(home, ["help", "sources", "add"]);
  assertEquals(sub.code, 0, sub.stderr);
  assertStringIncludes(sub.stdout, "Usage: varietal sources add");
  const top = await runCli(home, ["help", "theme"]);
  assertStringIncludes(top.stdout, "Usage: varietal theme");
  // --help and -h before the command, as many tools take them, mean the same.
  for (const flag of ["--help", "-h"]) {
    const r = await runCli(home, [flag, "select"]);
    assertEquals(r.code, 0, r.stderr);
    assertStringIncludes(r.stdout, "Usage: varietal select");
  }
});

Deno.test("unknown commands and flags exit 2 with one line", async () => {
  await using home = await tempHome();
  for (
    const [args, text] of [
      [["frobnicate"], "unknown command 'frobnicate'"],
      [["--frobnicate"], "unknown option '--frobnicate'"],
      [["scan", "--frobnicate"], "unknown option '--frobnicate' for 'scan'"],
      [["sources", "explode"], "unknown subcommand 'explode'"],
      [["prune", "--history-older-than"], "needs a value"],
      [["prune", "--history-older-than", "soon"], "invalid value 'soon'"],
      [["backup"], "'backup' needs a file"],
      [["palette"], "'palette' needs an image"],
      [["scan", "Pictures"], "unexpected argument 'Pictures' for 'scan'"],
      // Decimal numbers only.
      [["select", "-n", "0x2"], "invalid value '0x2' for --count"],
      [["select", "-n", "1e3"], "invalid value '1e3' for --count"],
    ] as const
  ) {
    const r = await runCli(home, [...args]);
    assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assertEquals(r.stdout, "");
    assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
    assertStringIncludes(r.stderr, text);
  }
});

Deno.test("-n means --count in every command that has it, and nothing else", async () => {
  const withN: string[] = [];
  for (const entry of COMMANDS) {
    const mod = await entry.load();
    for (const s of [mod.spec, ...(mod.spec.subcommands ?? [])]) {
      for (const [name, o] of Object.entries(s.options ?? {})) {
        if (o.short === "n") {
          assertEquals(name, "count", `${s.name}: -n is --${name}`);
          withN.push(s.name);
        }
      }
    }
  }
  assertEquals(withN.sort(), ["fetch", "history", "select"]);
  const history = (await COMMANDS.find((c) => c.name === "history")!.load()).spec;
  for (const args of [["-n", "3"], ["--count", "3"], ["--number", "3"], ["--number=3"]]) {
    const p = parseCommand(history, args);
    assert(!p.help);
    assertEquals(p.inv.flags, { count: "3" }, args.join(" "));
  }
  assert(!renderHelp(history, "history").includes("--number"));
});

Deno.test("mistyped commands, flags, subcommands and choices get a suggestion", async () => {
  await using home = await tempHome();
  for (
    const [args, text] of [
      [["nxet"], "unknown command 'nxet' (did you mean 'next'?); see 'varietal --help'"],
      [["favourite"], "(did you mean 'favorite'?)"],
      // the daemon's commands are sent to it (not 'prune', the closest command name)
      [["pause"], "unknown command 'pause' (did you mean 'varietal daemon --send pause'?)"],
      [["resume"], "(did you mean 'varietal daemon --send resume'?)"],
      [["--verison"], "unknown option '--verison' (did you mean '--version'?)"],
      [["scan", "--quite"], "unknown option '--quite' for 'scan' (did you mean '--quiet'?)"],
      [["next", "--dryrun"], "(did you mean '--dry-run'?); see 'varietal next --help'"],
      [["sources", "lsit"], "unknown subcommand 'lsit' for 'sources' (did you mean 'list'?)"],
      [
        ["next", "--setter", "swaybgg"],
        "invalid value 'swaybgg' for --setter (did you mean 'swaybg'?)",
      ],
      [["next", "-n"], "unknown option '-n' for 'next'"],
      [["prune", "-n"], "unknown option '-n' for 'prune'"],
    ] as const
  ) {
    const r = await runCli(home, [...args]);
    assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
    assertStringIncludes(r.stderr, text);
  }
  const far = await runCli(home, ["frobnicate"]);
  assert(!far.stderr.includes("did you mean"), far.stderr);
});

Deno.test("a long option typed with one dash is named; only commands taking files hint at one", async () => {
  const file = "a file whose name starts with '-'";
  for (
    const [name, args, text, not] of [
      ["next", ["-json"], "unknown option '-j' for 'next' (did you mean '--json'?)", file],
      ["next", ["-dry-run"], "(did you mean '--dry-run'?)", file],
      ["next", ["-zzz"], "unknown option '-z' for 'next'", file],
      ["status", ["-format=json"], "(did you mean '--format=json'?)", file],
      ["history", ["-help"], "(did you mean '--help'?)", file],
      ["palette", ["-json"], "(did you mean '--json'?)", file],
      ["palette", ["-zzz"], `(${file}? write ./-zzz or put -- before it)`, undefined],
      ["backup", ["-x.db"], `(${file}? write ./-x.db or put -- before it)`, undefined],
      ["fetch", ["-zzz"], "unknown option '-z' for 'fetch'", file],
      // A file named like a long option, for a command of files; a typo of a flag stays one.
      ["favorite", ["--json.png"], `(${file}? write ./--json.png or put -- before it)`, undefined],
      ["favorite", ["--jsn"], "(did you mean '--json'?)", file],
      ["next", ["--json.png"], "unknown option '--json.png' for 'next'", file],
    ] as const
  ) {
    const spec = (await COMMANDS.find((c) => c.name === name)!.load()).spec;
    const e = assertThrows(() => parseCommand(spec, [...args]), UsageError, text);
    if (not) assert(!e.message.includes(not), `${name}: ${e.message}`);
  }
});

Deno.test("a flag typed with a dash look-alike (en dash, minus sign) is named, not taken as a file", async () => {
  await using home = await tempHome();
  for (
    const [args, hint] of [
      [["history", "\u2013json"], "did you mean '--json'?"],
      [["select", "\u2212n", "3"], "did you mean '-n'?"],
      [["favorite", "\u2014json"], "did you mean '--json'?"],
    ] as const
  ) {
    const r = await runCli(home, [...args]);
    assertEquals(r.code, 2, args.join(" "));
    assertStringIncludes(r.stderr, "starts with a dash look-alike, not '-'; " + hint);
  }
  // A file whose name starts so, and that is no flag, is still a file.
  const file = await runCli(home, ["favorite", "\u2013x.jpg"]);
  assertEquals(file.code, 1);
  assertStringIncludes(file.stderr, "\u2013x.jpg: no such file");
});

Deno.test("suggest() picks the closest name, or none when nothing is close", () => {
  const names = COMMANDS.map((c) => c.name);
  assertEquals(suggest("sacn", names), "scan"); // swapped letters: one edit
  assertEquals(suggest("histroy", names), "history");
  assertEquals(suggest("stat", names), "stats");
  assertEquals(suggest("comp", names), "completions"); // the only one starting so
  assertEquals(suggest("x", names), undefined);
  assertEquals(suggest("wallpaper", names), undefined);
  assertEquals(editDistance("kitten", "sitting"), 3);
  assertEquals(editDistance("", "abc"), 3);
});

Deno.test("parseCommand() checks choices", () => {
  const spec = {
    name: "t",
    summary: "",
    options: { mode: { type: "string", choices: ["a", "b"], description: "" } },
  } as const;
  try {
    parseCommand({ ...spec, options: { ...spec.options } }, ["--mode", "c"]);
    assert(false);
  } catch (e) {
    assert(e instanceof UsageError);
    assertMatch(e.message, /expected one of: a, b/);
  }
});

Deno.test("a database path holding junk gives one line and exit 1, file untouched", async () => {
  await using home = await tempHome();
  await Deno.mkdir(home.database.replace(/\/[^/]+$/, ""), { recursive: true });
  await Deno.writeTextFile(home.database, "junk".repeat(1000));
  const r = await runCli(home, ["sources", "list"]);
  assertEquals(r.code, 1);
  assertEquals(r.stderr.trim().split("\n").length, 1);
  assertStringIncludes(r.stderr, `${home.database}: is not a SQLite database`);
  assertEquals(await Deno.readTextFile(home.database), "junk".repeat(1000));
});

Deno.test("a database path that is a folder says so (not 'check it is writable')", async () => {
  await using home = await tempHome();
  await Deno.mkdir(home.database, { recursive: true });
  const r = await runCli(home, ["select"]);
  assertEquals(r.code, 1);
  assertEquals(
    r.stderr.trim(),
    `varietal: ${home.database}: is a folder, not a database file; move it aside (varietal then creates a new database)`,
  );
});

Deno.test("a data dir that cannot be created gives one clear line", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(`${home.root}/blocker`, "");
  const r = await runCli(home, ["sources", "list"], {
    env: { XDG_DATA_HOME: `${home.root}/blocker` },
  });
  assertEquals(r.code, 1);
  assertStringIncludes(r.stderr, "cannot create the data folder");
});

Deno.test("a reader that closes the pipe early is no error, for text and --json alike", async () => {
  await using home = await tempHome();
  for (const args of [["sources", "list"], ["sources", "list", "--json"], ["history", "--json"]]) {
    const child = spawnCli(home, args);
    await child.stdout.cancel(); // closed long before the child starts writing
    const [stderr, status] = await Promise.all([
      new Response(child.stderr).text(),
      child.status,
    ]);
    assertEquals(status.code, 0, `${args.join(" ")}: ${stderr}`);
    assertEquals(stderr, "", args.join(" "));
  }
});

Deno.test("a standard output that cannot be written (/dev/full) is one line saying so, no trace", async () => {
  await using home = await tempHome();
  await Deno.mkdir(`${home.root}/w`);
  const run = (args: string[]) => runIntoFullDisk(home.env, args);
  for (const args of [["--help"], ["--version"], ["history", "--help"]]) {
    const r = await run(args);
    assertEquals(
      [r.code, r.stderr],
      [1, "varietal: cannot write to standard output (no space left on device)\n"],
      args.join(" "),
    );
  }
  // A command's own work was done: said, not taken for the database's disk being full.
  const added = await run(["sources", "add", `${home.root}/w`]);
  assertEquals(added.code, 1);
  assertStringIncludes(added.stderr, "cannot write to standard output (no space left on device)");
  assertStringIncludes(added.stderr, "the command's own work is done");
  const list = await runCli(home, ["sources", "list", "--json"]);
  assertEquals(list.json<{ path: string }[]>().map((x) => x.path), [`${home.root}/w`]);
});

Deno.test("a stderr that is gone does not change the exit code (a daemon's log line cannot end it)", async () => {
  await using home = await tempHome();
  await home.writeConfig("[daemon\n"); // `status` warns about it on stderr
  const child = spawnCli(home, ["status"]);
  await child.stderr.cancel(); // closed before the child writes its warning
  const [, status] = await Promise.all([new Response(child.stdout).text(), child.status]);
  assertEquals(status.code, 3, "not running, as with a stderr to write to");
});

Deno.test("failureOf() names a file the system refused first, and what to check", () => {
  const text = "Permission denied (os error 13): open '/w/it''s.png'";
  const want = "/w/it''s.png: permission denied (open); check the permissions of the file and " +
    "its folders (ls -l)";
  // Thrown here, or come from a decoding worker as a plain Error with the same text.
  for (const e of [new Deno.errors.PermissionDenied(text), new Error(text)]) {
    assertEquals(failureOf(e, "palette"), { message: want, exit: 1 });
  }
  assertEquals(failureOf(new Error("other"), "palette"), { message: "other", exit: 1 });
});

Deno.test("failureOf() names the file of the system's other refusals, with what to do", () => {
  const cases: [string, string][] = [
    [
      "No space left on device (os error 28): open '/c/kitty.conf'",
      "/c/kitty.conf: no space left on device (open); the disk is full: free some space and try again",
    ],
    [
      "Read-only file system (os error 30): rename '/c/a.tmp' -> '/c/a'",
      "/c/a.tmp: read-only file system (rename); that file system is mounted read-only: choose a " +
      "writable place or remount it",
    ],
  ];
  for (const [text, want] of cases) {
    assertEquals(failureOf(new Error(text), "next"), { message: want, exit: 1 });
  }
  // Without a path (a write to an open file) the text stays as Deno gives it.
  const bare = "No space left on device (os error 28)";
  assertEquals(failureOf(new Error(bare), "next"), { message: bare, exit: 1 });
});

Deno.test("an XDG_RUNTIME_DIR that is a file gives one line naming it and what to check", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(`${home.root}/runfile`, "");
  const r = await runCli(home, ["next", "--setter", "none"], {
    env: { XDG_RUNTIME_DIR: `${home.root}/runfile` },
  });
  assertEquals(r.code, 1);
  assertEquals(
    r.stderr.trim(),
    `varietal: ${home.root}/runfile/varietal: not a directory (mkdir); a part of the path is a ` +
      "file, not a folder: check the path (and the XDG_* variable it comes from)",
  );
});
