/**
 * Images that failed to decode (damaged, over the pixel limit, or too slow
 * to decode): the mark on `images` that keeps them out of every draw until
 * the file changes. The file's size and mtime at the failure say which
 * version failed; a scan that sees another version clears the mark.
 *
 * @module
 */
import type { Database } from "./database.ts";

/** A recorded decode failure. */
export interface DecodeFailure {
  /** When it failed (ms since the epoch). */
  at: number;
  /** The file's size and mtime (ms) when it failed. */
  size: number;
  mtime: number;
  /** Width × height when the image was refused as too large, else null. */
  pixels: number | null;
  /** Why, without the file name (e.g. "too large: 30000×30000 exceeds 150 megapixels"). */
  reason: string;
}

/** The SQL condition that keeps marked images out of a draw (`i` = images). */
export const NOT_DECODE_FAILED = "i.decode_failed_at IS NULL";

/** Marks an image as failed to decode (replacing an older mark). */
export function markDecodeFailed(db: Database, imageId: number, f: DecodeFailure): void {
  db.prepare(
    `UPDATE images SET decode_failed_at = ?, decode_failed_size = ?, decode_failed_mtime = ?,
       decode_failed_pixels = ?, decode_error = ? WHERE id = ?`,
  ).run(f.at, f.size, f.mtime, f.pixels, f.reason, imageId);
}

/** The mark of an image, if it has one. */
export function getDecodeFailure(db: Database, imageId: number): DecodeFailure | undefined {
  const r = db.prepare(
    `SELECT decode_failed_at AS at, decode_failed_size AS size, decode_failed_mtime AS mtime,
       decode_failed_pixels AS pixels, decode_error AS reason
     FROM images WHERE id = ? AND decode_failed_at IS NOT NULL`,
  ).get(imageId) as DecodeFailure | undefined;
  return r ? { ...r, reason: r.reason ?? "" } : undefined;
}

/** Removes an image's mark (it decoded after all). */
export function clearDecodeFailure(db: Database, imageId: number): void {
  db.prepare(
    `UPDATE images SET decode_failed_at = NULL, decode_failed_size = NULL,
       decode_failed_mtime = NULL, decode_failed_pixels = NULL, decode_error = NULL
     WHERE id = ? AND decode_failed_at IS NOT NULL`,
  ).run(imageId);
}

/**
 * Removes the mark when the file is no longer the version that failed
 * (its size or mtime differ). Returns whether a mark was removed.
 */
export function clearDecodeFailureIfChanged(
  db: Database,
  imageId: number,
  size: number,
  mtime: number,
): boolean {
  return Number(
    db.prepare(
      `UPDATE images SET decode_failed_at = NULL, decode_failed_size = NULL,
         decode_failed_mtime = NULL, decode_failed_pixels = NULL, decode_error = NULL
       WHERE id = ? AND decode_failed_at IS NOT NULL
         AND (decode_failed_size IS NOT ? OR decode_failed_mtime IS NOT ?)`,
    ).run(imageId, size, mtime).changes,
  ) > 0;
}

/**
 * Removes the marks of images refused as too large that fit under
 * `maxPixels` (the limit was raised). Returns how many.
 */
export function clearFittingTooLarge(db: Database, maxPixels: number): number {
  return Number(
    db.prepare(
      `UPDATE images SET decode_failed_at = NULL, decode_failed_size = NULL,
         decode_failed_mtime = NULL, decode_failed_pixels = NULL, decode_error = NULL
       WHERE decode_failed_at IS NOT NULL AND decode_failed_pixels <= ?`,
    ).run(maxPixels).changes,
  );
}

/** Marked images, most recent failure first. */
export function listDecodeFailures(
  db: Database,
  limit = 100,
): (DecodeFailure & { id: number; path: string })[] {
  return db.prepare(
    `SELECT id, path, decode_failed_at AS at, decode_failed_size AS size,
       decode_failed_mtime AS mtime, decode_failed_pixels AS pixels,
       COALESCE(decode_error, '') AS reason
     FROM images INDEXED BY images_decode_failed WHERE decode_failed_at IS NOT NULL
     ORDER BY decode_failed_at DESC LIMIT ?`,
  ).all(limit) as unknown as (DecodeFailure & { id: number; path: string })[];
}
