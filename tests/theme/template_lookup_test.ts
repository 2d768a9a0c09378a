// templateCandidates()/findTemplate()/loadTemplate(): the one way a template is found by name;
// renderInputs(): the one way it is rendered (engine and `theme render` agree).
import { assert, assertEquals, assertThrows } from "../_helpers/assert.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import {
  findTemplate,
  loadTemplate,
  templateCandidates,
  TemplateNotFoundError,
} from "../../src/theme/template_lookup.ts";
import { listBuiltins } from "../../src/theme/builtins.ts";
import { TemplateCache } from "../../src/theme/template_cache.ts";
import { TemplateError } from "../../src/theme/template_error.ts";
import { renderInputs, type ThemePalette } from "../../src/theme/render_inputs.ts";
import { ThemeEngine } from "../../src/theme/engine.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { resolvePaths } from "../../src/config/paths.ts";

const USER = "/home/u/.config/varietal/templates";
const KITTY = { name: "kitty", file: "kitty.conf", path: "/opt/t/kitty.conf" };
const GTK4 = { name: "gtk4", file: "gtk4.css", path: "/opt/t/gtk4.css" };

Deno.test("templateCandidates() tries the user's folder, then a built-in, for a config entry", () => {
  assertEquals(templateCandidates("kitty", USER, [KITTY, GTK4]), [
    { path: `${USER}/kitty`, root: USER },
    { path: KITTY.path, root: "/opt/t", builtin: true, syntax: "jinja" },
  ]);
  assertEquals(templateCandidates("kitty.conf", USER, [KITTY])[1].path, KITTY.path);
  assertEquals(templateCandidates("gtk4", USER, [KITTY, GTK4])[1].syntax, "matugen");
  assertEquals(templateCandidates("bar.css", USER, [KITTY]), [{
    path: `${USER}/bar.css`,
    root: USER,
  }]);
  // An absolute path is only itself; its includes stay relative to the user's folder.
  assertEquals(templateCandidates("/srv/x.css", USER, [KITTY]), [{
    path: "/srv/x.css",
    root: USER,
  }]);
});

Deno.test("templateCandidates() tries a command-line name as a path first", () => {
  assertEquals(templateCandidates("kitty", USER, [KITTY], { cwd: "/work" }), [
    { path: "/work/kitty", root: "/work" },
    { path: `${USER}/kitty`, root: USER },
    { path: KITTY.path, root: "/opt/t", builtin: true, syntax: "jinja" },
  ]);
  assertEquals(templateCandidates("/srv/a/x.css", USER, [], { cwd: "/work" }), [
    { path: "/srv/a/x.css", root: "/srv/a" },
  ]);
  assertEquals(templateCandidates(`${USER}/sub/x.css`, USER, [], { cwd: "/work" }), [
    { path: `${USER}/sub/x.css`, root: USER },
  ]);
  // Named in messages without the `./` it was given with.
  assertEquals(templateCandidates(".//./x.css", USER, [], { cwd: "/work" })[0], {
    path: "/work/x.css",
    root: "/work",
  });
});

