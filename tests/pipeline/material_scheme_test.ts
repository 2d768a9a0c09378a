// The Material scheme of a palette is computed once — with a new palette, in the decoding
// thread — and stored beside it; later themes read it instead of computing it again.
import { assert, assertEquals } from "../_helpers/assert.ts";
import { fixture } from "./_fixture.ts";
import { getImageByPath } from "../../src/db/images.ts";
import { getPalette } from "../../src/db/palettes.ts";
import { getImageScheme, saveImageScheme } from "../../src/db/material_schemes.ts";
import { materialScheme as schemeOnly } from "../../src/palette/material/scheme.ts";
import { withStatusRoles } from "../../src/palette/material/status_roles.ts";
import type { MaterialScheme } from "../../src/palette/material/roles.ts";

/** A scheme as varietal keeps it: with its success and warning colours. */
const materialScheme = (source: string, options?: { contrast?: number }): MaterialScheme =>
  withStatusRoles(schemeOnly(source, options));

const MATUGEN = `
[[templates]]
name = "material"
template = "material.css"
syntax = "matugen"
target = "TARGET"
`;

Deno.test("next stores a new palette's Material scheme and later themes use the stored one", async () => {
  await using f = await fixture({ images: 2, config: MATUGEN });
  const target = `${f.home.root}/out/material.css`;
  await Deno.writeTextFile(
    f.home.configFile,
    (await Deno.readTextFile(f.home.configFile)).replace("TARGET", target),
  );
  await Deno.writeTextFile(
    `${f.home.env.XDG_CONFIG_HOME}/varietal/templates/material.css`,
    "{{ colors.primary.dark.hex }} {{ colors.surface.light.hex }} {{ colors.success.dark.hex }}\n",
  );
  const img = f.images[0];
  const show = async (args: string[] = []) => {
    const r = await f.cli(["next", "--image", img, ...args]);
    assertEquals(r.code, 0, r.stderr);
    return await Deno.readTextFile(target);
  };
  const first = await show();
  let id: number, source: string;
  {
    using db = await f.openDb();
    id = getImageByPath(db, img)!.id;
    source = getPalette(db, id)!.source_color!;
    const stored = getImageScheme(db, id, source, "tonal-spot", 0);
    assertEquals(stored, materialScheme(source), "stored with the new palette");
    assertEquals(
      first,
      `${stored!.dark.primary} ${stored!.light.surface} ${stored!.status!.dark.success}\n`,
    );
    // A stored scheme stands for the computed one, its status colours too: make them recognisable.
    saveImageScheme(db, id, {
      ...stored!,
      dark: { ...stored!.dark, primary: "#123456" },
      status: { ...stored!.status!, dark: { ...stored!.status!.dark, success: "#654321" } },
    });
  }
  assertEquals(await show(), `#123456 ${materialScheme(source).light.surface} #654321\n`);
  // Another contrast: computed (not the stored one), then stored in its place.
  await Deno.writeTextFile(
    f.home.configFile,
    (await Deno.readTextFile(f.home.configFile)) + "\n[material]\ncontrast = 0.5\n",
  );
  const other = materialScheme(source, { contrast: 0.5 });
  assertEquals(
    await show(),
    `${other.dark.primary} ${other.light.surface} ${other.status!.dark.success}\n`,
  );
  using db = await f.openDb();
  assertEquals(getImageScheme(db, id, source, "tonal-spot", 0.5), other);
  assertEquals(getImageScheme(db, id, source, "tonal-spot", 0), undefined, "replaced");
});

Deno.test("a stored palette without a scheme gets one at its next theme; --no-theme stores none", async () => {
  await using f = await fixture({ images: 2, config: MATUGEN.replace("TARGET", "~/m.css") });
  await Deno.writeTextFile(
    `${f.home.env.XDG_CONFIG_HOME}/varietal/templates/material.css`,
    "{{ colors.primary.default.hex }}\n",
  );
  const img = f.images[1];
  const r = await f.cli(["next", "--image", img, "--no-theme"]);
  assertEquals(r.code, 0, r.stderr);
  let id: number, source: string;
  {
    using db = await f.openDb();
    id = getImageByPath(db, img)!.id;
    source = getPalette(db, id)!.source_color!;
    assert(source);
    assertEquals(getImageScheme(db, id, source, "tonal-spot", 0), undefined);
  }
  const again = await f.cli(["next", "--image", img]);
  assertEquals(again.code, 0, again.stderr);
  using db = await f.openDb();
  assertEquals(getImageScheme(db, id, source, "tonal-spot", 0), materialScheme(source));
  assertEquals(
    await Deno.readTextFile(`${f.home.home}/m.css`),
    `${materialScheme(source).dark.primary}\n`,
  );
});

Deno.test("a scheme kept without status colours (an older varietal) is kept again with them", async () => {
  await using f = await fixture({ images: 1, config: MATUGEN.replace("TARGET", "~/m.css") });
  await Deno.writeTextFile(
    `${f.home.env.XDG_CONFIG_HOME}/varietal/templates/material.css`,
    "{{ colors.primary.dark.hex }} {{ colors.warning.light.hex }}\n",
  );
  const img = f.images[0];
  const first = await f.cli(["next", "--image", img]);
  assertEquals(first.code, 0, first.stderr);
  let id: number, source: string;
  {
    using db = await f.openDb();
    id = getImageByPath(db, img)!.id;
    source = getPalette(db, id)!.source_color!;
    const { status: _, ...old } = getImageScheme(db, id, source, "tonal-spot", 0)!;
    // As an older version stored it: roles only; recognisable, so its use shows.
    saveImageScheme(db, id, { ...old, dark: { ...old.dark, primary: "#123456" } });
    assertEquals(getImageScheme(db, id, source, "tonal-spot", 0)!.status, undefined);
  }
  const again = await f.cli(["next", "--image", img]);
  assertEquals(again.code, 0, again.stderr);
  using db = await f.openDb();
  const kept = getImageScheme(db, id, source, "tonal-spot", 0)!;
  assertEquals(kept.dark.primary, "#123456", "the kept roles, not computed again");
  assertEquals(kept.status, materialScheme(source).status);
  assertEquals(
    await Deno.readTextFile(`${f.home.home}/m.css`),
    `#123456 ${kept.status!.light.warning}\n`,
  );
});
