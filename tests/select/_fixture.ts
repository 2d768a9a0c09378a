// Builds selection test collections directly through the src/db functions.
import { Database } from "../../src/db/database.ts";
import { addSource } from "../../src/db/sources.ts";
import { insertImage } from "../../src/db/images.ts";
import { savePalette } from "../../src/db/palettes.ts";
import type { PaletteRecord } from "../../src/palette/palette_record.ts";
import { type Config, defaultConfig, type SelectionConfig } from "../../src/config/schema.ts";

/** A fixed "now" for tests: 2026-01-15 12:00 local time. */
export const NOW = new Date(2026, 0, 15, 12, 0).getTime();
export const DAY = 86_400_000;

/** One image of a test collection. */
export interface Spec {
  source?: number;
  width?: number;
  height?: number;
  times_shown?: number;
  last_shown_at?: number | null;
  favorite?: boolean;
  banned?: boolean;
  missing?: boolean;
  palette?: Partial<PaletteRecord> | null;
  /** A subfolder of the source the image is in (e.g. "nature" for /w/s1/nature/3.jpg). */
  dir?: string;
}

/**
 * A palette with given summary figures. Unless given, `hue_shares` put half
 * of the picture in the 5° bucket of `avg_hue` (none for a grey palette);
 * pass `hue_shares: undefined` for figures from an older version.
 */
export function palette(p: Partial<PaletteRecord> = {}): PaletteRecord {
  const hue = "avg_hue" in p ? p.avg_hue : 210;
  return {
    hue_shares: hue === null || hue === undefined
      ? []
      : [{ hue: Math.floor(hue / 5) * 5, share: 0.5 }],
    origin: "builtin",
    variant: "dark16",
    background: "#101820",
    foreground: "#f0f0f0",
    cursor: "#f0f0f0",
    colors: Array.from({ length: 16 }, () => "#336699"),
    avg_hue: 210,
    avg_saturation: 0.4,
    avg_lightness: 0.3,
    temperature: -0.2,
    ...p,
  };
}

/**
 * Opens an in-memory database holding `specs` (paths /w/s<source>/[<dir>/]<index>.jpg,
 * sources 1…k enabled). Returns the database and the image ids in spec order.
 */
export async function collection(
  specs: readonly Spec[],
): Promise<{ db: Database; ids: number[]; sourceIds: Map<number, number> }> {
  const db = await Database.open(":memory:");
  const sourceIds = new Map<number, number>();
  const ids = db.transaction(() =>
    specs.map((s, i) => {
      const src = s.source ?? 1;
      let sid = sourceIds.get(src);
      if (sid === undefined) {
        sid = addSource(db, `/w/s${src}`, { now: NOW }).source.id;
        sourceIds.set(src, sid);
      }
      const id = insertImage(db, {
        path: `/w/s${src}/${s.dir ? `${s.dir}/` : ""}${i}.jpg`,
        source_id: sid,
        size: 1000,
        mtime: NOW,
        width: s.width ?? 1920,
        height: s.height ?? 1080,
        format: "jpeg",
      }, NOW);
      db.prepare(
        `UPDATE images SET times_shown = ?, last_shown_at = ?, favorite = ?, banned = ?,
           missing_since = ? WHERE id = ?`,
      ).run(
        s.times_shown ?? (s.last_shown_at ? 1 : 0),
        s.last_shown_at ?? null,
        s.favorite ? 1 : 0,
        s.banned ? 1 : 0,
        s.missing ? NOW - DAY : null,
        id,
      );
      if (s.palette) savePalette(db, id, palette(s.palette), NOW);
      return id;
    })
  );
  return { db, ids, sourceIds };
}

/** The default config with `[selection]` overrides. */
export function config(selection: Partial<SelectionConfig> = {}): Config {
  const c = defaultConfig();
  c.selection = { ...c.selection, ...selection };
  return c;
}

/** A file check that accepts every path (for collections without real files). */
export const allExist = () => "ok" as const;

/** A source check that finds every source online (their folders do not exist). */
export const allOnline = () => ({ online: true }) as const;

/** Chi-square statistic of observed counts against expected probabilities. */
export function chiSquare(observed: readonly number[], probs: readonly number[]): number {
  const n = observed.reduce((a, b) => a + b, 0);
  return observed.reduce((s, o, i) => s + (o - n * probs[i]) ** 2 / (n * probs[i]), 0);
}

/** Chi-square critical values at p = 0.001 by degrees of freedom. */
export const CHI2_999: Record<number, number> = {
  1: 10.83,
  2: 13.82,
  3: 16.27,
  4: 18.47,
  5: 20.52,
  7: 24.32,
};
