import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../_helpers/assert.ts";
import { loadConfig } from "../../src/config/load.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { ConfigError } from "../../src/config/errors.ts";
import { DEFAULTS } from "../../src/config/schema.ts";
import { loginRuntimeDir, resolvePaths } from "../../src/config/paths.ts";
import { parseDuration } from "../../src/config/duration.ts";
import { ROOT, runCli, tempHome } from "../_helpers/env.ts";

Deno.test("loadConfig() gives the defaults when the file does not exist", async () => {
  const cfg = await loadConfig("/nonexistent/varietal/config.toml");
  assertEquals(cfg.found, false);
  assertEquals(cfg.selection, DEFAULTS.selection);
  assertEquals(cfg.daemon.interval, 900);
});

Deno.test("parseConfig() fills defaults around the values given", () => {
  const cfg = parseConfig(
    `
[wallpaper]
setter = "custom"
command = ["my-setter", "--fill", "{path}"]

[daemon]
interval = "1h30m"

[[templates]]
template = "kitty.conf"
target = "~/.config/kitty/colors.conf"
hook = "pkill -USR1 kitty"

[[sources]]
path = "~/Pictures"
`,
    "c.toml",
  );
  assertEquals(cfg.wallpaper.setter, "custom");
  assertEquals(cfg.wallpaper.command, ["my-setter", "--fill", "{path}"]);
  assertEquals(cfg.wallpaper.timeout, 30);
  assertEquals(cfg.daemon.interval, 5400);
  assertEquals(cfg.templates[0].name, "kitty.conf");
  assertEquals(cfg.templates[0].hook, ["pkill", "-USR1", "kitty"]);
  assertEquals(cfg.sources, [{ path: "~/Pictures", recursive: true, enabled: true, order: null }]);
  assertEquals(cfg.palette, DEFAULTS.palette);
});

Deno.test("[daemon] rescan: an hour by default, 0 for never, at least a minute otherwise", () => {
  assertEquals(DEFAULTS.daemon.rescan, 3600);
  assertEquals(parseConfig('[daemon]\nrescan = "20m"\n', "c.toml").daemon.rescan, 1200);
  assertEquals(parseConfig("[daemon]\nrescan = 0\n", "c.toml").daemon.rescan, 0);
  assertEquals(parseConfig('[daemon]\nrescan = "0s"\n', "c.toml").daemon.rescan, 0);
  for (const bad of ['"30s"', "59", '"soon"']) {
    const e = assertThrows(
      () => parseConfig(`[daemon]\nrescan = ${bad}\n`, "/x/config.toml"),
      ConfigError,
    );
    assertEquals(e.key, "daemon.rescan", bad);
  }
});

Deno.test("parseConfig() names the file and key of a wrong type", () => {
  const e = assertThrows(
    () => parseConfig('[selection]\nunseen_boost = "lots"\n', "/x/config.toml"),
    ConfigError,
  );
  assertEquals(e.key, "selection.unseen_boost");
  assertStringIncludes(e.message, "/x/config.toml:2: selection.unseen_boost: expected a number");
});

Deno.test("[[sources]]: the same folder twice (however its end is written) is an error naming both", () => {
  const twice = assertThrows(
    () =>
      parseConfig(
        '[[sources]]\npath = "~/w"\nenabled = false\n[[sources]]\npath = "/x"\n' +
          '[[sources]]\npath = "~/w/"\n',
        "c.toml",
      ),
    ConfigError,
  );
  assertEquals(
    twice.message,
    'c.toml:7: sources[2].path: "~/w/" is the folder of sources[0] too; keep one entry for it',
  );
  assertEquals(
    parseConfig('[[sources]]\npath = "~/w"\n[[sources]]\npath = "~/w2"\n', "c").sources.length,
    2,
  );
});

Deno.test("[wallpaper] outputs: a name twice or an empty name is an error naming it", () => {
  // Twice, each change would set that screen twice and record two shows of it.
  const twice = assertThrows(
    () => parseConfig('[wallpaper]\noutputs = ["DP-1", "HDMI-A-1", "DP-1"]\n', "c.toml"),
    ConfigError,
  );
  assertEquals(
    twice.message,
    'c.toml:2: wallpaper.outputs[2]: "DP-1" is named twice; name each output once',
  );
  const empty = assertThrows(
    () => parseConfig('[wallpaper]\noutputs = [" "]\n', "c.toml"),
    ConfigError,
  );
  assertStringIncludes(empty.message, "wallpaper.outputs[0]: is empty");
  assertEquals(
    parseConfig('[wallpaper]\noutputs = ["DP-1", "DP-2"]\n', "c.toml").wallpaper.outputs,
    [
      "DP-1",
      "DP-2",
    ],
  );
});

