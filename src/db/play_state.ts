/**
 * Where ordered folders keep their place: the `play_state` table (one row
 * per ordered folder: its order, and for `shuffle` the seed and start of the
 * current cycle) and the `images.play_key` column (each image's key in its
 * folder's order, indexed by `images_play(source_id, play_key)`).
 *
 * Keys are computed by the caller (`src/select/play_keys.ts`); this module
 * only reads and writes them.
 *
 * @module
 */
import type { Database } from "./database.ts";

/** A row of `play_state`. */
export interface PlayState {
  play_order: "sequential" | "shuffle";
  /** The shuffle cycle's seed (0 for sequential). */
  seed: number;
  /** When the current shuffle cycle began (ms; 0 for sequential). */
  cycle_started_at: number;
}

/** The stored state of a folder, if it was ever played in order. */
export function getPlayState(db: Database, sourceId: number): PlayState | undefined {
  return db.prepare(
    "SELECT play_order, seed, cycle_started_at FROM play_state WHERE source_id = ?",
  ).get(sourceId) as PlayState | undefined;
}

/** Stores a folder's state. */
export function setPlayState(db: Database, sourceId: number, s: PlayState): void {
  db.prepare(
    `INSERT INTO play_state(source_id, play_order, seed, cycle_started_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(source_id) DO UPDATE SET play_order = excluded.play_order, seed = excluded.seed,
       cycle_started_at = excluded.cycle_started_at`,
  ).run(sourceId, s.play_order, s.seed, s.cycle_started_at);
}

/** Computes the key of one image from its id and path. */
export type PlayKeyOf = (id: number, path: string) => string;

/**
 * Gives keys to a folder's images: every image (`all`, after the order or
 * the shuffle seed changed), or only those without one (added or moved in
 * since). One transaction.
 *
 * @returns How many keys were written.
 */
export function writePlayKeys(
  db: Database,
  sourceId: number,
  keyOf: PlayKeyOf,
  all: boolean,
): number {
  return db.transaction(() => {
    // Clearing every key first and then writing them in id order is about twice as fast as
    // rewriting them one by one (measured on 100,000 rows; sorting by the new key is slower).
    if (all) {
      db.prepare("UPDATE images INDEXED BY images_play SET play_key = NULL WHERE source_id = ?")
        .run(sourceId);
    }
    const rows = (db.prepare(
      `SELECT id, path FROM images INDEXED BY images_play
       WHERE source_id = ? AND play_key IS NULL`,
    ).all(sourceId) as { id: number; path: string }[])
      .map((r) => ({ id: r.id, key: keyOf(r.id, r.path) }))
      .sort((a, b) => a.id - b.id);
    const update = db.prepare("UPDATE images SET play_key = ? WHERE id = ?");
    for (const r of rows) update.run(r.key, r.id);
    return rows.length;
  });
}

/** An image's place in its folder's order. */
export interface PlayPlace {
  key: string;
  id: number;
}

/**
 * The place of the image a folder showed last (the last of several shown
 * at once), from its newest show: the history row (kept in show order),
 * else the image with that show time. When that image is gone (deleted and
 * pruned with its history), the folder's most recently shown image that is
 * still there: the order goes on after it rather than from the top.
 * Undefined when none has a key.
 *
 * @param shownAt The folder's `last_shown_at`.
 */
export function lastShownPlace(
  db: Database,
  sourceId: number,
  shownAt: number,
): PlayPlace | undefined {
  const fromHistory = db.prepare(
    `SELECT i.play_key AS key, i.id AS id FROM history h CROSS JOIN images i ON i.id = h.image_id
     WHERE h.shown_at = ? AND i.source_id = ? ORDER BY h.id DESC LIMIT 1`,
  ).get(shownAt, sourceId) as { key: string | null; id: number } | undefined;
  const row = fromHistory ?? db.prepare(
    `SELECT play_key AS key, id FROM images WHERE last_shown_at = ? AND source_id = ?
     ORDER BY play_key DESC, id DESC LIMIT 1`,
  ).get(shownAt, sourceId) as { key: string | null; id: number } | undefined;
  const place = row ?? db.prepare(
    `SELECT play_key AS key, id FROM images
     WHERE source_id = ? AND last_shown_at IS NOT NULL AND play_key IS NOT NULL
     ORDER BY last_shown_at DESC, play_key DESC, id DESC LIMIT 1`,
  ).get(sourceId) as { key: string | null; id: number } | undefined;
  return place && place.key !== null ? { key: place.key, id: place.id } : undefined;
}

