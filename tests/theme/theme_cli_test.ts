// `varietal theme list|apply|render` end to end, in a temporary home.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { Database } from "../../src/db/database.ts";
import { addSource } from "../../src/db/sources.ts";
import { insertImage } from "../../src/db/images.ts";
import { recordShows } from "../../src/db/history.ts";

const PYWAL = new URL("../testdata/pywal/", import.meta.url).pathname;

Deno.test("varietal theme list --json shows built-ins and configured templates", async () => {
  await using home = await tempHome();
  await home.writeConfig(`
[[templates]]
name = "bar"
template = "bar.css"
target = "~/.config/waybar/colors.css"
hook = ["pkill", "-SIGUSR2", "waybar"]
`);
  const r = await runCli(home, ["theme", "list", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const j = r.json<{ builtins: { name: string }[]; configured: Record<string, unknown>[] }>();
  assertEquals(j.builtins.length, 21);
  assertEquals(j.configured[0].name, "bar");
  assertEquals(j.configured[0].target, `${home.home}/.config/waybar/colors.css`);
  const tplPath = `${home.env.XDG_CONFIG_HOME}/varietal/templates/bar.css`;
  assertEquals(j.configured[0].problem, `template not found (looked for ${tplPath})`);
  const text = await runCli(home, ["theme", "list"]);
  assertStringIncludes(text.stdout, "kitty");
  assertStringIncludes(text.stdout, "template not found");
  // A folder where the template should be is named as one (as apply and next say it).
  await Deno.mkdir(tplPath, { recursive: true });
  const folder = await runCli(home, ["theme", "list", "--json"]);
  assertEquals(
    folder.json<{ configured: { problem: string }[] }>().configured[0].problem,
    `template not found (looked for ${tplPath}; ${tplPath} is a folder)`,
  );
});

Deno.test("varietal theme list names a template that does not compile, and the syntax it guessed", async () => {
  await using home = await tempHome();
  const dir = `${home.env.XDG_CONFIG_HOME}/varietal/templates`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/bad.conf`, "ok\nx {{ background | lightn(1) }}\n");
  await Deno.writeTextFile(`${dir}/wal.css`, "x {color1}\n");
  await home.writeConfig(`
[[templates]]
template = "bad.conf"
target = "~/out/bad.conf"
[[templates]]
template = "wal.css"
target = "~/out/wal.css"
`);
  const r = await runCli(home, ["theme", "list", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const got = r.json<{ configured: Record<string, unknown>[] }>().configured
    .map((c) => [c.name, c.syntax, c.guessed_syntax, c.problem]);
  assertEquals(got, [
    ["bad.conf", null, "jinja", `${dir}/bad.conf:2:19: unknown filter 'lightn'`],
    ["wal.css", null, "pywal", null],
  ]);
  const text = await runCli(home, ["theme", "list"]);
  assertStringIncludes(text.stdout, "bad.conf:2:19: unknown filter 'lightn'");
  assertStringIncludes(text.stdout, "(pywal, guessed)");
});

Deno.test("theme list and doctor warn of a guessed template that writes pywal fields it will not fill", async () => {
  await using home = await tempHome();
  const dir = `${home.env.XDG_CONFIG_HOME}/varietal/templates`;
  await Deno.mkdir(dir, { recursive: true });
  // pywal's literal {background} beside a field: read as Jinja, {foreground} stays as it is.
  await Deno.writeTextFile(`${dir}/mixed.conf`, "bg={{background}}\nfg={foreground}\n");
  await Deno.writeTextFile(`${dir}/typo.conf`, "b {colr1}\n"); // no field pywal knows
  await Deno.writeTextFile(`${dir}/fine.sh`, 'bg="{{ background }}"; echo "${background}"\n');
  await home.writeConfig(
    ["mixed.conf", "typo.conf", "fine.sh"].map((t) =>
      `[[templates]]\ntemplate = "${t}"\ntarget = "~/out/${t}"\n`
    ).join("") + '[[templates]]\ntemplate = "typo.conf"\nsyntax = "jinja"\ntarget = "~/out/t2"\n',
  );
  const r = await runCli(home, ["theme", "list", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const warnings = r.json<{ configured: { warning: string | null }[] }>().configured
    .map((c) => c.warning);
  assertMatch(
    warnings[0]!,
    /mixed\.conf:2:4: '\{foreground\}' is pywal syntax, but the file is read as Jinja/,
  );
  assertStringIncludes(warnings[0]!, 'set syntax = "pywal"');
  assertMatch(warnings[1]!, /typo\.conf:1:3: '\{colr1\}' is no pywal field \(a typo\?\)/);
  assertEquals(warnings.slice(2), [null, null]); // a shell's ${background}; a syntax set
  const text = await runCli(home, ["theme", "list"]);
  assertStringIncludes(text.stdout, "    warning: ");
  const doctor = await runCli(home, ["doctor", "--json"]);
  const check = doctor.json<{ checks: { name: string; status: string; detail: string }[] }>()
    .checks.find((c) => c.name === "templates")!;
  assertEquals(check.status, "warn");
  assertStringIncludes(check.detail, "mixed.conf: ");
  assertStringIncludes(check.detail, "'{colr1}' is no pywal field");
});

Deno.test("varietal theme render prints a pywal template as pywal does, and a built-in", async () => {
  await using home = await tempHome();
  const r = await runCli(home, [
    "theme",
    "render",
    `${PYWAL}templates/colors.sh`,
    "--palette",
    `${PYWAL}colors.json`,
  ]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout.split("\n")[6], "foreground='#F5F1F4'");
  const k = await runCli(home, ["theme", "render", "kitty", "--palette", `${PYWAL}colors.json`]);
  assertStringIncludes(k.stdout, "color1 #4B7A85\n");
  const j = await runCli(home, [
    "theme",
    "render",
    "colors.sh",
    "--palette",
    `${PYWAL}colors.json`,
    "--json",
  ]);
  assertEquals(j.json<{ syntax: string }>().syntax, "jinja");
});

Deno.test("varietal theme render NAME renders the [[templates]] entry of that name first", async () => {
  await using home = await tempHome();
  // An entry named like a built-in, using another built-in's file and a pywal template elsewhere.
  await Deno.copyFile(`${PYWAL}templates/colors.sh`, `${home.root}/mine.sh`);
  await home.writeConfig(`
[[templates]]
name = "kitty"
template = "foot.ini"
target = "~/foot.ini"

[[templates]]
name = "shell"
template = "${home.root}/mine.sh"
syntax = "pywal"
target = "~/colors.sh"
`);
  const palette = ["--palette", `${PYWAL}colors.json`, "--json"];
  const kitty = await runCli(home, ["theme", "render", "kitty", ...palette]);
  assertEquals(kitty.code, 0, kitty.stderr);
  assertStringIncludes(kitty.json<{ template: string }>().template, "foot.ini");
  const shell = await runCli(home, ["theme", "render", "shell", ...palette]);
  assertEquals(shell.code, 0, shell.stderr);
  const out = shell.json<{ template: string; syntax: string; text: string }>();
  assertEquals([out.template, out.syntax], [`${home.root}/mine.sh`, "pywal"]);
  assertStringIncludes(out.text, "foreground='#F5F1F4'");
});

Deno.test("varietal theme render reports a broken template with file, line and column", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(`${home.home}/bad.conf`, "ok\n{{ color1 | lightn(2) }}\n");
  const r = await runCli(home, ["theme", "render", "bad.conf", "--palette", `${PYWAL}colors.json`]);
  assertEquals(r.code, 1);
  assertEquals(
    r.stderr.trim(),
    `varietal: ${home.home}/bad.conf:2:13: unknown filter 'lightn'`,
  );
  const u = await runCli(home, ["theme", "render", "kitty"]);
  assertEquals(u.code, 2);
  assertMatch(
    u.stderr,
    /give one of --palette FILE, --image IMAGE, --from-color HEX or --source-color HEX/,
  );
  const m = await runCli(home, ["theme", "render", "nope", "--palette", `${PYWAL}colors.json`]);
  assertEquals(m.code, 1);
  assertMatch(m.stderr, /template 'nope' not found/);
});

Deno.test("varietal theme apply --palette writes targets, runs hooks and reports failures", async () => {
  await using home = await tempHome();
  const tdir = `${home.env.XDG_CONFIG_HOME}/varietal/templates`;
  await Deno.mkdir(tdir, { recursive: true });
  await Deno.writeTextFile(`${tdir}/bar.css`, "@define-color bg {{ background }};\n");
  await Deno.writeTextFile(`${tdir}/broken.css`, "{% if %}");
  await home.writeConfig(`
[theme]
hook_timeout = "5s"

[[templates]]
template = "bar.css"
target = "~/out/bar.css"
hook = ["sh", "-c", "echo reloaded > $HOME/out/hook"]

[[templates]]
template = "broken.css"
target = "~/out/broken.css"
`);
  const r = await runCli(home, ["theme", "apply", "--palette", `${PYWAL}colors.json`, "--json"]);
  assertEquals(r.code, 1, "a failed template makes the exit code 1");
  const j = r.json<{ written: { name: string }[]; failed: { name: string; reason: string }[] }>();
  assertEquals(j.written.length, 22);
  assertEquals(j.failed.map((f) => f.name), ["broken.css"]);
  assertMatch(j.failed[0].reason, /broken\.css:1:/);
  // With --json too, each failure is a line on stderr, as next says it.
  assertMatch(r.stderr, /^varietal: theme: broken\.css: .*broken\.css:1:/m);
  const text = await runCli(home, ["theme", "apply", "--palette", `${PYWAL}colors.json`]);
  assertEquals(text.code, 1);
  assertMatch(text.stderr, /^varietal: theme: broken\.css: .*broken\.css:1:/m);
  assert(!text.stdout.includes("broken.css:1:"), "said once, on stderr");
  assertEquals(await Deno.readTextFile(`${home.home}/out/bar.css`), "@define-color bg #1F211E;\n");
  assertEquals((await Deno.readTextFile(`${home.home}/out/hook`)).trim(), "reloaded");
  assertStringIncludes(
    await Deno.readTextFile(`${home.env.XDG_CACHE_HOME}/varietal/theme/colors.sh`),
    "color1='#4B7A85'",
  );
});

Deno.test("varietal theme apply without arguments uses the last shown wallpaper's palette", async () => {
  await using home = await tempHome();
  const none = await runCli(home, ["theme", "apply"]);
  assertEquals(none.code, 1);
  assertMatch(none.stderr, /no wallpaper has been shown yet/);
  {
    using db = await Database.open(home.database);
    const { source } = addSource(db, "/walls");
    const id = insertImage(db, {
      path: "/walls/a.jpg",
      source_id: source.id,
      size: 1,
      mtime: 1,
      width: 10,
      height: 10,
      format: "jpeg",
    }, 1);
    recordShows(db, [{
      imageId: id,
      shownAt: 1000,
      palette: {
        origin: "builtin",
        variant: "dark16",
        background: "#0a0b0c",
        foreground: "#fafafa",
        cursor: "#fafafa",
        colors: Array.from({ length: 16 }, () => "#202020"),
        avg_hue: null,
        avg_saturation: 0,
        avg_lightness: 0.1,
        temperature: 0,
      },
    }]);
  }
  const r = await runCli(home, ["theme", "apply"]);
  assertEquals(r.code, 0, r.stderr);
  assertMatch(r.stdout, /21 written, 0 failed/);
  const sh = await Deno.readTextFile(`${home.env.XDG_CACHE_HOME}/varietal/theme/colors.sh`);
  assert(sh.includes("wallpaper='/walls/a.jpg'") && sh.includes("background='#0a0b0c'"));
});

Deno.test("varietal theme apply IMAGE and render --image extract the palette first", async () => {
  await using home = await tempHome();
  const { writeImage } = await import("../_helpers/images.ts");
  const img = await writeImage(`${home.home}/walls/stripes.png`, {
    width: 64,
    height: 48,
    colors: [0x102040, 0xd03030, 0x30a040, 0xe0e0e0],
  });
  await home.writeConfig(`[palette]\norigin = "builtin"\n`);
  const r = await runCli(home, ["theme", "apply", img, "--json"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.json<{ written: unknown[] }>().written.length, 21);
  const sh = await Deno.readTextFile(`${home.env.XDG_CACHE_HOME}/varietal/theme/colors.sh`);
  assert(sh.includes(`wallpaper='${img}'`));
  const bg = /^background='(#[0-9a-fA-F]{6})'$/m.exec(sh)?.[1];
  assert(bg, "colors.sh has a background");
  const k = await runCli(home, ["theme", "render", "kitty", "--image", img]);
  assertEquals(k.code, 0, k.stderr);
  assertStringIncludes(k.stdout, `background              ${bg}\n`);
  // Named from another folder by a winding relative path: the configs name it plainly.
  await Deno.mkdir(`${home.home}/elsewhere`);
  const winding = await runCli(home, ["theme", "apply", "../walls/./stripes.png"], {
    cwd: `${home.home}/elsewhere`,
  });
  assertEquals(winding.code, 0, winding.stderr);
  const again = await Deno.readTextFile(`${home.env.XDG_CACHE_HOME}/varietal/theme/colors.sh`);
  assert(
    again.includes(`wallpaper='${img}'`),
    again.split("\n").find((l) => l.startsWith("wallpaper")),
  );
  const missing = await runCli(home, ["theme", "apply", `${home.home}/nope.png`]);
  assertEquals(missing.code, 1);
  assertMatch(missing.stderr, /cannot read image .*nope\.png: no such file/);
  // A file that is no image: the extractor's one line, which names it once.
  await Deno.writeTextFile(`${home.home}/notes.png`, "just text");
  const text = await runCli(home, [
    "theme",
    "render",
    "kitty",
    "--image",
    `${home.home}/notes.png`,
  ]);
  assertEquals(text.code, 1);
  assertEquals(text.stderr.split(`${home.home}/notes.png`).length, 2, text.stderr);
  assertStringIncludes(text.stderr, "damaged PNG: its bytes are no image");
});

Deno.test("theme render takes the palette 'palette --json' printed, and names a template nested too deeply", async () => {
  await using home = await tempHome();
  const { writeImage, COLORS } = await import("../_helpers/images.ts");
  const img = await writeImage(`${home.home}/walls/teal.png`, {
    width: 32,
    height: 24,
    colors: [COLORS.blue, COLORS.green],
  });
  const printed = await runCli(home, ["palette", img, "--json"]);
  assertEquals(printed.code, 0, printed.stderr);
  const file = `${home.home}/teal.json`;
  await Deno.writeTextFile(file, printed.stdout);
  const p = printed.json<{ background: string; colors: string[] }>();
  const tpl = `${home.home}/t.conf`;
  await Deno.writeTextFile(tpl, "{{ background }} {{ color4 }} {{ wallpaper }}\n");
  const r = await runCli(home, ["theme", "render", tpl, "--palette", file]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout, `${p.background} ${p.colors[4]} ${img}\n`);
  // A list of 15 is no palette.
  await Deno.writeTextFile(file, JSON.stringify({ ...p, colors: p.colors.slice(1) }));
  const short = await runCli(home, ["theme", "render", tpl, "--palette", file]);
  assertEquals(short.code, 1);
  assertStringIncludes(short.stderr, '"colors" has 15 colours, expected 16');
  await Deno.writeTextFile(file, printed.stdout);
  for (
    const deep of [
      "{% if background %}".repeat(5000) + "x" + "{% endif %}".repeat(5000),
      "{{ " + "(".repeat(10000) + "background" + ")".repeat(10000) + " }}",
    ]
  ) {
    await Deno.writeTextFile(tpl, deep);
    const d = await runCli(home, ["theme", "render", tpl, "--palette", file]);
    assertEquals(d.code, 1, d.stderr);
    assertEquals(
      d.stderr.trim(),
      `varietal: ${tpl}:1:1: nested too deeply (blocks, parentheses or includes) to be read; simplify it`,
    );
  }
});

Deno.test("an error in an included template names the included file by its path", async () => {
  await using home = await tempHome();
  const dir = `${home.home}/tpl`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/main.conf`, 'bg {{ background }}\n{% include "part.inc" %}\n');
  await Deno.writeTextFile(`${dir}/part.inc`, "x {{ nope }}\n");
  const r = await runCli(home, [
    "theme",
    "render",
    `${dir}/main.conf`,
    "--palette",
    `${PYWAL}colors.json`,
  ]);
  assertEquals(r.code, 1, r.stderr);
  assertStringIncludes(r.stderr, `${dir}/part.inc:1:`);
  assertStringIncludes(r.stderr, "'nope'");
  // A template that is not UTF-8 says where, rather than rendering U+FFFD.
  await Deno.writeFile(`${dir}/latin1.conf`, new Uint8Array([0x61, 0x0a, 0x62, 0xe9, 0x0a]));
  const latin1 = await runCli(home, [
    "theme",
    "render",
    `${dir}/latin1.conf`,
    "--palette",
    `${PYWAL}colors.json`,
  ]);
  assertEquals(latin1.code, 1, latin1.stderr);
  assertStringIncludes(latin1.stderr, `${dir}/latin1.conf:2:1: is not UTF-8 text`);
  // (and an empty template prints nothing, not an empty line)
  await Deno.writeTextFile(`${dir}/empty.conf`, "");
  const empty = await runCli(home, [
    "theme",
    "render",
    `${dir}/empty.conf`,
    "--palette",
    `${PYWAL}colors.json`,
  ]);
  assertEquals([empty.code, empty.stdout], [0, ""], empty.stderr);
});

Deno.test("theme apply and render --from-color: a whole theme from one colour, no wallpaper needed", async () => {
  await using home = await tempHome();
  const tdir = `${home.env.XDG_CONFIG_HOME}/varietal/templates`;
  await Deno.mkdir(tdir, { recursive: true });
  await Deno.writeTextFile(
    `${tdir}/term.conf`,
    "{{ background }} {{ foreground }}{% for i in range(16) %} {{ colors[i] }}{% endfor %}\n",
  );
  await home.writeConfig(
    `[[templates]]\nname = "term"\ntemplate = "term.conf"\ntarget = "${home.home}/term.conf"\n`,
  );
  // Nothing shown yet, no database: the colour is enough.
  const r = await runCli(home, ["theme", "apply", "--from-color", "#4285F4", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const [bg, fg, ...colors] = (await Deno.readTextFile(`${home.home}/term.conf`)).trim().split(" ");
  assertEquals(colors.length, 16);
  assertEquals(colors[0], bg);
  assert(luminanceOf(bg) < 0.05 && luminanceOf(fg) > 0.6, `${bg} ${fg}: dark by default`);
  assertEquals(new Set(colors.slice(1, 7)).size, 6, "six distinct ANSI colours");
  // The Material roles come from the colour: primary of #4285f4 is a blue.
  const gtk = await runCli(home, ["theme", "render", "gtk4", "--from-color", "4285f4"]);
  assertEquals(gtk.code, 0, gtk.stderr);
  const accent = /@define-color accent_color (#[0-9a-f]{6});/.exec(gtk.stdout)![1];
  assert(blueish(accent), accent);
  // [theme] mode = "light": a light palette; render of a jinja template needs nothing else.
  await home.writeConfig(
    `[theme]\nmode = "light"\n[[templates]]\nname = "term"\ntemplate = "term.conf"\n` +
      `target = "${home.home}/term.conf"\n`,
  );
  const light = await runCli(home, ["theme", "render", "term", "--from-color", "#4285f4"]);
  assertEquals(light.code, 0, light.stderr);
  assert(luminanceOf(light.stdout.split(" ")[0]) > 0.8, light.stdout);
  // "auto" follows a palette; with a colour alone, [palette] variant says which.
  await home.writeConfig(
    `[theme]\nmode = "auto"\n[palette]\nvariant = "light16"\n[[templates]]\nname = "term"\n` +
      `template = "term.conf"\ntarget = "${home.home}/term.conf"\n`,
  );
  const auto = await runCli(home, ["theme", "render", "term", "--from-color", "#4285f4"]);
  assert(luminanceOf(auto.stdout.split(" ")[0]) > 0.8, auto.stdout);
  // One source of colours at a time.
  const both = await runCli(home, [
    "theme",
    "render",
    "term",
    "--from-color",
    "#123",
    "--image",
    "x",
  ]);
  assertEquals(both.code, 2);
  const twice = await runCli(home, [
    "theme",
    "apply",
    "--from-color",
    "#123456",
    "--source-color",
    "#654321",
  ]);
  assertEquals(twice.code, 2);
  assertStringIncludes(twice.stderr, "leave out --source-color");
  const bad = await runCli(home, ["theme", "apply", "--from-color", "blue"]);
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, "invalid value 'blue' for --from-color");
});

function rgbOf(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
}

function luminanceOf(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((c) => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function blueish(hex: string): boolean {
  const [r, g, b] = rgbOf(hex);
  return b > r && b > g;
}