Deno.test("parseConfig() rejects unknown keys and lists the known ones", () => {
  const e = assertThrows(() => parseConfig("[wallpaper]\nsettr = 'feh'\n", "c.toml"), ConfigError);
  assertStringIncludes(
    e.message,
    "wallpaper.settr: unknown key; did you mean 'setter'? (known keys: setter",
  );
  assertThrows(
    () => parseConfig("colour = 1\n", "c.toml"),
    ConfigError,
    "colour: unknown key (known keys:",
  );
  assertThrows(
    () => parseConfig("[selectoin]\n", "c.toml"),
    ConfigError,
    "selectoin: unknown key; did you mean 'selection'?",
  );
});

Deno.test("parseConfig() bounds the daemon's interval and history.keep_days", () => {
  for (const v of ["1e30", '"100000w"', '"367d"']) {
    assertThrows(
      () => parseConfig(`[daemon]\ninterval = ${v}\n`, "c"),
      ConfigError,
      'daemon.interval: must be at most "366d"',
    );
  }
  assertEquals(parseConfig('[daemon]\ninterval = "366d"\n', "c").daemon.interval, 366 * 86400);
  assertThrows(() => parseConfig("[history]\nkeep_days = 1e300\n", "c"), ConfigError, "keep_days");
  assertEquals(parseConfig("[history]\nkeep_days = 36500\n", "c").history.keep_days, 36500);
});

Deno.test("parseConfig() checks choices, ranges, durations and clock times", () => {
  assertThrows(
    () => parseConfig("[wallpaper]\nsetter = 'nitrogen'\n", "c"),
    ConfigError,
    'one of "auto"',
  );
  assertThrows(() => parseConfig("[theme]\nalpha = 140\n", "c"), ConfigError, "between 0 and 100");
  assertThrows(() => parseConfig("[daemon]\ninterval = 'soon'\n", "c"), ConfigError, "duration");
  assertThrows(
    () => parseConfig("[[selection.time_rules]]\nfrom='25:00'\nto='08:00'\n", "c"),
    ConfigError,
    "selection.time_rules[0].from",
  );
  // A rule missing from, to or lightness would quietly mean "until midnight" or "any".
  assertThrows(
    () => parseConfig("[[selection.time_rules]]\nfrom='20:00'\nlightness='dark'\n", "c"),
    ConfigError,
    "c:1: selection.time_rules[0].to: is required (HH:MM; from = to means all day)",
  );
  assertThrows(
    () => parseConfig("[[selection.time_rules]]\nfrom='20:00'\nto='07:00'\n", "c"),
    ConfigError,
    'selection.time_rules[0].lightness: is required ("light", "dark" or "any")',
  );
  assertEquals(
    parseConfig("[[selection.time_rules]]\nfrom='20:00'\nto='20:00'\nlightness='dark'\n", "c")
      .selection.time_rules,
    [{ from: "20:00", to: "20:00", lightness: "dark" }],
  );
  // TOML's own local times (unquoted) read as the same clock times.
  assertEquals(
    parseConfig("[[selection.time_rules]]\nfrom=18:00:00\nto=07:30\nlightness='dark'\n", "c")
      .selection.time_rules,
    [{ from: "18:00", to: "07:30", lightness: "dark" }],
  );
  assertThrows(
    () =>
      parseConfig(
        "[[templates]]\nname='a'\ntemplate='x'\ntarget='~/1'\n" +
          "[[templates]]\nname='a'\ntemplate='y'\ntarget='~/2'\n",
        "c",
      ),
    ConfigError,
    'templates[1].name: "a" is already the name of templates[0]; give each entry its own name',
  );
  // Names taken from the template file may repeat: one template written to two targets.
  assertEquals(
    parseConfig(
      "[[templates]]\ntemplate='kitty'\ntarget='~/1'\n" +
        "[[templates]]\ntemplate='kitty'\ntarget='~/2'\n",
      "c",
    ).templates.map((t) => t.name),
    ["kitty", "kitty"],
  );
  assertThrows(
    () => parseConfig("[[templates]]\ntemplate = 'a'\n", "c"),
    ConfigError,
    "templates[0].target: is required",
  );
  // TOML's inf and nan are named as TOML writes them (JSON would say null).
  assertThrows(
    () => parseConfig("[selection]\nfavorite_boost = inf\n", "c"),
    ConfigError,
    "selection.favorite_boost: expected a finite number, got number inf",
  );
  // An empty program name would fail on every image; turning wallust off has its own setting.
  assertThrows(
    () => parseConfig('[palette]\nwallust = " "\n', "c"),
    ConfigError,
    'palette.wallust: must name the wallust program; to not use wallust, set [palette] origin = "builtin"',
  );
  // A timeout of 0 s would stop every setter, hook, notification or wallust run at once.
  for (
    const [table, key] of [
      ["wallpaper", "timeout"],
      ["palette", "wallust_timeout"],
      ["palette", "decode_timeout"],
      ["theme", "hook_timeout"],
      ["notify", "timeout"],
    ]
  ) {
    assertThrows(
      () => parseConfig(`[${table}]\n${key} = "0s"\n`, "c"),
      ConfigError,
      `${table}.${key}: must be longer than 0s`,
    );
  }
});

