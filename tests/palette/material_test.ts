// Material source colours (matugen's pick), schemes from the library, storage, `palette --material`.
import { assert, assertEquals, assertMatch, assertNotEquals } from "../_helpers/assert.ts";
import {
  argbFromRgb,
  Cam16,
  type DynamicColor,
  Hct,
  hexFromArgb,
  MaterialDynamicColors,
  QuantizerCelebi,
  SchemeContent,
  SchemeTonalSpot,
  Score,
} from "@material/material-color-utilities";
import {
  seeded,
  sourceColorFromColors,
  sourceColorFromPixels,
} from "../../src/palette/material/source_color.ts";
import { materialScheme } from "../../src/palette/material/scheme.ts";
import { MATERIAL_ROLES, roleProperty } from "../../src/palette/material/roles.ts";
import { downscale } from "../../src/palette/downscale.ts";
import { paint, writeImage } from "../_helpers/images.ts";
import { runCli, tempHome } from "../_helpers/env.ts";
import { Database } from "../../src/db/database.ts";
import { MIGRATIONS } from "../../src/db/migrations.ts";
import { deletePalette, getPalette, savePalette } from "../../src/db/palettes.ts";
import { paletteFromPixels } from "../../src/palette/builtin.ts";

const DYN = MaterialDynamicColors as unknown as Record<string, DynamicColor>;

function pixelsOf(spec: Parameters<typeof paint>[0]) {
  const img = paint(spec);
  return { width: img.width, height: img.height, data: new Uint8Array(img.bitmap) };
}

Deno.test("sourceColorFromPixels() is matugen's pick: 112 px, Celebi 128, chroma ≥ 5, Score", () => {
  const px = pixelsOf({
    width: 640,
    height: 360,
    colors: [0x204080, 0xc05020, 0x808080, 0x30a040],
    noise: 40,
  });
  const small = downscale(px, 112);
  assertEquals([small.width, small.height], [112, 63]);
  const argbs: number[] = [];
  for (let i = 0; i < small.data.length; i += 4) {
    argbs.push(argbFromRgb(small.data[i], small.data[i + 1], small.data[i + 2]));
  }
  const ours = sourceColorFromPixels(px);
  // The same steps done with the library directly, from the same seed (the k-means'
  // start is random, and another start can rank another colour first).
  const counts = seeded(() => QuantizerCelebi.quantize(argbs, 128));
  const kept = new Map([...counts].filter(([c]) => Cam16.fromInt(c).chroma >= 5));
  const top = Score.score(kept)[0];
  assert(Math.abs(Hct.fromInt(top).hue - Hct.fromInt(parseInt(ours.source.slice(1), 16)).hue) < 10);
  assertEquals(ours.source, "#" + (top & 0xffffff).toString(16).padStart(6, "0"));
  // deterministic, whatever Math.random says
  for (let i = 0; i < 3; i++) assertEquals(sourceColorFromPixels(px), ours);
});

Deno.test("sourceColorFromPixels() of one colour is that colour; of greys, Google Blue", () => {
  const red = pixelsOf({ width: 64, height: 64, colors: [0xc82828] });
  assertEquals(sourceColorFromPixels(red).source, "#c82828");
  const grey = pixelsOf({ width: 64, height: 64, colors: [0x404040, 0xd0d0d0] });
  assertEquals(sourceColorFromPixels(grey).source, "#4285f4");
  // the mean tone: light image above 60, dark below
  assert(
    sourceColorFromPixels(pixelsOf({ width: 8, height: 8, colors: [0xf0f0e0] })).meanTone > 90,
  );
  assert(
    sourceColorFromPixels(pixelsOf({ width: 8, height: 8, colors: [0x101010] })).meanTone < 10,
  );
});

Deno.test("sourceColorFromColors() ranks a palette's colours", () => {
  assertEquals(sourceColorFromColors(["#808080", "#d03030", "#7f7f7f"]), "#d03030");
});