/** Shows read back by {@linkcode lastShownPlaceOn}: a bounded look into the history. */
const RECENT_SHOWS = 1000;

/**
 * The place of the image a folder showed last on one output, and when, from
 * its newest show there among the last 1000 shows (the output renamed or
 * unused that long: undefined, and the folder's own place serves).
 */
export function lastShownPlaceOn(
  db: Database,
  sourceId: number,
  output: string,
): (PlayPlace & { shownAt: number }) | undefined {
  const row = db.prepare(
    `SELECT i.play_key AS key, i.id AS id, h.shown_at AS shownAt
     FROM (SELECT id, image_id, shown_at, output FROM history
           ORDER BY shown_at DESC, id DESC LIMIT ${RECENT_SHOWS}) h
     CROSS JOIN images i ON i.id = h.image_id
     WHERE h.output = ? AND i.source_id = ? AND i.play_key IS NOT NULL
     ORDER BY h.shown_at DESC, h.id DESC LIMIT 1`,
  ).get(output, sourceId) as { key: string; id: number; shownAt: number } | undefined;
  return row ? { key: row.key, id: row.id, shownAt: row.shownAt } : undefined;
}

/** Options of {@linkcode seekPlayOrder}. */
export interface SeekOptions {
  /** Only places after this one. */
  after?: PlayPlace;
  /** Only places up to and including this one. */
  through?: PlayPlace;
  /** Only images not shown since this time (ms). */
  unshownSince?: number;
  /** An extra filter on `i` (images) and, with `palettes`, `p` (palettes). */
  where: { sql: string; params: readonly (string | number | null)[] };
  /** Join `palettes p` (when `where` refers to it). */
  palettes: boolean;
  limit: number;
}

/**
 * The next places of a folder's order that are drawable (not banned, not
 * missing) and pass the filter, in order: a seek on `images_play`.
 */
export function seekPlayOrder(db: Database, sourceId: number, o: SeekOptions): PlayPlace[] {
  const params: (string | number | null)[] = [sourceId];
  let sql = `SELECT i.play_key AS key, i.id AS id FROM images i INDEXED BY images_play${
    o.palettes ? " LEFT JOIN palettes p ON p.image_id = i.id" : ""
  } WHERE i.source_id = ? AND i.play_key IS NOT NULL`;
  if (o.after) {
    sql += " AND (i.play_key, i.id) > (?, ?)";
    params.push(o.after.key, o.after.id);
  }
  if (o.through) {
    sql += " AND (i.play_key, i.id) <= (?, ?)";
    params.push(o.through.key, o.through.id);
  }
  if (o.unshownSince !== undefined) {
    sql += " AND (i.last_shown_at IS NULL OR i.last_shown_at < ?)";
    params.push(o.unshownSince);
  }
  sql += ` AND i.banned = 0 AND i.missing_since IS NULL AND ${o.where.sql}
    ORDER BY i.play_key, i.id LIMIT ?`;
  return db.prepare(sql).all(...params, ...o.where.params, o.limit) as unknown as PlayPlace[];
}

/**
 * A place's position (1-based) in its folder's order, and how many images
 * the order holds (banned and missing ones keep their place and count).
 * Two counts over the index: for `--explain` and `--json`, not for the draw.
 */
export function playPosition(
  db: Database,
  sourceId: number,
  place: PlayPlace,
): { position: number; total: number } {
  const count = (range: string, ...params: (string | number)[]) =>
    (db.prepare(
      `SELECT COUNT(*) AS n FROM images INDEXED BY images_play
       WHERE source_id = ? AND play_key IS NOT NULL${range}`,
    ).get(sourceId, ...params) as { n: number }).n;
  return {
    position: count(" AND (play_key, id) <= (?, ?)", place.key, place.id),
    total: count(""),
  };
}
