// Which files a theme apply writes: one writer per file.
import { assertEquals, assertStringIncludes } from "../_helpers/assert.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { type Config, DEFAULTS, type TemplateConfig } from "../../src/config/schema.ts";
import { themeJobs } from "../../src/theme/theme_jobs.ts";

const paths = resolvePaths((name) => (name === "HOME" ? "/home/me" : undefined));
const builtins = ["kitty.conf", "alacritty.toml"].map((file) => ({
  name: file.replace(/\..*/, ""),
  file,
  path: `/opt/varietal/templates/${file}`,
}));

function config(templates: Partial<TemplateConfig>[]): Config {
  return {
    ...DEFAULTS,
    theme: { ...DEFAULTS.theme, cache_builtins: true },
    templates: templates.map((t, i) => ({
      name: `t${i}`,
      template: "a.css",
      target: `~/out${i}.css`,
      syntax: null,
      hook: [],
      ...t,
    })),
    file: "",
    found: false,
  };
}

Deno.test("themeJobs refuses a second template writing the same file, however it is spelled", () => {
  const env = (k: string) => (k === "HOME" ? "/home/me" : undefined);
  const jobs = themeJobs(
    config([{ target: "~/x.css" }, { target: "/home/me/y.css" }, { target: "$HOME/x.css" }]),
    paths,
    [],
    env,
  );
  assertEquals(jobs.map((j) => j.targetError === undefined), [true, true, false]);
  assertStringIncludes(
    jobs[2].targetError!,
    "writes the same file as template 't0' (/home/me/x.css)",
  );
});

Deno.test("themeJobs leaves out a built-in whose cache file a configured template writes", () => {
  const jobs = themeJobs(
    config([{ target: "~/.cache/varietal/theme/kitty.conf" }]),
    paths,
    builtins,
    () => undefined,
  );
  assertEquals(jobs.map((j) => [j.name, j.target]), [
    ["t0", "/home/me/.cache/varietal/theme/kitty.conf"],
    ["builtin:alacritty", "/home/me/.cache/varietal/theme/alacritty.toml"],
  ]);
});
