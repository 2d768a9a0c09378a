/**
 * The `images` table.
 *
 * Times are milliseconds since the Unix epoch.
 *
 * @module
 */
import type { Database } from "./database.ts";
import { chunks, placeholders } from "./_chunk.ts";
import { clearDecodeFailureIfChanged, NOT_DECODE_FAILED } from "./decode_failures.ts";
import { deletePalette } from "./palettes.ts";

/** A row of `images`. */
export interface ImageRow {
  id: number;
  path: string;
  source_id: number;
  size: number;
  mtime: number;
  width: number;
  height: number;
  format: string;
  content_hash: string | null;
  times_shown: number;
  last_shown_at: number | null;
  favorite: boolean;
  banned: boolean;
  missing_since: number | null;
  indexed_at: number;
}

/** What the scanner knows of a file. */
export interface ImageFacts {
  path: string;
  source_id: number;
  size: number;
  mtime: number;
  width: number;
  height: number;
  format: string;
}

type Raw = Omit<ImageRow, "favorite" | "banned"> & { favorite: number; banned: number };

/** Converts a raw SQLite row to an {@linkcode ImageRow}. */
export function imageRow(r: Record<string, unknown>): ImageRow {
  const x = r as unknown as Raw;
  return { ...x, favorite: x.favorite === 1, banned: x.banned === 1 };
}

/** Finds an image by path. */
export function getImageByPath(db: Database, path: string): ImageRow | undefined {
  const r = db.prepare("SELECT * FROM images WHERE path = ?").get(path);
  return r ? imageRow(r) : undefined;
}

/** Finds an image by id. */
export function getImage(db: Database, id: number): ImageRow | undefined {
  const r = db.prepare("SELECT * FROM images WHERE id = ?").get(id);
  return r ? imageRow(r) : undefined;
}

/** Loads many images by id, in chunks; missing ids are absent from the map. */
export function getImages(db: Database, ids: readonly number[]): Map<number, ImageRow> {
  const out = new Map<number, ImageRow>();
  for (const part of chunks(ids)) {
    const rows = db.raw.prepare(
      `SELECT * FROM images WHERE id IN (${placeholders(part.length)})`,
    ).all(...part);
    for (const r of rows) {
      const img = imageRow(r);
      out.set(img.id, img);
    }
  }
  return out;
}

/** Deletes images by id (their palettes and history go with them). Returns rows deleted. */
export function deleteImages(db: Database, ids: readonly number[]): number {
  let n = 0;
  db.transaction(() => {
    for (const part of chunks(ids)) {
      n += Number(
        db.raw.prepare(`DELETE FROM images WHERE id IN (${placeholders(part.length)})`)
          .run(...part).changes,
      );
    }
  });
  return n;
}