Deno.test("loadTemplate() loads the first file, skips missing ones and folders, names what it looked for", async () => {
  const dir = await Deno.makeTempDir({ prefix: "varietal-lookup-" });
  try {
    await Deno.mkdir(`${dir}/user/kitty`, { recursive: true });
    await Deno.mkdir(`${dir}/builtin`);
    await Deno.writeTextFile(`${dir}/builtin/kitty.conf`, "bg {{ background }}");
    await Deno.writeTextFile(`${dir}/user/bad.conf`, "{{ nope | }}");
    const builtins = await listBuiltins(`${dir}/builtin`);
    const cache = new TemplateCache();
    const kitty = templateCandidates("kitty", `${dir}/user`, builtins);
    const t = await loadTemplate(cache, kitty, null);
    assertEquals(t.candidate.path, `${dir}/builtin/kitty.conf`);
    assertEquals(t.template.syntax, "jinja");
    assertEquals(findTemplate(kitty)?.path, `${dir}/builtin/kitty.conf`);

    const none = templateCandidates("none.conf", `${dir}/user`, builtins);
    const e = assertThrows(() => loadTemplate(cache, none, null), TemplateNotFoundError);
    assertEquals(e.message, `template not found (looked for ${dir}/user/none.conf)`);
    assertEquals(findTemplate(none), undefined);

    // A template that exists but does not compile is an error, not a reason to look further.
    const bad = [...templateCandidates("bad.conf", `${dir}/user`, []), ...kitty];
    assertThrows(() => loadTemplate(cache, bad, null), TemplateError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function palette(extra: Partial<ThemePalette> = {}): ThemePalette {
  return {
    origin: "builtin",
    variant: "dark16",
    background: "#101820",
    foreground: "#e0e0e0",
    cursor: "#e0e0e0",
    colors: Array.from({ length: 16 }, (_, i) => `#${(0x203040 + i * 0x050505).toString(16)}`),
    avg_hue: 210,
    avg_saturation: 0.3,
    avg_lightness: 0.2,
    temperature: -0.2,
    ...extra,
  };
}

const SETTINGS = {
  alpha: 85,
  style: "wallpaper" as const,
  material: {
    scheme: "tonal-spot" as const,
    contrast: 0,
    mode: "dark" as const,
    system: () => Promise.resolve(null),
  },
};

Deno.test("renderInputs() takes the palette's alpha and wallpaper over the settings'", async () => {
  const own = await renderInputs(palette({ alpha: 60, wallpaper: "/w/a.png" }), null, SETTINGS);
  assertEquals([own.alpha, own.wallpaper, own.vars.alpha, own.vars.wallpaper], [
    60,
    "/w/a.png",
    60,
    "/w/a.png",
  ]);
  const cfg = await renderInputs(palette({ wallpaper: "/w/a.png" }), "/w/b.png", SETTINGS);
  assertEquals([cfg.alpha, cfg.wallpaper], [85, "/w/b.png"]);
  const ansi = await renderInputs(palette(), null, { ...SETTINGS, style: "ansi" });
  assert(ansi.palette.colors[1] !== palette().colors[1], "the ansi style restyles colour 1");
  assertEquals(ansi.palette.background, palette().background);
});

Deno.test("theme render prints what the engine writes, with a pywal file's alpha", async () => {
  await using home = await tempHome();
  const tdir = `${home.env.XDG_CONFIG_HOME}/varietal/templates`;
  await Deno.mkdir(tdir, { recursive: true });
  await Deno.writeTextFile(
    `${tdir}/bar.css`,
    "{{ background | rgba }} {{ alpha }} {{ alpha_dec }} {{ wallpaper | basename }}\n",
  );
  const file = `${home.home}/colors.json`;
  const pywal = JSON.parse(
    await Deno.readTextFile(new URL("../testdata/pywal/colors.json", import.meta.url)),
  );
  await Deno.writeTextFile(file, JSON.stringify({ ...pywal, alpha: "70" }));
  const r = await runCli(home, ["theme", "render", "bar.css", "--palette", file]);
  assertEquals(r.code, 0, r.stderr);

  const { readPaletteFile } = await import("../../src/palette/palette_file.ts");
  const config = defaultConfig();
  config.theme.cache_builtins = false;
  config.templates = [{
    name: "bar",
    template: "bar.css",
    target: `${home.home}/out/bar.css`,
    syntax: null,
    hook: [],
  }];
  const paths = resolvePaths((k) => home.env[k]);
  const engine = new ThemeEngine({ config, paths, env: (k) => home.env[k] });
  const report = await engine.apply(await readPaletteFile(file), null);
  assertEquals(report.failed, []);
  const written = await Deno.readTextFile(`${home.home}/out/bar.css`);
  assertEquals(r.stdout, written);
  assert(written.includes(" 70 0.7 5.png"), written);
});
