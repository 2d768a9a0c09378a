import { DatabaseSync } from "node:sqlite";
import { assert, assertEquals } from "../_helpers/assert.ts";
import { Database } from "../../src/db/database.ts";
import { MIGRATIONS } from "../../src/db/migrations.ts";
import { addSource } from "../../src/db/sources.ts";
import { insertImage } from "../../src/db/images.ts";
import {
  countPendingFigures,
  getHueShares,
  getPalette,
  saveFigures,
  savePalette,
} from "../../src/db/palettes.ts";
import type { PaletteRecord } from "../../src/palette/palette_record.ts";
import { readPaletteCells, recountPaletteCells } from "../../src/db/stats.ts";
import { collectionStats } from "../../src/stats/collection_stats.ts";
import { type Constraints, constraintSql, paletteSql } from "../../src/select/constraints.ts";
import { paletteIsFresh } from "../../src/pipeline/apply_show.ts";
import { defaultConfig } from "../../src/config/schema.ts";

const STEP = MIGRATIONS.findIndex((m) => m.name.startsWith("colour figures"));

const RECORD: PaletteRecord = {
  origin: "builtin",
  variant: "dark16",
  background: "#101010",
  foreground: "#eeeeee",
  cursor: "#eeeeee",
  colors: Array(16).fill("#e08020"),
  avg_hue: 30,
  avg_saturation: 0.8,
  avg_lightness: 0.6,
  temperature: 0.5,
  hue_shares: [{ hue: 30, share: 0.5 }, { hue: 210, share: 0.05 }],
};

function ids(db: Database, c: Constraints, narrow = false): number[] {
  const where = narrow ? paletteSql(c)! : constraintSql(c);
  const sql = narrow
    ? `SELECT p.image_id AS id FROM palettes p WHERE ${where.sql} ORDER BY 1`
    : `SELECT i.id FROM images i LEFT JOIN palettes p ON p.image_id = i.id WHERE ${where.sql}
       ORDER BY 1`;
  return (db.raw.prepare(sql).all(...where.params) as { id: number }[]).map((r) => r.id);
}

Deno.test("savePalette() stores hue shares and the named-range mask; saveFigures() replaces them", async () => {
  using db = await Database.open(":memory:");
  const src = addSource(db, "/w").source.id;
  const id = insertImage(db, {
    path: "/w/a.jpg",
    source_id: src,
    size: 1,
    mtime: 1,
    width: 1,
    height: 1,
    format: "jpeg",
  }, 1);
  savePalette(db, id, RECORD, 5);
  assertEquals(getPalette(db, id)?.hue_mask, 0b10, "orange only: blue holds 5 %");
  assertEquals(getHueShares(db, id), RECORD.hue_shares);
  savePalette(db, id, { ...RECORD, hue_shares: [{ hue: 100, share: 1 }] }, 6);
  assertEquals(getHueShares(db, id), [{ hue: 100, share: 1 }], "replaced, not added");
  assert(saveFigures(db, id, { ...RECORD, hue_shares: [] }));
  assertEquals([getPalette(db, id)?.hue_mask, getHueShares(db, id)], [0, []]);
  assertEquals(getPalette(db, id)?.colors, RECORD.colors, "colours kept");
  const { hue_shares: _, ...withoutShares } = RECORD;
  savePalette(db, id, withoutShares, 7);
  assertEquals(getPalette(db, id)?.hue_mask, null, "a record without shares is outdated");
  assertEquals(countPendingFigures(db), 1);
  savePalette(db, id, RECORD, 8);
  const rows = () =>
    (db.raw.prepare("SELECT COUNT(*) AS n FROM palette_hues").get() as { n: number }).n;
  assertEquals(rows(), 2);
  db.raw.exec("DELETE FROM images");
  assertEquals(rows(), 0, "deleting the image deletes its hue shares");
});

Deno.test("migration 'colour figures' keeps older palettes, marks their figures outdated and keeps the stats exact", async () => {
  assert(STEP >= 0, "the migration exists");
  const dir = await Deno.makeTempDir({ prefix: "varietal-migrate-" });
  try {
    const path = `${dir}/v.db`;
    {
      // A database of the version before: a white image stored with hue 55° and
      // saturation 1 (as the old HSL figures had it), and an orange one.
      const raw = new DatabaseSync(path);
      for (const m of MIGRATIONS.slice(0, STEP)) raw.exec(m.sql);
      raw.exec(`PRAGMA user_version = ${STEP}`);
      raw.exec(`INSERT INTO sources(id, path, added_at) VALUES (1, '/w', 1)`);
      const colors = Array.from({ length: 16 }, (_, i) => `'#${String(i).padStart(6, "0")}'`);
      for (const [id, hue, sat, light] of [[1, 55.47, 1, 1], [2, 30, 0.8, 0.6]]) {
        raw.exec(`INSERT INTO images(id, path, source_id, size, mtime, width, height, format,
          indexed_at) VALUES (${id}, '/w/${id}.png', 1, 1, 1, 1920, 1080, 'png', 1)`);
        raw.exec(`INSERT INTO palettes VALUES (${id}, 'builtin', 'dark16', '#101010', '#eeeeee',
          '#eeeeee', ${colors.join(", ")}, ${hue}, ${sat}, ${light}, 0.2, 10)`);
      }
      raw.close();
    }
    using db = await Database.open(path);
    assertEquals(db.userVersion, MIGRATIONS.length);
    assertEquals(getPalette(db, 1)?.colors[15], "#000015", "palettes are kept");
    assertEquals([getPalette(db, 1)?.hue_mask, getPalette(db, 2)?.hue_mask], [null, null]);
    assertEquals(countPendingFigures(db), 2);
    assertEquals(readPaletteCells(db), recountPaletteCells(db));
    const s = collectionStats(db, Date.now());
    assertEquals([s.hue.pending, s.hue.grey], [2, 0]);
    assertEquals(s.hue.bins.reduce((a, b) => a + b.count, 0), 0, "no hue claimed for them");
    assertEquals(s.saturation.buckets.reduce((a, b) => a + b.count, 0), 0);
    assertEquals(s.lightness.selection, { dark: 0, light: 2 }, "lightness still counts");
    // Selection: no hue or saturation match until recomputed; lightness still applies.
    for (const narrow of [false, true]) {
      assertEquals(ids(db, { hue: { from: 15, to: 45 } }, narrow), []);
      assertEquals(ids(db, { hue: { from: 40, to: 70 } }, narrow), []);
      assertEquals(ids(db, { minSaturation: 0.5 }, narrow), []);
      assertEquals(ids(db, { lightness: "light" }, narrow), [1, 2]);
    }
    assert(!paletteIsFresh(getPalette(db, 1), 0, defaultConfig()), "a show re-extracts it");
    // Recomputing fixes the grid and the constraints.
    saveFigures(db, 1, {
      avg_hue: null,
      avg_saturation: 0,
      avg_lightness: 1,
      temperature: 0,
      hue_shares: [],
    });
    saveFigures(db, 2, { ...RECORD, hue_shares: RECORD.hue_shares! });
    assertEquals(readPaletteCells(db), recountPaletteCells(db));
    assertEquals(ids(db, { hue: { from: 15, to: 45 } }), [2]);
    assertEquals(ids(db, { hue: { from: 20, to: 40 } }, true), [2]);
    assertEquals(ids(db, { minSaturation: 0.5 }), [2]);
    const t = collectionStats(db, Date.now() + 60_000);
    assertEquals([t.hue.pending, t.hue.grey, t.hue.bins[1].count], [0, 1, 1]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
