// Snapshots of every built-in template rendered with pywal's test palette: a change to a
// built-in's output must be deliberate. Regenerate with UPDATE_SNAPSHOTS=1 deno task test tests/theme/.
import { assertEquals } from "../_helpers/assert.ts";
import { builtinSyntax, listBuiltins } from "../../src/theme/builtins.ts";
import { TemplateCache } from "../../src/theme/template_cache.ts";
import { templateVariables } from "../../src/theme/variables.ts";
import { readPaletteFile } from "../../src/palette/palette_file.ts";

const COMPAT = new URL("../testdata/pywal/colors.json", import.meta.url).pathname;
const SNAPSHOTS = new URL("./testdata/builtins/", import.meta.url).pathname;

Deno.test("built-in templates render as their snapshots", async () => {
  const palette = await readPaletteFile(COMPAT);
  const vars = templateVariables(palette, { wallpaper: "/walls/forest.jpg", alpha: 85 });
  const cache = new TemplateCache();
  const update = Deno.env.get("UPDATE_SNAPSHOTS") === "1";
  if (update) await Deno.mkdir(SNAPSHOTS, { recursive: true });
  // The Material built-ins (matugen syntax) are tested in matugen_builtins_test.ts.
  for (const b of (await listBuiltins()).filter((b) => builtinSyntax(b) === "jinja")) {
    const t = await cache.load(b.path, { syntax: "jinja", name: b.file });
    const text = t.template.render(vars, { alpha: 85, include: t.include });
    if (update) await Deno.writeTextFile(`${SNAPSHOTS}${b.file}.snap`, text);
    assertEquals(text, await Deno.readTextFile(`${SNAPSHOTS}${b.file}.snap`), b.file);
  }
});
