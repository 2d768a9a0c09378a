/**
 * The `history` table and recording a show.
 *
 * @module
 */
import type { Database } from "./database.ts";
import { savePalette } from "./palettes.ts";
import type { PaletteRecord } from "../palette/palette_record.ts";

/** A history entry joined with its image path. */
export interface HistoryEntry {
  id: number;
  image_id: number;
  path: string;
  shown_at: number;
  output: string | null;
}

/** One show to record. */
export interface ShowRecord {
  imageId: number;
  /** Milliseconds since the epoch. */
  shownAt: number;
  output?: string | null;
  /** The palette of this image, stored in the same transaction. */
  palette?: PaletteRecord | null;
}

/**
 * Records shows: history rows, image and source counters and palettes, all
 * in one transaction, so either everything lands or nothing does.
 *
 * @returns The new history ids.
 */
export function recordShows(db: Database, shows: readonly ShowRecord[]): number[] {
  return db.transaction(() =>
    shows.map((s) => {
      const id = Number(
        db.prepare("INSERT INTO history(image_id, shown_at, output) VALUES (?, ?, ?)")
          .run(s.imageId, s.shownAt, s.output ?? null).lastInsertRowid,
      );
      const changed = db.prepare(
        "UPDATE images SET times_shown = times_shown + 1, last_shown_at = ? WHERE id = ?",
      ).run(s.shownAt, s.imageId).changes;
      if (Number(changed) !== 1) {
        throw new Error(`Cannot record a show: image ${s.imageId} is not in the database`);
      }
      db.prepare(
        `UPDATE sources SET times_shown = times_shown + 1, last_shown_at = ?
         WHERE id = (SELECT source_id FROM images WHERE id = ?)`,
      ).run(s.shownAt, s.imageId);
      if (s.palette) savePalette(db, s.imageId, s.palette, s.shownAt);
      return id;
    })
  );
}

/**
 * The entries of the newest `limit` shows (after skipping `offset` shows),
 * newest first; a show on several outputs is one show of several entries, in
 * recorded order: the primary first.
 */
export function listHistory(db: Database, limit = 20, offset = 0): HistoryEntry[] {
  return db.prepare(
    `SELECT h.id, h.image_id, i.path, h.shown_at, h.output
     FROM history h JOIN images i ON i.id = h.image_id
     WHERE h.shown_at IN
       (SELECT DISTINCT shown_at FROM history ORDER BY shown_at DESC LIMIT ? OFFSET ?)
     ORDER BY h.shown_at DESC, h.id`,
  ).all(limit, offset) as unknown as HistoryEntry[];
}

/** The most recent show, if any (optionally for one output). */
export function lastShow(db: Database, output?: string): HistoryEntry | undefined {
  const sql = `SELECT h.id, h.image_id, i.path, h.shown_at, h.output
     FROM history h JOIN images i ON i.id = h.image_id
     ${output === undefined ? "" : "WHERE h.output IS ?"}
     ORDER BY h.shown_at DESC, h.id LIMIT 1`;
  const st = db.prepare(sql);
  return (output === undefined ? st.get() : st.get(output)) as HistoryEntry | undefined;
}

/**
 * The rows {@linkcode pruneHistory} deletes: older than a time, except the
 * newest show (the wallpaper on screen: `current` and `prev` start from it)
 * and the shows at `keep` (e.g. the one `prev` is browsing).
 */
function prunable(keep: readonly number[]): string {
  return `shown_at < ? AND shown_at < (SELECT MAX(shown_at) FROM history)${
    keep.length ? ` AND shown_at NOT IN (${keep.map(() => "?").join(", ")})` : ""
  }`;
}

/**
 * Deletes history older than a time, keeping the newest show and the shows
 * whose `shown_at` is in `keep`. Returns rows deleted.
 */
export function pruneHistory(
  db: Database,
  olderThan: number,
  keep: readonly number[] = [],
): number {
  return Number(
    db.prepare(`DELETE FROM history WHERE ${prunable(keep)}`).run(olderThan, ...keep).changes,
  );
}

/** How many rows {@linkcode pruneHistory} would delete. */
export function countPrunableHistory(
  db: Database,
  olderThan: number,
  keep: readonly number[] = [],
): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM history WHERE ${prunable(keep)}`).get(
    olderThan,
    ...keep,
  ) as { n: number }).n;
}

/**
 * How many history rows deleting the images `imageIds` (whose shows go with
 * them) and, with `olderThan`, pruning as {@linkcode pruneHistory} would remove
 * together, each row counted once.
 */
export function countHistoryToGo(
  db: Database,
  imageIds: readonly number[],
  olderThan?: number,
  keep: readonly number[] = [],
): number {
  const old = olderThan === undefined ? "0" : prunable(keep);
  return (db.prepare(
    `SELECT COUNT(*) AS n FROM history
     WHERE image_id IN (SELECT value FROM json_each(?)) OR (${old})`,
  ).get(JSON.stringify(imageIds), ...(olderThan === undefined ? [] : [olderThan, ...keep])) as {
    n: number;
  }).n;
}

/** Number of history rows. */
export function countHistory(db: Database): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM history").get() as { n: number }).n;
}
