// [theme] mode: dark, light, auto (wallpaper tone > 60) and system (the desktop's preference),
// through the engine (matugen templates' `default`) and `theme render`.
import { assert, assertEquals, assertMatch } from "../_helpers/assert.ts";
import { autoMode, resolveMode } from "../../src/theme/mode.ts";
import { ThemeEngine } from "../../src/theme/engine.ts";
import type { ThemePalette } from "../../src/theme/render_inputs.ts";
import { defaultConfig } from "../../src/config/schema.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { materialScheme } from "../../src/palette/material/scheme.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { writeImage } from "../_helpers/images.ts";

Deno.test("autoMode() is light when the mean tone is above 60 (matugen's rule)", () => {
  assertEquals(autoMode({ mean_tone: 60.5, avg_lightness: 0 }), "light");
  assertEquals(autoMode({ mean_tone: 60, avg_lightness: 1 }), "dark");
  assertEquals(autoMode({ mean_tone: null, avg_lightness: 0.8 }), "light"); // no tone stored
});

Deno.test("resolveMode() asks the desktop only for system, and falls back to the wallpaper", async () => {
  let asked = 0;
  const desktop = (s: "light" | "dark" | null) => () => {
    asked++;
    return Promise.resolve(s ? { scheme: s, source: "test" } : null);
  };
  const p = { mean_tone: 80, avg_lightness: 0.8 };
  assertEquals(await resolveMode("dark", p, desktop("light")), { mode: "dark", from: "config" });
  assertEquals(await resolveMode("auto", p, desktop("dark")), { mode: "light", from: "wallpaper" });
  assertEquals(asked, 0);
  assertEquals(await resolveMode("system", p, desktop("dark")), { mode: "dark", from: "test" });
  assertEquals(await resolveMode("system", p, desktop(null)), { mode: "light", from: "wallpaper" });
});

function palette(meanTone: number): ThemePalette {
  return {
    origin: "builtin",
    variant: "dark16",
    background: "#101010",
    foreground: "#eeeeee",
    cursor: "#eeeeee",
    colors: Array.from({ length: 16 }, () => "#4285f4"),
    avg_hue: 217,
    avg_saturation: 0.9,
    avg_lightness: 0.5,
    temperature: -0.5,
    source_color: "#b33b15",
    mean_tone: meanTone,
  };
}

Deno.test("ThemeEngine renders matugen templates in the resolved mode", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const paths = resolvePaths((k) => (k === "HOME" ? dir : undefined));
    const builtinDir = `${dir}/builtin`;
    await Deno.mkdir(builtinDir);
    await Deno.writeTextFile(
      `${builtinDir}/gtk4.css`, // a Material built-in name: rendered as matugen
      "{{ mode }} {{ colors.primary.default.hex }} {{ colors.source_color.default.hex }}\n",
    );
    const scheme = materialScheme("#b33b15");
    let desktop: "light" | "dark" = "light";
    const run = async (mode: "dark" | "light" | "auto" | "system", tone: number) => {
      const config = defaultConfig();
      config.theme.mode = mode;
      const engine = new ThemeEngine({
        config,
        paths,
        builtinDir,
        colorScheme: () => Promise.resolve({ scheme: desktop, source: "test" }),
      });
      const report = await engine.apply(palette(tone), "/w/a.jpg");
      assertEquals(report.failed, []);
      return { text: await Deno.readTextFile(`${paths.cache}/theme/gtk4.css`), report };
    };
    assertEquals((await run("dark", 90)).text, `dark ${scheme.dark.primary} #b33b15\n`);
    assertEquals((await run("auto", 90)).text, `light ${scheme.light.primary} #b33b15\n`);
    assertEquals((await run("auto", 20)).text, `dark ${scheme.dark.primary} #b33b15\n`);
    const sys = await run("system", 20);
    assertEquals(sys.text, `light ${scheme.light.primary} #b33b15\n`);
    assertEquals(sys.report.mode, { mode: "light", from: "test" });
    desktop = "dark";
    assertEquals((await run("system", 90)).text, `dark ${scheme.dark.primary} #b33b15\n`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("theme render --syntax matugen follows a stand-in gsettings under mode = system", async () => {
  await using home = await tempHome();
  const bin = `${home.root}/bin`;
  await Deno.mkdir(bin);
  await Deno.writeTextFile(`${bin}/gsettings`, `#!/bin/sh\ncat "${home.root}/scheme"\n`);
  await Deno.chmod(`${bin}/gsettings`, 0o755);
  await Deno.writeTextFile(`${home.root}/scheme`, "'prefer-light'\n");
  await home.writeConfig(`[theme]\nmode = "system"\n`);
  const tpl = `${home.root}/t.txt`;
  await Deno.writeTextFile(tpl, "{{ mode }} {{ colors.surface.default.hex }}\n");
  const env = { PATH: `${bin}:/usr/bin:/bin` };
  const scheme = materialScheme("#4285f4");
  const light = await runCli(home, [
    "theme",
    "render",
    tpl,
    "--syntax",
    "matugen",
    "--source-color",
    "#4285f4",
  ], { env });
  assertEquals(light.code, 0, light.stderr);
  assertEquals(light.stdout, `light ${scheme.light.surface}\n`);
  await Deno.writeTextFile(`${home.root}/scheme`, "'prefer-dark'\n");
  const dark = await runCli(home, ["theme", "render", tpl, "--source-color", "#4285f4", "--json"], {
    env,
  });
  assertEquals(dark.json<{ syntax: string; text: string }>().text, `dark ${scheme.dark.surface}\n`);
  assertEquals(dark.json<{ syntax: string }>().syntax, "matugen");
  // a bad role is an error with file, line and column
  await Deno.writeTextFile(tpl, "ok\n{{ colors.primery.default.hex }}\n");
  const bad = await runCli(home, ["theme", "render", tpl, "--source-color", "#4285f4"], { env });
  assertEquals(bad.code, 1);
  assertMatch(bad.stderr, new RegExp(`${tpl}:2:11: unknown colour 'primery'`));
  assert(true);
});

Deno.test("mode = auto from a palette --json file is the picture's, as from --image; render prints the text as it is", async () => {
  await using home = await tempHome();
  await home.writeConfig(`[theme]\nmode = "auto"\n`);
  const light = `${home.root}/light.png`;
  await writeImage(light, { width: 64, height: 48, colors: [0xf4efe6] });
  const pal = await runCli(home, ["palette", light, "--json"]);
  assertEquals(pal.code, 0, pal.stderr);
  await Deno.writeTextFile(`${home.root}/p.json`, pal.stdout);
  const tpl = `${home.root}/m.txt`;
  await Deno.writeTextFile(tpl, "{{ mode }}"); // no newline at the end
  const fromImage = await runCli(home, [
    "theme",
    "render",
    tpl,
    "--syntax",
    "matugen",
    "--image",
    light,
  ]);
  assertEquals([fromImage.code, fromImage.stdout], [0, "light"], fromImage.stderr);
  const fromFile = await runCli(home, [
    "theme",
    "render",
    tpl,
    "--syntax",
    "matugen",
    "--palette",
    `${home.root}/p.json`,
  ]);
  assertEquals([fromFile.code, fromFile.stdout], [0, "light"], fromFile.stderr);
});
