/**
 * The `palettes` table: one palette per image. The record type itself is
 * {@linkcode PaletteRecord} in `src/palette/palette_record.ts`.
 *
 * @module
 */
import type { Database } from "./database.ts";
import { placeholders } from "./_chunk.ts";
import {
  HUE_BUCKET_DEGREES,
  hueBucket,
  hueMask,
  type HueShare,
  SHARE_UNITS,
  shareUnits,
} from "../palette/hue_ranges.ts";
import type { PaletteOrigin, PaletteRecord } from "../palette/palette_record.ts";
import type { PaletteSummary } from "../palette/summary.ts";

/** A stored palette with its image and time. */
export interface StoredPalette extends PaletteRecord {
  image_id: number;
  extracted_at: number;
  /**
   * Bit i set when named hue range i holds a real share of the picture
   * (`hueMask`); null when the figures are from an older version of
   * varietal and still need recomputing.
   */
  hue_mask: number | null;
}

/** A palette record without the stored extras (image id, time); the colours are copied. */
export function plainPalette(p: PaletteRecord): PaletteRecord {
  return {
    origin: p.origin,
    variant: p.variant,
    background: p.background,
    foreground: p.foreground,
    cursor: p.cursor,
    colors: [...p.colors],
    avg_hue: p.avg_hue,
    avg_saturation: p.avg_saturation,
    avg_lightness: p.avg_lightness,
    temperature: p.temperature,
    ...(p.source_color !== undefined ? { source_color: p.source_color } : {}),
    ...(p.mean_tone !== undefined ? { mean_tone: p.mean_tone } : {}),
    ...(p.hue_shares ? { hue_shares: p.hue_shares.map((h) => ({ ...h })) } : {}),
  };
}

const COLOR_COLUMNS = Array.from({ length: 16 }, (_, i) => `color${i}`);

function fromRow(r: Record<string, unknown>): StoredPalette {
  return {
    image_id: r.image_id as number,
    origin: r.origin as PaletteOrigin,
    variant: r.variant as string,
    background: r.background as string,
    foreground: r.foreground as string,
    cursor: r.cursor as string,
    colors: COLOR_COLUMNS.map((c) => r[c] as string),
    avg_hue: r.avg_hue as number | null,
    avg_saturation: r.avg_saturation as number,
    avg_lightness: r.avg_lightness as number,
    temperature: r.temperature as number,
    source_color: (r.source_color as string | null | undefined) ?? null,
    mean_tone: (r.mean_tone as number | null | undefined) ?? null,
    extracted_at: r.extracted_at as number,
    hue_mask: (r.hue_mask ?? null) as number | null,
  };
}

/** Palettes joined with their Material source colour (`palette_material`). */
const SELECT_PALETTES = `SELECT p.*, m.source_color, m.mean_tone FROM palettes p
  LEFT JOIN palette_material m ON m.image_id = p.image_id`;

/** Stores (or forgets) the Material source colour that goes with a palette. */
function saveMaterial(db: Database, imageId: number, p: PaletteRecord): void {
  if (p.source_color) {
    db.prepare(
      `INSERT OR REPLACE INTO palette_material(image_id, source_color, mean_tone) VALUES (?, ?, ?)`,
    ).run(imageId, p.source_color, p.mean_tone ?? null);
  } else db.prepare("DELETE FROM palette_material WHERE image_id = ?").run(imageId);
}

/** Replaces the hue share rows of a palette (none when `shares` is undefined). */
function writeHueShares(db: Database, imageId: number, shares: readonly HueShare[] | undefined) {
  db.prepare("DELETE FROM palette_hues WHERE image_id = ?").run(imageId);
  if (!shares) return;
  const units = new Map<number, number>();
  for (const s of shares) {
    const b = hueBucket(s.hue);
    units.set(b, (units.get(b) ?? 0) + shareUnits(s.share));
  }
  const insert = db.prepare("INSERT INTO palette_hues(image_id, bucket, share) VALUES (?, ?, ?)");
  for (const [b, u] of units) if (u > 0) insert.run(imageId, b, Math.min(u, SHARE_UNITS));
}

/**
 * Inserts or replaces the palette of an image, with its hue shares (one
 * transaction; joins the caller's).
 */
export function savePalette(
  db: Database,
  imageId: number,
  p: PaletteRecord,
  now = Date.now(),
): void {
  if (p.colors.length !== 16) {
    throw new RangeError(`A palette needs 16 colours, got ${p.colors.length}`);
  }
  db.transaction(() => {
    db.prepare(
      `INSERT OR REPLACE INTO palettes(image_id, origin, variant, background, foreground, cursor,
       ${
        COLOR_COLUMNS.join(", ")
      }, avg_hue, avg_saturation, avg_lightness, temperature, extracted_at, hue_mask)
     VALUES (${placeholders(6 + 16 + 6)})`,
    ).run(
      imageId,
      p.origin,
      p.variant,
      p.background,
      p.foreground,
      p.cursor,
      ...p.colors,
      p.avg_hue,
      p.avg_saturation,
      p.avg_lightness,
      p.temperature,
      now,
      p.hue_shares ? hueMask(p.hue_shares) : null,
    );
    writeHueShares(db, imageId, p.hue_shares);
    saveMaterial(db, imageId, p);
  });
}

/**
 * Replaces the figures of a stored palette (its colours stay): used when
 * figures from an older version are recomputed.
 *
 * @returns Whether the image had a palette.
 */
export function saveFigures(db: Database, imageId: number, f: PaletteSummary): boolean {
  return db.transaction(() => {
    const changed = db.prepare(
      `UPDATE palettes SET avg_hue = ?, avg_saturation = ?, avg_lightness = ?, temperature = ?,
         hue_mask = ? WHERE image_id = ?`,
    ).run(
      f.avg_hue,
      f.avg_saturation,
      f.avg_lightness,
      f.temperature,
      hueMask(f.hue_shares),
      imageId,
    ).changes;
    if (Number(changed) === 0) return false;
    writeHueShares(db, imageId, f.hue_shares);
    return true;
  });
}

/** The stored hue shares of a palette, by bucket (empty when none or not yet computed). */
export function getHueShares(db: Database, imageId: number): HueShare[] {
  return (db.prepare(
    "SELECT bucket, share FROM palette_hues WHERE image_id = ? ORDER BY bucket",
  ).all(imageId) as { bucket: number; share: number }[]).map((r) => ({
    hue: r.bucket * HUE_BUCKET_DEGREES,
    share: r.share / SHARE_UNITS,
  }));
}

/** How many stored palettes have figures from an older version (index-only). */
export function countPendingFigures(db: Database): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM palettes WHERE hue_mask IS NULL").get() as {
    n: number;
  }).n;
}

/** The palette of one image, if any. */
export function getPalette(db: Database, imageId: number): StoredPalette | undefined {
  const r = db.prepare(`${SELECT_PALETTES} WHERE p.image_id = ?`).get(imageId);
  return r ? fromRow(r) : undefined;
}

/** Deletes the palette of an image. */
export function deletePalette(db: Database, imageId: number): void {
  db.prepare("DELETE FROM palettes WHERE image_id = ?").run(imageId);
  db.prepare("DELETE FROM palette_material WHERE image_id = ?").run(imageId);
  db.prepare("DELETE FROM palette_schemes WHERE image_id = ?").run(imageId);
}