Deno.test("parseConfig() reports TOML syntax errors with the file and line", () => {
  const e = assertThrows(
    () => parseConfig("[wallpaper\nsetter = 1\n", "/h/config.toml"),
    ConfigError,
  );
  // As every other problem: FILE:LINE: (the form editors jump to), and the line in --json.
  assertStringIncludes(e.message, "/h/config.toml:1: TOML syntax error at column ");
  assertEquals(e.line, 1);
  // A decimal comma (German, French keyboards) is named for what it is.
  for (const value of ["0,5", "1,25  # more"]) {
    const comma = assertThrows(
      () => parseConfig(`[selection]\nfavorite_boost = ${value}\n`, "/h/config.toml"),
      ConfigError,
    );
    assertStringIncludes(comma.message, "/h/config.toml:2: TOML syntax error");
    assertStringIncludes(comma.message, "(decimals are written with '.': 0.5)");
  }
  assert(!e.message.includes("decimals"), e.message);
});

Deno.test("resolvePaths() honours XDG variables and falls back to HOME", () => {
  const env: Record<string, string> = {
    HOME: "/home/u",
    XDG_CONFIG_HOME: "/cfg",
    XDG_RUNTIME_DIR: "/run/user/1",
  };
  const p = resolvePaths((k) => env[k]);
  assertEquals(p.configFile, "/cfg/varietal/config.toml");
  assertEquals(p.database, "/home/u/.local/share/varietal/varietal.db");
  assertEquals(p.cache, "/home/u/.cache/varietal");
  assertEquals(p.state, "/home/u/.local/state/varietal");
  assertEquals(p.runtime, "/run/user/1/varietal");
  // Relative XDG values are ignored, as the spec says.
  assertEquals(
    resolvePaths((k) => ({ HOME: "/h", XDG_DATA_HOME: "rel" } as Record<string, string>)[k]).data,
    "/h/.local/share/varietal",
  );
  assertEquals(
    resolvePaths((k) => ({ HOME: "/h" } as Record<string, string>)[k]).runtime,
    "/h/.local/state/varietal",
  );
  // A relative HOME would move the database with the working folder: refused, named.
  assertThrows(
    () => resolvePaths((k) => ({ HOME: "rel" } as Record<string, string>)[k]),
    Error,
    "HOME is not an absolute path (rel); set HOME (or all of XDG_CONFIG_HOME, XDG_CACHE_HOME, " +
      "XDG_DATA_HOME, XDG_STATE_HOME) to an absolute path",
  );
  // Without HOME, every folder variable still missing is named at once (not one per run).
  assertThrows(
    () =>
      resolvePaths((k) =>
        ({ XDG_CONFIG_HOME: "/c", XDG_DATA_HOME: "/d" } as Record<string, string>)[k]
      ),
    Error,
    "Cannot find a home directory: set HOME (or all of XDG_CACHE_HOME, XDG_STATE_HOME) to an " +
      "absolute path",
  );
  assertThrows(
    () =>
      resolvePaths((k) =>
        ({ XDG_CONFIG_HOME: "/c", XDG_DATA_HOME: "/d", XDG_CACHE_HOME: "/k" } as Record<
          string,
          string
        >)[k]
      ),
    Error,
    "set HOME (or XDG_STATE_HOME) to an absolute path",
  );
  // HOME=/ (and a trailing slash) without a doubled slash.
  assertEquals(
    resolvePaths((k) => ({ HOME: "/" } as Record<string, string>)[k]).database,
    "/.local/share/varietal/varietal.db",
  );
  assertEquals(
    resolvePaths((k) => ({ HOME: "/home/u/" } as Record<string, string>)[k]).cache,
    "/home/u/.cache/varietal",
  );
});

