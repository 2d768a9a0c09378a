// Bad input: clear errors, nothing recorded.
import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { fixture, historyRows } from "./_fixture.ts";
import { spawnCli } from "../_helpers/env.ts";
import { DatabaseSync } from "node:sqlite";

async function rows(f: Awaited<ReturnType<typeof fixture>>): Promise<number> {
  using db = await f.openDb();
  return historyRows(db).length;
}

Deno.test("next --image refuses missing files, non-images and banned images", async () => {
  await using f = await fixture();
  const missing = await f.cli(["next", "--image", `${f.pics}/nope.png`]);
  assertEquals(missing.code, 1);
  assertStringIncludes(missing.stderr, "nope.png: no such file");
  const text = `${f.home.root}/notes.png`;
  await Deno.writeTextFile(text, "a text file with an image's name");
  const notImage = await f.cli(["next", "--image", text]);
  assertEquals(notImage.code, 1);
  assertStringIncludes(notImage.stderr, "notes.png: not an image varietal can show");
  // A cut-off file: one line in the user's words, not the parser's.
  const cut = `${f.home.root}/cut.jpg`;
  await Deno.writeFile(cut, new Uint8Array([0xff, 0xd8, 0xff]));
  const truncated = await f.cli(["next", "--image", cut]);
  assertEquals(truncated.code, 1);
  assertStringIncludes(truncated.stderr, "cut.jpg: not an image varietal can show: truncated");
  assert(!/DataView|bounds|\(not a/.test(truncated.stderr), truncated.stderr);
  assertEquals(truncated.stderr.trim().split("\n").length, 1, truncated.stderr);
  const folder = await f.cli(["next", "--image", f.pics]);
  assertEquals(folder.code, 1);
  assertStringIncludes(folder.stderr, "is a folder");
  const ban = await f.cli(["ban", f.images[1]]);
  assertEquals(ban.code, 0, ban.stderr);
  const banned = await f.cli(["next", "--image", f.images[1]]);
  assertEquals(banned.code, 1);
  assertStringIncludes(banned.stderr, "banned");
  assertEquals(await f.setterCalls(), []);
  assertEquals(await rows(f), 0);
});

Deno.test("next on an empty collection says how to fill it", async () => {
  // The fixture's folder is listed in config.toml and not scanned yet: scan it.
  await using f = await fixture({ noScan: true });
  const r = await f.cli(["next"]);
  assertEquals(r.code, 1);
  assertStringIncludes(
    r.stderr,
    "no image indexed yet: run 'varietal scan' (1 folder(s) added, not scanned)",
  );
  assertEquals(await f.setterCalls(), []);
  // No folder at all: add one, then scan.
  await Deno.writeTextFile(f.home.configFile, "");
  const none = await f.cli(["next", "--setter", "none"]);
  assertEquals(none.code, 1);
  assertStringIncludes(none.stderr, "the collection is empty; add a folder");
  assertStringIncludes(none.stderr, "varietal scan");
});

Deno.test("next with nothing qualifying says what limited the draw, as select does", async () => {
  await using f = await fixture();
  const r = await f.cli(["next", "--min-width", "5000"]);
  assertEquals(r.code, 1);
  assertStringIncludes(r.stderr, "no image qualifies (width ≥ 5000)");
  assertStringIncludes(r.stderr, `${f.images.length} image(s) are smaller than 5000 ×`);
  const s = await f.cli(["select", "--min-width", "5000"]);
  assertEquals(s.stderr, r.stderr);
  assertEquals(await f.setterCalls(), []);
  assertEquals(await rows(f), 0);
});

Deno.test("an unknown setter is a usage error; a missing setter program records nothing", async () => {
  await using f = await fixture();
  const unknown = await f.cli(["next", "--setter", "nosuch"]);
  assertEquals(unknown.code, 2);
  assertStringIncludes(unknown.stderr, "invalid value 'nosuch' for --setter");
  await f.home.writeConfig(
    (await Deno.readTextFile(f.home.configFile)).replace(
      /command = \[.*\]/,
      'command = ["/nonexistent/setwall", "{path}"]',
    ),
  );
  const missing = await f.cli(["next"]);
  assertEquals(missing.code, 1);
  assertStringIncludes(missing.stderr, "'/nonexistent/setwall' is not installed or not on PATH");
  assertStringIncludes(missing.stderr, "nothing was recorded");
  assertEquals(await rows(f), 0);
});

Deno.test("a failing setter aborts next with its stderr before anything is recorded", async () => {
  await using f = await fixture();
  const r = await f.cli(["next"], { SETTER_FAIL: "cannot reach the compositor" });
  assertEquals(r.code, 1);
  assertStringIncludes(r.stderr, "setter 'custom' failed");
  assertStringIncludes(r.stderr, "cannot reach the compositor");
  assertEquals(await rows(f), 0);
  using db = await f.openDb();
  const n = db.prepare("SELECT COUNT(*) AS n FROM palettes").get() as { n: number };
  assertEquals(n.n, 0);
  await Deno.stat(f.probe).then(() => {
    throw new Error("theme rendered after a failed setter");
  }, () => {});
});

Deno.test("a vanished template folder stops next before the setter runs", async () => {
  await using f = await fixture();
  await Deno.remove(`${f.home.env.XDG_CONFIG_HOME}/varietal/templates`, { recursive: true });
  const r = await f.cli(["next"]);
  assertEquals(r.code, 1);
  assertStringIncludes(r.stderr, "template 'probe'");
  assertStringIncludes(r.stderr, "not found");
  assertEquals(await f.setterCalls(), []);
  assertEquals(await rows(f), 0);
  const doctor = await f.cli(["doctor", "--json"]);
  assertEquals(doctor.code, 1);
  const checks = doctor.json<{ checks: { name: string; status: string }[] }>().checks;
  assertEquals(checks.find((c) => c.name === "templates")?.status, "error");
  const ok = await f.cli(["next", "--no-theme"]);
  assertEquals(ok.code, 0, ok.stderr);
});

Deno.test("bad flag values are usage errors", async () => {
  await using f = await fixture();
  for (
    const args of [
      ["next", "--wait", "soon"],
      ["next", "--image", f.images[0], "--dark"],
      ["history", "-n", "0"],
      ["history", "-n", "9223372036854775807"], // was SQLite's "datatype mismatch"
      ["daemon", "--interval", "0s"],
      ["prev", "--steps", "x"],
    ]
  ) {
    const r = await f.cli(args);
    assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
  }
});

Deno.test("a template that cannot be written is named; the show is kept and next exits 1", async () => {
  await using f = await fixture({
    config: '[[templates]]\nname = "broken"\ntemplate = "probe.txt"\ntarget = "/dev/null/x.txt"\n',
  });
  const r = await f.cli(["next"]);
  assertEquals(r.code, 1, r.stderr);
  assertStringIncludes(r.stderr, "varietal: theme: broken:");
  assertEquals(await rows(f), 1);
  assertEquals((await Deno.readTextFile(f.probe)).split("\n")[0], r.stdout.trim());
});

Deno.test("a failing hook is reported by name and next exits 1", async () => {
  await using f = await fixture({
    config: '[[templates]]\nname = "hooked"\ntemplate = "probe.txt"\n' +
      `target = "${"$"}{HOME}/hooked.txt"\nhook = ["sh", "-c", "echo reload failed >&2; exit 4"]\n`,
  });
  const r = await f.cli(["next"]);
  assertEquals(r.code, 1, r.stderr);
  assertStringIncludes(r.stderr, "varietal: theme: hook of hooked:");
  assertEquals(await rows(f), 1);
  // theme apply's summary counts it: "N written, 0 failed" with exit 1 would not add up.
  const apply = await f.cli(["theme", "apply"]);
  assertEquals(apply.code, 1, apply.stderr);
  assertStringIncludes(apply.stdout, "0 failed, 1 hook(s) failed in");
  // next --json reports the theme as theme apply --json does: one shape for a script to read.
  type Theme = { failed: unknown[]; hooks: { name: string; ok: boolean; reason?: string }[] };
  const next = await f.cli(["next", "--json"]);
  assertEquals(next.code, 1, next.stderr);
  const shown = next.json<{ theme: Theme }>().theme;
  const applied = (await f.cli(["theme", "apply", "--json"])).json<Theme>();
  assertEquals(shown.failed, []);
  assertEquals(shown.hooks.map((h) => [h.name, h.ok, h.reason]), [[
    "hooked",
    false,
    "exit code 4: reload failed",
  ]]);
  assertEquals(
    shown.hooks.map((h) => Object.keys(h).sort()),
    applied.hooks.map((h) => Object.keys(h).sort()),
  );
  assertEquals(Object.keys(shown).sort(), Object.keys(applied).sort());
});

Deno.test("a hook whose program is not installed is a warning: next and theme apply exit 0", async () => {
  // The README's sample kitty hook on a machine without kitty.
  await using f = await fixture({
    config: '[[templates]]\nname = "kitty"\ntemplate = "kitty.conf"\n' +
      `target = "${"$"}{HOME}/kitty.conf"\n` +
      'hook = ["varietal-test-no-such-kitty", "@", "set-colors", "-a", "~/kitty.conf"]\n',
  });
  const r = await f.cli(["next"]);
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(
    r.stderr,
    "varietal: warning: hook of kitty: not run: 'varietal-test-no-such-kitty' is not installed",
  );
  assert(!r.stderr.includes("varietal: theme:"), r.stderr);
  assertEquals(await rows(f), 1);
  const json = await f.cli(["next", "--json"]);
  assertEquals(json.code, 0);
  const out = json.json<{ warnings: string[]; theme: { failed: unknown[] } }>();
  assertEquals(out.theme.failed, []);
  assert(out.warnings.some((w) => w.includes("is not installed")), json.stdout);
  const apply = await f.cli(["theme", "apply"]);
  assertEquals(apply.code, 0, apply.stdout + apply.stderr);
  assertStringIncludes(apply.stderr, "varietal: warning: hook of ");
  assertStringIncludes(apply.stderr, "not installed");
});

Deno.test("a path Deno keeps from every program without --allow-all is one line naming it", async () => {
  await using f = await fixture();
  const backup = await f.cli(["backup", "/proc/varietal-test.db"]);
  assertEquals(backup.code, 1);
  assertEquals(
    backup.stderr.trim(),
    "varietal: /proc/varietal-test.db is a system file varietal may not touch (Deno allows that only with --allow-all); choose a path elsewhere",
  );
  assert(!backup.stderr.includes("run again"), backup.stderr);
});

Deno.test("Ctrl-C during the setter stops it and what it started, records nothing, exits 130", async () => {
  await using f = await fixture();
  const child = spawnCli(f.home, ["next", "--no-daemon", "--no-theme"], {
    env: { SETTER_SLEEP: "29" },
  });
  // Interrupt once the setter runs (it logs its call first).
  for (let i = 0; i < 200 && (await f.setterCalls()).length === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assertEquals((await f.setterCalls()).length, 1, "the setter started");
  child.kill("SIGINT");
  const { code, stderr } = await child.output();
  assertEquals(code, 130, new TextDecoder().decode(stderr));
  const ps = await new Deno.Command("ps", { args: ["-eo", "args="], stdout: "piped" }).output();
  const left = new TextDecoder().decode(ps.stdout).split("\n").filter((l) => l === "sleep 29");
  assertEquals(left, [], "the setter's sleep was stopped with it");
  assertEquals(await rows(f), 0);
});

Deno.test("Ctrl-C or SIGTERM while a theme hook runs stops it and exits 130 / 143; the show is recorded", async () => {
  for (const [signal, exit] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    await using f = await fixture();
    const marker = `${f.home.root}/hook-ran`;
    await Deno.writeTextFile(
      f.home.configFile,
      `hook = ["sh", "-c", "touch '${marker}'; exec sleep 37"]\n`,
      { append: true },
    );
    const text = await Deno.readTextFile(f.home.configFile);
    await Deno.writeTextFile(
      f.home.configFile,
      text.replace("[theme]\n", '[theme]\nhook_timeout = "60s"\n'),
    );
    const child = spawnCli(f.home, ["next", "--no-daemon"]);
    for (let i = 0; i < 300; i++) {
      if (await Deno.stat(marker).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill(signal);
    const { code, stderr } = await child.output();
    assertEquals(code, exit, new TextDecoder().decode(stderr));
    const ps = await new Deno.Command("ps", { args: ["-eo", "args="], stdout: "piped" }).output();
    const left = new TextDecoder().decode(ps.stdout).split("\n").filter((l) => l === "sleep 37");
    assertEquals(left, [], "the hook was stopped");
    assertEquals(await rows(f), 1, "the wallpaper was set and recorded before the hook");
  }
});

Deno.test("a FIFO or /dev/zero given as config, palette or template is refused at once", async () => {
  await using f = await fixture();
  const fifo = `${f.home.root}/fifo.toml`;
  const mk = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assert(mk.success, "mkfifo");
  const zero = `${f.home.root}/zero.conf`;
  await Deno.symlink("/dev/zero", zero);
  /** Runs the CLI, killed after 20 s (a hang or a read of /dev/zero would take that long). */
  const bounded = async (args: string[], env: Record<string, string> = {}) => {
    const child = spawnCli(f.home, args, { env, signal: AbortSignal.timeout(20_000) });
    const { code, stderr } = await child.output();
    return { code, stderr: new TextDecoder().decode(stderr) };
  };
  const config = await bounded(["config", "show"], { VARIETAL_CONFIG: fifo });
  assertEquals(config.code, 1, config.stderr);
  assertStringIncludes(config.stderr, `${fifo}: is not a regular file`);
  for (const palette of [fifo, zero]) {
    const r = await bounded(["theme", "render", "kitty", "--palette", palette]);
    assertEquals(r.code, 1, r.stderr);
    assertStringIncludes(r.stderr, "is not a regular file");
  }
  // A template that is a device stops next before anything changes.
  await Deno.symlink("/dev/zero", `${f.home.env.XDG_CONFIG_HOME}/varietal/templates/zero.tpl`);
  await Deno.writeTextFile(
    f.home.configFile,
    `\n[[templates]]\ntemplate = "zero.tpl"\ntarget = "${f.home.root}/zero.out"\n`,
    { append: true },
  );
  const next = await bounded(["next", "--no-daemon"]);
  assertEquals(next.code, 1, next.stderr);
  assertStringIncludes(next.stderr, "zero.tpl is not a regular file");
  assertEquals(await f.setterCalls(), []);
  assertEquals(await rows(f), 0);
});

Deno.test("two templates writing one file stop next before anything changes; theme list names it", async () => {
  // The same template rendered twice into one file, the path spelled two ways: each change
  // would write it twice, the second overwriting the first.
  await using f = await fixture({
    config: '[[templates]]\ntemplate = "probe.txt"\ntarget = "~/same.txt"\n' +
      '[[templates]]\ntemplate = "probe.txt"\ntarget = "$HOME/same.txt"\n',
  });
  const r = await f.cli(["next", "--no-daemon"]);
  assertEquals(r.code, 1, r.stderr);
  assertStringIncludes(
    r.stderr,
    `template 'probe.txt': writes the same file as template 'probe.txt' (${f.home.home}/same.txt)`,
  );
  assertStringIncludes(r.stderr, "nothing was changed");
  assertEquals(await f.setterCalls(), []);
  assertEquals(await rows(f), 0);
  const list = await f.cli(["theme", "list", "--json"]);
  assertEquals(list.code, 0, list.stderr);
  const j = list.json<{ configured: { target: string; problem: string | null }[] }>();
  assertEquals(j.configured.map((c) => c.target), [
    f.probe,
    ...Array(2).fill(`${f.home.home}/same.txt`),
  ]);
  assertEquals(j.configured[1].problem, null);
  assertStringIncludes(String(j.configured[2].problem), "writes the same file as template");
});

Deno.test("a target that is a template, a file in the templates folder or config.toml is refused", async () => {
  // rofi's colours rendered in place: the first change would replace the template with
  // its rendering, and its placeholders would be gone for good.
  const rofi = "~/.config/rofi/colors.rasi";
  await using f = await fixture({
    config: `[[templates]]\nname = "rofi"\ntemplate = "${rofi}"\ntarget = "${rofi}"\n` +
      '[[templates]]\nname = "inc"\ntemplate = "probe.txt"\n' +
      'target = "$XDG_CONFIG_HOME/varietal/templates/common.inc"\n' +
      '[[templates]]\nname = "cfg"\ntemplate = "probe.txt"\n' +
      'target = "$XDG_CONFIG_HOME/varietal/config.toml"\n' +
      '[[templates]]\nname = "probe-over"\ntemplate = "probe.txt"\n' +
      'target = "$XDG_CONFIG_HOME/varietal/templates/probe.txt"\n',
  });
  const tpl = `${f.home.home}/.config/rofi/colors.rasi`;
  await Deno.mkdir(`${f.home.home}/.config/rofi`, { recursive: true });
  await Deno.writeTextFile(tpl, "* { bg: {{ background }}; }\n");
  const config = await Deno.readTextFile(f.home.configFile);
  const list = await f.cli(["theme", "list", "--json"]);
  assertEquals(list.code, 0, list.stderr);
  const problems = list.json<{ configured: { name: string; problem: string | null }[] }>()
    .configured.map((c) => [c.name, c.problem]);
  assertEquals(problems[0], ["probe", null]);
  assertStringIncludes(String(problems[1][1]), "is the template of 'rofi'");
  assertStringIncludes(String(problems[2][1]), "in varietal's templates folder");
  assertStringIncludes(String(problems[3][1]), "is config.toml");
  assertStringIncludes(String(problems[4][1]), "is the template of 'probe'");
  const r = await f.cli(["next", "--no-daemon"]);
  assertEquals(r.code, 1, r.stderr);
  assertStringIncludes(r.stderr, "rendering would overwrite it");
  assertEquals(await f.setterCalls(), []);
  assertEquals(await Deno.readTextFile(tpl), "* { bg: {{ background }}; }\n");
  assertEquals(await Deno.readTextFile(f.home.configFile), config);
});

Deno.test("a target spelled with ./, .. or through a symlinked folder is the same file; a target ending in / is refused", async () => {
  await using f = await fixture({
    config: '[[templates]]\ntemplate = "probe.txt"\ntarget = "~/out/same.txt"\n' +
      '[[templates]]\ntemplate = "probe.txt"\ntarget = "~/out/./same.txt"\n' +
      '[[templates]]\ntemplate = "probe.txt"\ntarget = "~/outlink/same.txt"\n' +
      '[[templates]]\ntemplate = "probe.txt"\ntarget = "~/out/sub/../same.txt"\n' +
      '[[templates]]\ntemplate = "probe.txt"\ntarget = "~/out/slash/"\n',
  });
  await Deno.mkdir(`${f.home.home}/out`);
  await Deno.symlink(`${f.home.home}/out`, `${f.home.home}/outlink`);
  const list = await f.cli(["theme", "list", "--json"]);
  assertEquals(list.code, 0, list.stderr);
  const problems = list.json<{ configured: { problem: string | null }[] }>().configured
    .map((c) => c.problem);
  assertEquals(problems.slice(0, 2), [null, null]); // the probe and the first same.txt
  for (const p of problems.slice(2, 5)) {
    assertStringIncludes(String(p), "writes the same file as template 'probe.txt'");
  }
  assertStringIncludes(String(problems[5]), "ends in '/': name the file to write");
  const r = await f.cli(["next", "--no-daemon"]);
  assertEquals(r.code, 1, r.stderr);
  assertStringIncludes(r.stderr, "nothing was changed");
  assertEquals(await f.setterCalls(), []);
  assertEquals(await rows(f), 0);
  // Nothing was created for the folder-like target.
  assertEquals([...Deno.readDirSync(`${f.home.home}/out`)], []);
});

Deno.test("next while another program holds the database's write lock sets nothing and exits 75", async () => {
  await using f = await fixture();
  assertEquals((await f.cli(["next"])).code, 0);
  const calls = (await f.setterCalls()).length;
  // An open sqlite3 shell in a transaction, say.
  const other = new DatabaseSync(f.home.database);
  other.exec("BEGIN EXCLUSIVE");
  try {
    const r = await f.cli(["next", "--wait", "1s"]);
    assertEquals(r.code, 75, r.stderr);
    assertEquals(
      r.stderr,
      `varietal: ${f.home.database}: is locked by another program (an open sqlite3 shell or a ` +
        "backup?); nothing was changed. Close it and try again\n",
    );
    assertEquals((await f.setterCalls()).length, calls, "the setter did not run");
  } finally {
    other.exec("ROLLBACK");
    other.close();
  }
  assertEquals(await rows(f), 1);
  // Free again: the next one goes through.
  const after = await f.cli(["next"]);
  assertEquals(after.code, 0, after.stderr);
  assertEquals(await rows(f), 2);
});

Deno.test("a command that meets a database another program holds names the file and exits 75", async () => {
  await using f = await fixture();
  const other = new DatabaseSync(f.home.database);
  other.exec("BEGIN EXCLUSIVE");
  try {
    // `favorite` writes at once: it waits SQLite's busy timeout (10 s), then says so.
    const r = await f.cli(["favorite", f.images[0]]);
    assertEquals(r.code, 75, r.stderr);
    assertEquals(
      r.stderr,
      `varietal: ${f.home.database}: is locked by another program (an open sqlite3 shell or a ` +
        "backup?); the command stopped there. Close it and try again\n",
    );
  } finally {
    other.exec("ROLLBACK");
    other.close();
  }
});