/** Inserts a new image. Returns its id. */
export function insertImage(db: Database, f: ImageFacts, now: number): number {
  const r = db.prepare(
    `INSERT INTO images(path, source_id, size, mtime, width, height, format, indexed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(f.path, f.source_id, f.size, f.mtime, f.width, f.height, f.format, now);
  return Number(r.lastInsertRowid);
}

/**
 * Inserts a new image unless its path has a row already. Returns its id, or
 * undefined when another writer (a second scan, the daemon's rescan, a
 * `next --image`) indexed the path since the caller looked: that row is left
 * as it is.
 */
export function insertImageIfNew(db: Database, f: ImageFacts, now: number): number | undefined {
  const r = db.prepare(
    `INSERT INTO images(path, source_id, size, mtime, width, height, format, indexed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO NOTHING`,
  ).run(f.path, f.source_id, f.size, f.mtime, f.width, f.height, f.format, now);
  return r.changes === 0 ? undefined : Number(r.lastInsertRowid);
}

/**
 * Updates a changed file's facts; clears its hash and missing mark, its
 * decode-failure mark unless the file is the version that failed, and its
 * palette when the size or modification time changed (other bytes).
 */
export function updateImageFacts(db: Database, id: number, f: ImageFacts, now: number): void {
  const before = db.prepare("SELECT size, mtime FROM images WHERE id = ?").get(id) as
    | { size: number; mtime: number }
    | undefined;
  // Other bytes: the palette stored (and its Material scheme) is another picture's.
  if (before && (before.size !== f.size || before.mtime !== f.mtime)) deletePalette(db, id);
  db.prepare(
    `UPDATE images SET source_id = ?, size = ?, mtime = ?, width = ?, height = ?, format = ?,
       content_hash = NULL, missing_since = NULL, indexed_at = ? WHERE id = ?`,
  ).run(f.source_id, f.size, f.mtime, f.width, f.height, f.format, now, id);
  clearDecodeFailureIfChanged(db, id, f.size, f.mtime);
}

/** Marks images missing since `now` (only those not already marked). */
export function markMissing(db: Database, ids: readonly number[], now: number): void {
  for (const part of chunks(ids)) {
    db.raw.prepare(
      `UPDATE images SET missing_since = ? WHERE missing_since IS NULL AND id IN (${
        placeholders(part.length)
      })`,
    ).run(now, ...part);
  }
}

/** Clears the missing mark of images that are back. */
export function markPresent(db: Database, ids: readonly number[]): void {
  for (const part of chunks(ids)) {
    db.raw.prepare(
      `UPDATE images SET missing_since = NULL WHERE id IN (${placeholders(part.length)})`,
    ).run(...part);
  }
}

/** Sets or clears a flag column (`favorite` or `banned`). */
export function setImageFlag(
  db: Database,
  id: number,
  flag: "favorite" | "banned",
  value: boolean,
): void {
  db.prepare(`UPDATE images SET ${flag} = ? WHERE id = ?`).run(value ? 1 : 0, id);
}

/**
 * The folders (source ids) holding images under `folder` (a real path
 * without a trailing slash): a folder outside every source that a source
 * reaches through a symlink. One range lookup on the path index per holder.
 */
export function sourcesHolding(db: Database, folder: string): number[] {
  const ids: number[] = [];
  for (;;) {
    const row = db.prepare(
      `SELECT source_id FROM images WHERE path >= ? AND path < ?${
        ids.length ? ` AND source_id NOT IN (${ids.map(() => "?").join(", ")})` : ""
      } LIMIT 1`,
    ).get(`${folder}/`, `${folder}0`, ...ids) as { source_id: number } | undefined;
    if (!row) return ids;
    ids.push(row.source_id);
  }
}

/** Number of images in the collection. */
export function countImages(db: Database): number {
  return (db.raw.prepare("SELECT COUNT(*) AS n FROM images").get() as { n: number }).n;
}

/**
 * Number of images (not banned, not missing, not failed to decode) without a
 * palette, in the sources `sourceIds` when given: what colour constraints
 * leave out and `extract` would fill in. Reads every row; for hints, not for
 * the draw.
 */
export function countWithoutPalette(db: Database, sourceIds?: readonly number[]): number {
  if (sourceIds?.length === 0) return 0;
  const inSources = sourceIds ? ` AND source_id IN (${sourceIds.map(() => "?").join(",")})` : "";
  return (db.raw.prepare(
    `SELECT COUNT(*) AS n FROM images i
     WHERE banned = 0 AND missing_since IS NULL AND ${NOT_DECODE_FAILED}${inSources}
       AND NOT EXISTS (SELECT 1 FROM palettes p WHERE p.image_id = i.id)`,
  ).get(...(sourceIds ?? [])) as { n: number }).n;
}

/** Images (not missing) of the sources `sourceIds` that are banned, and that are not. */
export function countBans(
  db: Database,
  sourceIds?: readonly number[],
): { banned: number; unbanned: number } {
  if (sourceIds?.length === 0) return { banned: 0, unbanned: 0 };
  const inSources = sourceIds ? ` AND source_id IN (${sourceIds.map(() => "?").join(",")})` : "";
  const r = db.raw.prepare(
    `SELECT COALESCE(SUM(banned <> 0), 0) AS banned, COALESCE(SUM(banned = 0), 0) AS unbanned
     FROM images WHERE missing_since IS NULL${inSources}`,
  ).get(...(sourceIds ?? [])) as { banned: number; unbanned: number };
  return { banned: r.banned, unbanned: r.unbanned };
}

/**
 * Number of drawable-but-for-their-size images (not banned, not missing)
 * narrower or lower than `min`: what a minimum size leaves out, in the
 * sources `sourceIds` when given; 0 without a minimum. `also` narrows to the
 * images the other rules keep (columns of `images i` and, when it says so,
 * of their palette `p`), so that only what the size alone leaves out is
 * counted. Reads every row; for hints, not for the draw.
 */
export function countSmallerImages(
  db: Database,
  min: { width: number; height: number } | undefined,
  sourceIds?: readonly number[],
  also?: { sql: string; params: readonly (number | string)[]; palettes?: boolean },
): number {
  if (!min || (min.width <= 0 && min.height <= 0) || sourceIds?.length === 0) return 0;
  const { width, height } = min;
  const inSources = sourceIds ? ` AND i.source_id IN (${sourceIds.map(() => "?").join(",")})` : "";
  const join = also?.palettes ? " LEFT JOIN palettes p ON p.image_id = i.id" : "";
  return (db.raw.prepare(
    `SELECT COUNT(*) AS n FROM images i${join}
     WHERE (i.width < ? OR i.height < ?) AND i.banned = 0 AND i.missing_since IS NULL${inSources}
       AND (${also?.sql ?? "1"})`,
  ).get(width, height, ...(sourceIds ?? []), ...(also?.params ?? [])) as { n: number }).n;
}