Deno.test("materialScheme() has every role, equal to the library, in both variants", () => {
  for (
    const [source, scheme, contrast] of [["#4285f4", "tonal-spot", 0], [
      "#6b6b2a",
      "content",
      0.5,
    ]] as const
  ) {
    const m = materialScheme(source, { scheme, contrast });
    const Cls = scheme === "content" ? SchemeContent : SchemeTonalSpot;
    assertEquals(Object.keys(m.light).length, 49);
    for (const dark of [false, true]) {
      const s = new Cls(Hct.fromInt(parseInt(source.slice(1), 16) | 0xff000000), dark, contrast);
      for (const role of MATERIAL_ROLES) {
        assertEquals(
          (dark ? m.dark : m.light)[role],
          hexFromArgb(DYN[roleProperty(role)].getArgb(s)),
          role,
        );
      }
    }
    assertNotEquals(m.light.primary, m.dark.primary);
  }
});

Deno.test("the source colour is stored with the palette (migration appended) and read back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const db = await Database.open(`${dir}/v.db`);
    assertEquals(db.userVersion, MIGRATIONS.length);
    db.raw.exec(`INSERT INTO sources(id, path, added_at) VALUES (1, '/w', 0)`);
    db.raw.exec(
      `INSERT INTO images(id, path, source_id, size, mtime, width, height, format, indexed_at)
      VALUES (1, '/w/a.png', 1, 1, 1, 1, 1, 'png', 0)`,
    );
    const { palette } = paletteFromPixels(
      pixelsOf({ width: 32, height: 32, colors: [0x336699, 0x101010] }),
    );
    savePalette(db, 1, { ...palette, source_color: "#336699", mean_tone: 33.5 });
    const back = getPalette(db, 1)!;
    assertEquals([back.source_color, back.mean_tone], ["#336699", 33.5]);
    savePalette(db, 1, palette); // a palette without one forgets the old source colour
    assertEquals(getPalette(db, 1)!.source_color, null);
    savePalette(db, 1, { ...palette, source_color: "#112233", mean_tone: 1 });
    deletePalette(db, 1);
    assertEquals(db.prepare("SELECT COUNT(*) AS n FROM palette_material").get()?.n, 0);
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("varietal palette IMG --material --json prints the source colour and every role", async () => {
  await using home = await tempHome();
  const img = await writeImage(`${home.root}/w/red.png`, {
    width: 200,
    height: 120,
    colors: [0xb03020, 0x202020],
  });
  const r = await runCli(home, ["palette", img, "--material", "--json"]);
  assertEquals(r.code, 0, r.stderr);
  const j = r.json<
    {
      source_color: string;
      scheme: string;
      light: Record<string, string>;
      dark: Record<string, string>;
    }
  >();
  assertMatch(j.source_color, /^#[0-9a-f]{6}$/);
  assertEquals(j.scheme, "tonal-spot");
  const s = new SchemeTonalSpot(
    Hct.fromInt(parseInt(j.source_color.slice(1), 16) | 0xff000000),
    true,
    0,
  );
  assertEquals(Object.keys(j.dark).length, 49);
  assertEquals(j.dark.primary, hexFromArgb(MaterialDynamicColors.primary.getArgb(s)));
  // --source-color overrides the image, --scheme and --contrast the config
  const o = await runCli(home, [
    "palette",
    img,
    "--material",
    "--source-color",
    "4285F4",
    "--scheme",
    "vibrant",
    "--contrast",
    "0.5",
    "--json",
  ]);
  assertEquals(o.code, 0, o.stderr);
  const oj = o.json<{ source_color: string; scheme: string; contrast: number }>();
  assertEquals([oj.source_color, oj.scheme, oj.contrast], ["#4285f4", "vibrant", 0.5]);
  const text = await runCli(home, ["palette", img, "--material"]);
  assertMatch(text.stdout, /source_color\s+#[0-9a-f]{6}/);
  assertMatch(text.stdout, /surface_container_highest\s+#[0-9a-f]{6}\s+#[0-9a-f]{6}/);
  const bad = await runCli(home, ["palette", img, "--material", "--source-color", "red"]);
  assertEquals(bad.code, 2);
  assertMatch(bad.stderr, /invalid value 'red' for --source-color/);
  const noMat = await runCli(home, ["palette", img, "--scheme", "vibrant"]);
  assertEquals(noMat.code, 2);
});
