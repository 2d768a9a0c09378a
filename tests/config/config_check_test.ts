import { assert, assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { ConfigError, problemsOf } from "../../src/config/errors.ts";
import { runCli, tempHome } from "../_helpers/env.ts";

/** The problems a text has, as `file:line: key: detail` lines. */
function problems(text: string): string[] {
  try {
    parseConfig(text, "c.toml");
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return problemsOf(e).map((p) => p.message);
  }
  return [];
}

const BROKEN = [
  "[wallpaper]",
  'setter = "nonee"', // 2
  "[selection]",
  'min_width = "x"', // 4
  "recent_penalty = 7", // 5
  "[theme]",
  "bogus = 1", // 7
  "[[templates]]", // 8
  'name = "a"',
  "[[templates]]", // 10
  'name = "a"', // 11
  'template = "t"',
  'target = "/tmp/x"',
  "[[selection.time_rules]]", // 14
  'lightness = "dark"',
].join("\n");

Deno.test("parseConfig() names every problem of a file, each with its line, in the file's order", () => {
  assertEquals(problems(BROKEN), [
    'c.toml:2: wallpaper.setter: expected one of "auto", "none", "swww", "swaybg", "hyprpaper", ' +
    '"feh", "xwallpaper", "gnome", "kde", "xfce", "custom", got string "nonee"; did you mean "none"?',
    'c.toml:4: selection.min_width: expected a number, got string "x"',
    "c.toml:5: selection.recent_penalty: unknown key (known keys: image_cooldown, recency_exponent, " +
    "source_cooldown, source_memory, unseen_boost, times_shown_weight, favorite_boost, " +
    "similarity_strength, time_rules, follow_system, min_width, min_height, order)",
    "c.toml:7: theme.bogus: unknown key (known keys: enabled, terminal_sequences, hook_timeout, " +
    "alpha, cache_builtins, mode)",
    "c.toml:8: templates[0].template: is required",
    "c.toml:8: templates[0].target: is required",
    'c.toml:11: templates[1].name: "a" is already the name of templates[0]; give each entry its own name',
    "c.toml:14: selection.time_rules[0].from: is required (HH:MM; from = to means all day), " +
    'e.g. from = "20:00", to = "07:00"',
    "c.toml:14: selection.time_rules[0].to: is required (HH:MM; from = to means all day), " +
    'e.g. from = "20:00", to = "07:00"',
  ]);
  // One problem is thrown as itself (no count); a valid file has none.
  assertEquals(problems('[theme]\nenabled = "yes"\n'), [
    'c.toml:2: theme.enabled: expected true or false, got string "yes"',
  ]);
  assertEquals(problems("[theme]\nenabled = false\n"), []);
  // Cross-checks of a file whose values read: both named.
  assertEquals(
    problems('[daemon]\ngroup = "g"\n[[sources]]\npath = "/w"\n[[sources]]\npath = "/w/"\n'),
    [
      'c.toml:6: sources[1].path: "/w/" is the folder of sources[0] too; keep one entry for it',
      'c.toml:2: daemon.group: no group "g" in [groups] (none is defined)',
    ].sort((a, b) => Number(a.split(":")[1]) - Number(b.split(":")[1])),
  );
  // A wrong value elsewhere does not hide the checks across keys.
  assertEquals(
    problems(
      '[theme]\nenabled = "yes"\n[[sources]]\npath = "/a"\n[[sources]]\npath = "/a/"\n' +
        '[daemon]\ngroup = "nothere"\n',
    ).map((m) => m.split(": ").slice(0, 2).join(": ")),
    ["c.toml:2: theme.enabled", "c.toml:6: sources[1].path", "c.toml:8: daemon.group"],
  );
  // Remotes and groups: every wrong entry.
  assertEquals(
    problems(
      '[groups]\n"bad name" = ["/a"]\nempty = []\n' +
        '[[remote]]\nname = "x"\nkind = "wallhavn"\n[[remote]]\nname = "y"\nkind = "bing"\n' +
        '[[remote]]\nname = "y"\nkind = "bing"\n',
    ).map((m) => m.split(": ").slice(0, 2).join(": ")),
    [
      'c.toml:2: groups."bad name"',
      "c.toml:3: groups.empty",
      "c.toml:6: remote[0].kind",
      "c.toml:11: remote[2].name",
    ].map((k) => k.replace('groups."bad name"', "groups.bad name")),
  );
});

Deno.test("a command names the first problem and how many more; config check lists them all", async () => {
  await using home = await tempHome();
  await home.writeConfig(BROKEN);
  const select = await runCli(home, ["select"]);
  assertEquals(select.code, 1);
  assertEquals(select.stderr.trim().split("\n").length, 1, select.stderr);
  assertStringIncludes(
    select.stderr,
    `${home.configFile}:2: wallpaper.setter: expected one of`,
  );
  assertStringIncludes(
    select.stderr,
    `did you mean "none"? (and 8 more problems: 'varietal config check' lists them all)\n`,
  );

  const check = await runCli(home, ["config", "check"]);
  assertEquals(check.code, 1, check.stderr);
  const lines = check.stdout.trim().split("\n");
  assertEquals(lines.length, 9);
  assertEquals(lines.map((l) => Number(l.slice(home.configFile.length + 1).split(":")[0])), [
    2,
    4,
    5,
    7,
    8,
    8,
    11,
    14,
    14,
  ]);
  const json = await runCli(home, ["config", "check", "--json"]);
  assertEquals(json.code, 1);
  const report = json.json<{
    file: string;
    found: boolean;
    ok: boolean;
    problems: { line: number | null; key: string; message: string }[];
  }>();
  assertEquals([report.file, report.found, report.ok], [home.configFile, true, false]);
  assertEquals(report.problems[1], {
    line: 4,
    key: "selection.min_width",
    message: 'expected a number, got string "x"',
  });

  // A TOML syntax error is one problem of the whole file (no key).
  await home.writeConfig("[theme\n");
  const syntax = (await runCli(home, ["config", "check", "--json"])).json<typeof report>();
  assertEquals(syntax.problems.length, 1);
  assertEquals(syntax.problems[0].key, "");
  assertEquals(syntax.problems[0].line, 1);
  assertStringIncludes(syntax.problems[0].message, "TOML syntax error");

  // A custom setter without a command that names the image: what next would stop at.
  await home.writeConfig('[wallpaper]\nsetter = "custom"\ncommand = ["feh", "--bg-fill"]\n');
  const custom = await runCli(home, ["config", "check"]);
  assertEquals(custom.code, 1);
  assertEquals(
    custom.stdout,
    `${home.configFile}:3: wallpaper.command: never names the image; put "{path}" in one of its ` +
      'arguments (e.g. ["feh", "{path}"])\n',
  );
  // Valid, and absent: exit 0.
  await home.writeConfig("[theme]\nenabled = false\n");
  const ok = await runCli(home, ["config", "check"]);
  assertEquals([ok.code, ok.stdout], [0, `${home.configFile}: ok\n`]);
  await Deno.remove(home.configFile);
  const none = await runCli(home, ["config", "check", "--json"]);
  assertEquals(none.code, 0);
  assertEquals(none.json(), { file: home.configFile, found: false, ok: true, problems: [] });
  // A VARIETAL_CONFIG that names no file is the problem.
  const chosen = `${home.root}/nowhere.toml`;
  const missing = await runCli(home, ["config", "check", "--json"], {
    env: { VARIETAL_CONFIG: chosen },
  });
  assertEquals(missing.code, 1);
  const m = missing.json<typeof report>();
  assertEquals([m.file, m.found, m.ok], [chosen, false, false]);
  assertStringIncludes(m.problems[0].message, "VARIETAL_CONFIG names it");
});

Deno.test("remote add names every wrong flag at once", async () => {
  await using home = await tempHome();
  const r = await runCli(home, [
    "remote",
    "add",
    "x",
    "--kind",
    "bing",
    "--min-width",
    "0",
    "--quota",
    "1KiB",
  ]);
  assertEquals(r.code, 2, r.stderr);
  assertEquals(r.stderr.trim().split("\n").length, 1);
  assertStringIncludes(r.stderr, "--quota: must be between");
  assertStringIncludes(r.stderr, "--min-width: expected a number between 1 and 100000");
  assert(!r.stderr.includes("config check"), r.stderr);
});

Deno.test("config check names an unset $VAR of a path beside a wrong value, each on its line", async () => {
  await using home = await tempHome();
  await home.writeConfig(
    [
      "[selection]",
      'min_width = "x"', // 2
      "[[sources]]",
      'path = "$VARIETAL_TEST_NOPE/walls"', // 4
      "[[sources]]",
      "path = 7", // 6: not text; its own problem, no variable's
      "[groups]",
      'work = ["$VARIETAL_TEST_NOPE2/x"]', // 8
    ].join("\n"),
  );
  const r = await runCli(home, ["config", "check"]);
  assertEquals(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split("\n").map((l) => l.replace(/^.*config\.toml:/, ""));
  assertEquals(lines, [
    '2: selection.min_width: expected a number, got string "x"',
    "4: sources[0].path: $VARIETAL_TEST_NOPE is not set; set it or write the path out",
    "6: sources[1].path: expected a string, got number 7",
    "8: groups.work[0]: $VARIETAL_TEST_NOPE2 is not set; set it or write the path out",
  ]);
});

Deno.test("a hook or custom command whose program is empty is a problem of the file, not of a later run", () => {
  assertEquals(
    problems(
      '[wallpaper]\nsetter = "custom"\ncommand = ["", "{path}"]\n' +
        '[[templates]]\ntemplate = "kitty"\ntarget = "/tmp/k.conf"\nhook = [""]\n',
    ),
    [
      "c.toml:3: wallpaper.command: the first word is the program to run and is empty; name it " +
      '(["prog", "arg"]) or use [] for none',
      "c.toml:7: templates[0].hook: the first word is the program to run and is empty; name it " +
      '(["prog", "arg"]) or use [] for none',
    ],
  );
  // No hook at all is fine, and setter_args are arguments, not a program.
  assertEquals(
    problems(
      '[wallpaper]\nsetter_args = [""]\n[[templates]]\ntemplate = "kitty"\ntarget = "/tmp/k"\nhook = []\n',
    ),
    [],
  );
});
