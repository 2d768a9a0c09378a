// Database access for the selector: collection facts, random-rowid proposals
// and the indexed candidate query. Only `selector.ts` (collection and folder
// facts) and `_draw.ts` (proposals and the candidate query) import this.
import type { StatementSync } from "node:sqlite";
import type { Database, SqlValue } from "../db/database.ts";
import type { SqlClause } from "./constraints.ts";

/** An image as the sampler sees it: weight inputs plus its palette summary. */
export interface Candidate {
  id: number;
  path: string;
  source_id: number;
  width: number;
  height: number;
  times_shown: number;
  last_shown_at: number | null;
  favorite: number;
  /** null when the image has no palette */
  avg_hue: number | null;
  avg_saturation: number | null;
  avg_lightness: number | null;
  temperature: number | null;
  has_palette: number;
}

/**
 * The FROM part: with the palettes join, or with NULL palette columns (one
 * table to read). `slim` leaves out path and size (scans of many rows fetch
 * the path of picks only).
 */
function from(palettes: boolean, slim = false): string {
  const IMAGE_COLUMNS = slim
    ? "i.id, '' AS path, i.source_id, 0 AS width, 0 AS height, i.times_shown, i.last_shown_at, i.favorite"
    : "i.id, i.path, i.source_id, i.width, i.height, i.times_shown, i.last_shown_at, i.favorite";
  return palettes
    ? `SELECT ${IMAGE_COLUMNS}, p.avg_hue, p.avg_saturation, p.avg_lightness, p.temperature,
         p.image_id IS NOT NULL AS has_palette
       FROM images i LEFT JOIN palettes p ON p.image_id = i.id`
    : `SELECT ${IMAGE_COLUMNS}, NULL AS avg_hue, NULL AS avg_saturation, NULL AS avg_lightness,
         NULL AS temperature, 0 AS has_palette FROM images i`;
}

type Row = [
  number,
  string,
  number,
  number,
  number,
  number,
  number | null,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  number,
];

/**
 * Runs a candidate query. Rows come back as arrays when node:sqlite can
 * (`setReturnArrays`, about twice as fast as objects) and are turned into
 * {@linkcode Candidate}s in the column order of {@linkcode from}.
 */
function candidates(st: StatementSync, params: readonly SqlValue[]): Candidate[] {
  const arrays = st as unknown as { setReturnArrays?: (on: boolean) => void };
  if (typeof arrays.setReturnArrays !== "function") {
    return st.all(...params) as unknown as Candidate[];
  }
  arrays.setReturnArrays(true);
  return (st.all(...params) as unknown as Row[]).map((r) => ({
    id: r[0],
    path: r[1],
    source_id: r[2],
    width: r[3],
    height: r[4],
    times_shown: r[5],
    last_shown_at: r[6],
    favorite: r[7],
    avg_hue: r[8],
    avg_saturation: r[9],
    avg_lightness: r[10],
    temperature: r[11],
    has_palette: r[12],
  }));
}

/**
 * Facts about the whole collection, each read in O(1) or O(log N): counts
 * from rows kept by triggers (`image_count`, `selection_summary`), the
 * smallest and largest rowid, the smallest `times_shown` from its index.
 * They cover every row whatever a draw filters on (banned, missing, colours,
 * availability), so whatever bound they give holds for any subset.
 */
export interface CollectionFacts {
  /** Rows in `images` (kept by triggers). */
  images: number;
  minId: number;
  maxId: number;
  /** Whether some image was never shown. */
  anyUnseen: boolean;
  /** Whether some image is a favourite. */
  anyFavorite: boolean;
  /** Whether some never-shown image is a favourite. */
  anyUnseenFavorite: boolean;
  /** The smallest `times_shown`. */
  minTimesShown: number;
}

/**
 * The start-up query of every selection (see {@linkcode CollectionFacts});
 * exported so a test can check its plan reads no table.
 */
export const COLLECTION_FACTS_SQL = `SELECT
  (SELECT n FROM image_count WHERE id = 1) AS images,
  (SELECT MIN(id) FROM images) AS minId, (SELECT MAX(id) FROM images) AS maxId,
  (SELECT unseen FROM selection_summary WHERE id = 1) AS unseen,
  (SELECT favorites FROM selection_summary WHERE id = 1) AS favorites,
  (SELECT unseen_favorites FROM selection_summary WHERE id = 1) AS unseenFavorites,
  (SELECT MIN(times_shown) FROM images) AS minTimesShown`;

/** Reads {@linkcode CollectionFacts}. */
export function collectionFacts(db: Database): CollectionFacts {
  const r = db.prepare(COLLECTION_FACTS_SQL).get() as Record<string, number | null>;
  return {
    images: r.images ?? 0,
    minId: r.minId ?? 0,
    maxId: r.maxId ?? -1,
    anyUnseen: (r.unseen ?? 0) > 0,
    anyFavorite: (r.favorites ?? 0) > 0,
    anyUnseenFavorite: (r.unseenFavorites ?? 0) > 0,
    minTimesShown: r.minTimesShown ?? 0,
  };
}