Deno.test("without XDG_RUNTIME_DIR the runtime folder is the login's, as the session's is", () => {
  const env = (k: string) => ({ HOME: "/h" } as Record<string, string>)[k];
  // A cron job or ssh shell has no XDG_RUNTIME_DIR: it must take the lock the
  // session's key bindings and daemon take, in logind's /run/user/UID.
  assertEquals(resolvePaths(env, () => "/run/user/7").runtime, "/run/user/7/varietal");
  assertEquals(resolvePaths(env, () => undefined).runtime, "/h/.local/state/varietal");
  // A set variable wins, and the login's folder is not even looked for.
  const set = (k: string) => ({ HOME: "/h", XDG_RUNTIME_DIR: "/r" } as Record<string, string>)[k];
  assertEquals(
    resolvePaths(set, () => {
      throw new Error("asked");
    }).runtime,
    "/r/varietal",
  );
});

Deno.test("loginRuntimeDir() takes /run/user/UID only as logind makes it: ours, a folder, 0700", async () => {
  const root = await Deno.makeTempDir();
  try {
    const mine = `${root}/${Deno.uid()}`;
    assertEquals(loginRuntimeDir(root), undefined, "none");
    await Deno.writeTextFile(mine, "");
    assertEquals(loginRuntimeDir(root), undefined, "a file");
    await Deno.remove(mine);
    await Deno.mkdir(mine);
    await Deno.chmod(mine, 0o755);
    assertEquals(loginRuntimeDir(root), undefined, "open to others");
    await Deno.chmod(mine, 0o700);
    assertEquals(loginRuntimeDir(root), mine);
    await Deno.remove(mine);
    await Deno.symlink(root, mine);
    assertEquals(loginRuntimeDir(root), undefined, "a link");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("parseDuration() reads units and rejects junk", () => {
  assertEquals(parseDuration("15m"), 900);
  assertEquals(parseDuration("1d2h"), 93600);
  assertEquals(parseDuration("250ms"), 0.25);
  assertEquals(parseDuration(42), 42);
  assertThrows(() => parseDuration("15 minutes"), SyntaxError);
  assertThrows(() => parseDuration("m"), SyntaxError);
});

Deno.test("varietal config show --json prints the effective config; a broken file exits 1 naming it", async () => {
  await using home = await tempHome();
  await home.writeConfig("[history]\nkeep_days = 30\n");
  const ok = await runCli(home, ["config", "show", "--json"]);
  assertEquals(ok.code, 0, ok.stderr);
  const cfg = ok.json<{ history: { keep_days: number }; found: boolean; file: string }>();
  assertEquals(cfg.history.keep_days, 30);
  assertEquals(cfg.found, true);
  assertEquals(cfg.file, home.configFile);

  const path = await runCli(home, ["config", "path"]);
  assertEquals(path.stdout.trim(), home.configFile);
  // --all lists what --all --json does (the data folder too).
  const all = await runCli(home, ["config", "path", "--all"]);
  const json = (await runCli(home, ["config", "path", "--all", "--json"])).json<
    Record<string, string>
  >();
  for (const [k, v] of Object.entries(json)) {
    assertStringIncludes(all.stdout, v, `${k} in the text`);
  }
  assertStringIncludes(all.stdout, `data         ${home.env.XDG_DATA_HOME}/varietal\n`);

  await home.writeConfig("[history\nkeep_days = 30\n");
  const bad = await runCli(home, ["config", "show"]);
  assertEquals(bad.code, 1);
  assertEquals(bad.stderr.trim().split("\n").length, 1);
  assertStringIncludes(bad.stderr, home.configFile);
  assertStringIncludes(bad.stderr, "TOML syntax error");
});

Deno.test("parseConfig() tells [sources] from [[sources]], and reads H:MM times", () => {
  for (const key of ["sources", "templates", "selection.time_rules"]) {
    const e = assertThrows(() => parseConfig(`[${key}]\npath = "/x"\n`, "c.toml"), ConfigError);
    assertStringIncludes(
      e.message,
      `${key}: expected an array of tables, got a table: write [[${key}]]`,
    );
  }
  const c = parseConfig(
    '[[selection.time_rules]]\nfrom = "8:00"\nto = "18:30"\nlightness = "light"\n',
    "c.toml",
  );
  assertEquals(c.selection.time_rules[0].from, "08:00");
  // A hook is a command: an array of strings or one string.
  const hook = assertThrows(
    () => parseConfig('[[templates]]\ntemplate = "a"\ntarget = "/b"\nhook = 5\n', "c.toml"),
    ConfigError,
  );
  assertStringIncludes(hook.message, "an array of strings");
  assertStringIncludes(hook.message, "or a string");
  assertThrows(
    () =>
      parseConfig('[[selection.time_rules]]\nfrom = "8:0"\nto = "9:00"\nlightness = "dark"\n', "c"),
    ConfigError,
    'expected a time "HH:MM"',
  );
});

Deno.test("loadConfig() refuses a folder in place of the file", async () => {
  await using home = await tempHome();
  await Deno.mkdir(home.configFile, { recursive: true });
  await assertRejects(() => loadConfig(home.configFile), ConfigError, "is a directory");
  assert(true);
});

Deno.test("parseConfig() reads [material], [palette] style, [theme] mode and follow_system", () => {
  const c = parseConfig(
    `[material]\nscheme = "vibrant"\ncontrast = -0.5\n[palette]\nstyle = "ansi"\n` +
      `[theme]\nmode = "system"\n[selection]\nfollow_system = true\n` +
      `[[templates]]\ntemplate = "gtk.css"\ntarget = "~/x"\nsyntax = "matugen"\n`,
    "c",
  );
  assertEquals(
    [c.material, c.palette.style, c.theme.mode, c.selection.follow_system, c.templates[0].syntax],
    [{ scheme: "vibrant", contrast: -0.5 }, "ansi", "system", true, "matugen"],
  );
  const d = parseConfig("", "c");
  assertEquals(
    [d.material, d.palette.style, d.theme.mode, d.selection.follow_system],
    [{ scheme: "tonal-spot", contrast: 0 }, "wallpaper", "dark", false],
  );
  assertThrows(
    () => parseConfig("[material]\ncontrast = 2\n", "c"),
    ConfigError,
    "material.contrast",
  );
  assertThrows(
    () => parseConfig("[material]\nscheme = 'tonal'\n", "c"),
    ConfigError,
    '"tonal-spot"',
  );
  assertThrows(() => parseConfig("[theme]\nmode = 'night'\n", "c"), ConfigError, "theme.mode");
  assertThrows(() => parseConfig("[palette]\nstyle = 'x'\n", "c"), ConfigError, "palette.style");
});

Deno.test("parseConfig() reads playlist settings: orders, [groups] and [daemon] group", () => {
  const c = parseConfig(
    `[selection]\norder = "shuffle"\n` +
      `[[sources]]\npath = "~/Comics"\norder = "sequential"\n` +
      `[groups]\nwork = ["~/Pictures/Work", "/usr/share/backgrounds"]\n"late-night" = ["~/Dark"]\n` +
      `[daemon]\ngroup = "work"\n`,
    "c",
  );
  assertEquals(c.selection.order, "shuffle");
  assertEquals(c.sources[0].order, "sequential");
  assertEquals(c.groups, {
    work: ["~/Pictures/Work", "/usr/share/backgrounds"],
    "late-night": ["~/Dark"],
  });
  assertEquals(c.daemon.group, "work");
  const d = parseConfig("", "c");
  assertEquals([d.selection.order, d.groups, d.daemon.group], ["smart", {}, null]);
  assertThrows(
    () => parseConfig("[selection]\norder = 'random'\n", "c"),
    ConfigError,
    "sequential",
  );
  assertThrows(
    () => parseConfig("[[sources]]\npath = '/x'\norder = 'alpha'\n", "c"),
    ConfigError,
    "sources[0].order",
  );
  assertThrows(() => parseConfig("[groups]\nwork = []\n", "c"), ConfigError, "groups.work");
  assertThrows(() => parseConfig("[groups]\nwork = '/x'\n", "c"), ConfigError, "groups.work");
  assertThrows(() => parseConfig('[groups]\n"a b" = ["/x"]\n', "c"), ConfigError, "groups.a b");
  const e = assertThrows(
    () => parseConfig("[groups]\nwork = ['/x']\nhome = ['/y']\n[daemon]\ngroup = 'play'\n", "c"),
    ConfigError,
  );
  assertEquals(e.key, "daemon.group");
  assertStringIncludes(e.message, "known: work, home");
});

Deno.test("varietal config show prints playlist settings back as valid TOML", async () => {
  await using home = await tempHome();
  await home.writeConfig(
    `[[sources]]\npath = "/x"\n[[sources]]\npath = "/y"\norder = "shuffle"\n[groups]\nwork = ["/x"]\n`,
  );
  const shown = await runCli(home, ["config", "show"]);
  assertEquals(shown.code, 0, shown.stderr);
  const again = parseConfig(shown.stdout, "shown");
  assertEquals(again.sources.map((s) => s.order), [null, "shuffle"]);
  assertEquals(again.groups, { work: ["/x"] });
  assertEquals(again.daemon.group, null);
  // No empty `templates = []` or `remote = []` above the first table.
  const lines = shown.stdout.split("\n").filter((l) => l && !l.startsWith("#"));
  assert(lines[0].startsWith("["), lines[0]);
  assert(!/^(templates|remote) = \[\]$/m.test(shown.stdout), shown.stdout);
});

Deno.test("a VARIETAL_CONFIG that does not exist is an error, not the defaults", async () => {
  await using home = await tempHome();
  const chosen = `${home.root}/typo/config.toml`;
  assertEquals(resolvePaths((k) => (k === "HOME" ? "/h" : undefined)).configChosen, undefined);
  assertEquals(
    resolvePaths((k) => ({ HOME: "/h", VARIETAL_CONFIG: chosen } as Record<string, string>)[k])
      .configChosen,
    true,
  );
  const show = await runCli(home, ["config", "show"], { env: { VARIETAL_CONFIG: chosen } });
  assertEquals(show.code, 1);
  assertEquals(
    show.stderr.trim(),
    `varietal: ${chosen}: does not exist, and VARIETAL_CONFIG names it; create it, or unset ` +
      "VARIETAL_CONFIG to use $XDG_CONFIG_HOME/varietal/config.toml",
  );
  const next = await runCli(home, ["next", "--no-daemon"], { env: { VARIETAL_CONFIG: chosen } });
  assertEquals(next.code, 1);
  assertStringIncludes(next.stderr, "VARIETAL_CONFIG names it");
  // config path still says where it would be; doctor reports it as the config's problem.
  const path = await runCli(home, ["config", "path"], { env: { VARIETAL_CONFIG: chosen } });
  assertEquals([path.code, path.stdout.trim()], [0, chosen]);
  const doctor = await runCli(home, ["doctor", "--json"], { env: { VARIETAL_CONFIG: chosen } });
  const checks = doctor.json<{ checks: { name: string; status: string; detail: string }[] }>();
  const config = checks.checks.find((c) => c.name === "config")!;
  assertEquals(config.status, "error");
  assertStringIncludes(config.detail, "VARIETAL_CONFIG names it");
  // Created, it is read.
  await Deno.mkdir(`${home.root}/typo`);
  await Deno.writeTextFile(chosen, "[daemon]\ninterval = 60\n");
  const ok = await runCli(home, ["config", "show", "--json"], { env: { VARIETAL_CONFIG: chosen } });
  assertEquals(ok.code, 0, ok.stderr);
  assertEquals(ok.json<{ daemon: { interval: number } }>().daemon.interval, 60);
});

Deno.test("$VARS in [[sources]], [groups] and api_key_file expand when config.toml is read", async () => {
  await using home = await tempHome();
  const walls = `${home.root}/walls dir`;
  await Deno.mkdir(`${walls}/a`, { recursive: true });
  await Deno.mkdir(`${home.home}/pics`);
  await home.writeConfig(`
[[sources]]
path = "\${WALLS}/a"

[[sources]]
path = "~/$SUB"
enabled = false

[groups]
work = ["$WALLS/a"]
`);
  const env = { WALLS: walls, SUB: "pics" };
  const show = await runCli(home, ["config", "show", "--json"], { env });
  assertEquals(show.code, 0, show.stderr);
  const j = show.json<{ sources: { path: string }[]; groups: Record<string, string[]> }>();
  assertEquals(j.sources.map((s) => s.path), [`${walls}/a`, "~/pics"]);
  assertEquals(j.groups.work, [`${walls}/a`]);
  const scan = await runCli(home, ["scan", "--json"], { env });
  assertEquals(scan.code, 0, scan.stderr + scan.stdout);
  const list = await runCli(home, ["sources", "list", "--json"], { env });
  assertStringIncludes(list.stdout, `${walls}/a`);
  // A variable that is not set is named with its key, not read as a folder called "$WALLS".
  const unset = await runCli(home, ["config", "show"], { env: { SUB: "pics" } });
  assertEquals(unset.code, 1);
  assertEquals(
    unset.stderr.trim(),
    `varietal: ${home.configFile}:3: sources[0].path: $WALLS is not set; set it or write the ` +
      "path out (and 1 more problem: 'varietal config check' lists them all)",
  );
  // Both uses of it are named.
  const check = await runCli(home, ["config", "check"], { env: { SUB: "pics" } });
  assertEquals(check.stdout.split("\n").filter(Boolean).map((l) => l.split(": ")[1]), [
    "sources[0].path",
    "groups.work[0]",
  ]);
  // What a shell would expand and this does not is said, not read as a folder of that name.
  for (
    const [path, env, why] of [
      ["${WALLS:-~/Pictures}", { WALLS: walls }, "only $NAME and ${NAME} are supported"],
      ["$EMPTY/walls", { EMPTY: "" }, "$EMPTY is empty; set it or write the path out"],
      ["~root/walls", {}, '"~root/walls": ~user is not supported; write the path out'],
    ] as const
  ) {
    await home.writeConfig(`[[sources]]\npath = "${path}"\n`);
    const r = await runCli(home, ["config", "show"], { env });
    assertEquals(r.code, 1, path);
    assertStringIncludes(r.stderr, `sources[0].path: `, path);
    assertStringIncludes(r.stderr, why, path);
  }
});

Deno.test("every TOML example in the README and docs/ is a valid config.toml", async () => {
  const files = ["README.md", ...[...Deno.readDirSync(`${ROOT}/docs`)].map((e) => `docs/${e.name}`)]
    .filter((f) => f.endsWith(".md"));
  let blocks = 0;
  for (const file of files) {
    const text = await Deno.readTextFile(`${ROOT}/${file}`);
    for (const m of text.matchAll(/^```toml\n([\s\S]*?)^```/gm)) {
      const line = text.slice(0, m.index).split("\n").length;
      try {
        parseConfig(m[1], `${file}:${line}`);
      } catch (e) {
        throw new Error(`${file}, the block at line ${line}: ${(e as Error).message}`);
      }
      blocks++;
    }
  }
  assert(blocks >= 5, `only ${blocks} TOML blocks found`);
});

Deno.test("a command counts a path's unset $VAR among the problems of a file with a wrong value", async () => {
  await using home = await tempHome();
  await home.writeConfig('[theme]\nenabled = "yes"\n[[sources]]\npath = "$VARIETAL_TEST_NOPE/x"\n');
  const r = await runCli(home, ["select"]);
  assertEquals(r.code, 1);
  assertEquals(
    r.stderr.trim(),
    `varietal: ${home.configFile}:2: theme.enabled: expected true or false, got string "yes" ` +
      "(and 1 more problem: 'varietal config check' lists them all)",
  );
  const check = await runCli(home, ["config", "check"]);
  assertEquals(check.stdout.trim().split("\n").length, 2, check.stdout);
});
