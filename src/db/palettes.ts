/**
 * The `palettes` table: one palette per image. The record type itself is
 * {@linkcode PaletteRecord} in `src/palette/palette_record.ts`.
 *
 * @module
 */
import type { Database } from "./database.ts";
import { placeholders } from "./_chunk.ts";
import type { PaletteOrigin, PaletteRecord } from "../palette/palette_record.ts";

/** A stored palette with its image and time. */
export interface StoredPalette extends PaletteRecord {
  image_id: number;
  extracted_at: number;
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

/** Inserts or replaces the palette of an image. */
export function savePalette(
  db: Database,
  imageId: number,
  p: PaletteRecord,
  now = Date.now(),
): void {
  if (p.colors.length !== 16) {
    throw new RangeError(`A palette needs 16 colours, got ${p.colors.length}`);
  }
  db.prepare(
    `INSERT OR REPLACE INTO palettes(image_id, origin, variant, background, foreground, cursor,
       ${
      COLOR_COLUMNS.join(", ")
    }, avg_hue, avg_saturation, avg_lightness, temperature, extracted_at)
     VALUES (${placeholders(6 + 16 + 5)})`,
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
  );
  saveMaterial(db, imageId, p);
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
}
