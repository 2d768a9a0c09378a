// Real matugen templates from public dotfiles (tests/testdata/matugen/, with their licences)
// render in varietal with nothing of the template syntax left.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { TemplateCache } from "../../src/theme/template_cache.ts";
import { matugenVariables } from "../../src/theme/matugen_variables.ts";
import { materialScheme } from "../../src/palette/material/scheme.ts";
import type { MaterialSchemeName } from "../../src/config/choices.ts";

const CORPUS = new URL("../testdata/matugen/", import.meta.url).pathname;

async function corpusFiles(): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(CORPUS)) {
    if (e.isFile && !e.name.startsWith("LICENSE") && e.name !== "README.md") out.push(e.name);
  }
  return out.sort();
}

Deno.test("every matugen template of the corpus renders with no placeholder left", async () => {
  const files = await corpusFiles();
  assert(files.length >= 10, `only ${files.length} corpus files`);
  const cache = new TemplateCache();
  const runs: [string, MaterialSchemeName, "light" | "dark"][] = [
    ["#4285f4", "tonal-spot", "dark"],
    ["#b33b15", "vibrant", "light"],
    ["#2e4b2b", "monochrome", "dark"],
  ];
  for (const name of files) {
    // no syntax given: the file must be recognised as matugen
    const t = await cache.load(`${CORPUS}${name}`, { name });
    assertEquals(t.template.syntax, "matugen", name);
    for (const [source, scheme, mode] of runs) {
      const vars = matugenVariables(materialScheme(source, { scheme }), {
        mode,
        image: "/home/me/Pictures/forest.jpg",
      });
      const text = t.template.render(vars, { alpha: 100, include: t.include });
      assert(!/\{\{|\}\}|<\*|\*>/.test(text), `${name}: placeholder left`);
      assert(/#[0-9a-f]{6}|[0-9a-f]{6}/.test(text), `${name}: no colour`);
      if (name.endsWith(".json")) JSON.parse(text);
    }
  }
});

Deno.test("the corpus README names the origin and licence of every file", async () => {
  const readme = await Deno.readTextFile(`${CORPUS}README.md`);
  for (const name of await corpusFiles()) {
    const row = readme.split("\n").find((l) => l.startsWith(`| \`${name}\``));
    assert(row, `${name} is not listed in the README`);
    const licence = /`(LICENSE\.[\w-]+)`/.exec(row!)?.[1];
    assert(licence, `${name}: no licence file named`);
    await Deno.stat(`${CORPUS}${licence}`);
  }
});