/**
 * The other start-up queries: enabled folders (a handful of rows), and the
 * folders of the last shows (newest history rows by index, then each image by
 * rowid: CROSS JOIN keeps that order; left to itself SQLite scans an index of
 * every image to join a few history rows).
 */
export const SOURCE_FACTS_SQL = {
  enabled: "SELECT id FROM sources WHERE enabled = 1",
  recent: `SELECT i.source_id AS source_id, MAX(h.shown_at) AS at
       FROM (SELECT image_id, shown_at FROM history ORDER BY shown_at DESC LIMIT ?) h
       CROSS JOIN images i ON i.id = h.image_id GROUP BY i.source_id`,
} as const;

/** Folders: enabled flag, and the last show time of those among the last `memory` shows. */
export function sourceFacts(
  db: Database,
  memory: number,
): { enabled: Set<number>; recent: Map<number, number> } {
  const enabled = new Set(
    (db.prepare(SOURCE_FACTS_SQL.enabled).all() as { id: number }[]).map((r) => r.id),
  );
  const recent = new Map<number, number>();
  if (memory > 0) {
    const rows = db.prepare(SOURCE_FACTS_SQL.recent).all(memory) as {
      source_id: number;
      at: number;
    }[];
    for (const r of rows) recent.set(r.source_id, r.at);
  }
  return { enabled, recent };
}

/**
 * Proposes random rowids: returns, in the order of `ids`, the qualifying
 * image with that id or undefined (a gap, banned, missing or filtered out).
 * `palettes` must be true when `where` refers to `p`.
 */
export function lookupIds(
  db: Database,
  ids: readonly number[],
  where: SqlClause,
  palettes: boolean,
): (Candidate | undefined)[] {
  const sql = `${from(palettes)} WHERE i.id IN (${ids.map(() => "?").join(",")})
    AND i.banned = 0 AND i.missing_since IS NULL AND ${where.sql}`;
  const rows = db.prepare(sql).all(
    ...(ids as SqlValue[]),
    ...where.params,
  ) as unknown as Candidate[];
  if (rows.length === 0) return ids.map(() => undefined);
  const byId = new Map<number, Candidate>();
  for (const r of rows) byId.set(r.id, r);
  return ids.map((id) => byId.get(id));
}

/**
 * Every qualifying image (the exact path for small or sparse candidate
 * sets), without path and size: fill the path of a pick with
 * {@linkcode imagePath}.
 */
export function allCandidates(db: Database, where: SqlClause, palettes: boolean): Candidate[] {
  return candidates(
    db.prepare(
      `${from(palettes, true)} WHERE i.banned = 0 AND i.missing_since IS NULL AND ${where.sql}`,
    ),
    where.params,
  );
}

/** The path of one image. */
export function imagePath(db: Database, id: number): string {
  return (db.prepare("SELECT path FROM images WHERE id = ?").get(id) as { path: string }).path;
}

/** Runs a query of image ids (see `paletteIdsSql`), read from indexes only. */
export function paletteIds(db: Database, query: SqlClause): number[] {
  const st = db.prepare(query.sql);
  const arrays = st as unknown as { setReturnArrays?: (on: boolean) => void };
  if (typeof arrays.setReturnArrays === "function") {
    arrays.setReturnArrays(true);
    return (st.all(...query.params) as unknown as [number][]).map((r) => r[0]);
  }
  return (st.all(...query.params) as Record<string, number>[]).map((r) => Object.values(r)[0]);
}

/**
 * Palette summaries `[image_id, avg_hue, avg_saturation, avg_lightness]` of
 * every palette (matching `where` if given), read from the covering colour
 * indexes (no table rows touched).
 */
export function paletteSummaries(
  db: Database,
  where?: SqlClause,
): [number, number | null, number, number][] {
  const st = db.prepare(
    `SELECT p.image_id, p.avg_hue, p.avg_saturation, p.avg_lightness FROM palettes p
     WHERE ${where?.sql ?? "1"}`,
  );
  const arrays = st as unknown as { setReturnArrays?: (on: boolean) => void };
  if (typeof arrays.setReturnArrays === "function") {
    arrays.setReturnArrays(true);
    return st.all(...(where?.params ?? [])) as unknown as [number, number | null, number, number][];
  }
  return (st.all(...(where?.params ?? [])) as {
    image_id: number;
    avg_hue: number | null;
    avg_saturation: number;
    avg_lightness: number;
  }[]).map((r) => [r.image_id, r.avg_hue, r.avg_saturation, r.avg_lightness]);
}
