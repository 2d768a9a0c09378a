/**
 * Aggregate reads for the collection statistics.
 *
 * Whole-collection figures come from the summary tables `stat_images` and
 * `stat_palettes`, which triggers keep exact (migration 3); the few figures
 * that need a time window or a ranking use indexes (`images_last_shown`,
 * `images_times_shown`, `history_shown_at`, the partial `images_missing`).
 * Nothing here loads one row per image. Figures for images marked missing are
 * read separately (they are few) so that callers can subtract them.
 *
 * @module
 */
import type { Database } from "./database.ts";

/** Image counts of one source (from `stat_images`). */
export interface SourceCountsRow {
  source_id: number;
  images: number;
  favorites: number;
  banned: number;
  /** Images shown at least once. */
  shown: number;
}

/**
 * A count of palettes along one axis of the grid: `d` is "l" (lightness
 * cell 0–19), "h" (hue mask: bit i = named hue range i, 0 grey, -1 figures
 * not recomputed yet), "s" (saturation cell 0–19, -1 not recomputed) or
 * "t" (temperature -1, 0, 1).
 */
export interface MarginalRow {
  d: "l" | "h" | "s" | "t";
  b: number;
  n: number;
}
/** A source with its show counters. */
export interface SourceInfoRow {
  id: number;
  path: string;
  enabled: boolean;
  times_shown: number;
  last_shown_at: number | null;
}

/** An image in a ranking. */
export interface RankedImageRow {
  id: number;
  path: string;
  source_id: number;
  times_shown: number;
  last_shown_at: number | null;
}

const CELL_EXPR = `MAX(0, MIN(19, CAST(p.avg_lightness * 20 AS INTEGER))) AS l,
  COALESCE(p.hue_mask, -1) AS h,
  CASE WHEN p.hue_mask IS NULL THEN -1
  ELSE MAX(0, MIN(19, CAST(p.avg_saturation * 20 AS INTEGER))) END AS s,
  CASE WHEN p.temperature > 0.1 THEN 1 WHEN p.temperature < -0.1 THEN -1 ELSE 0 END AS t`;

/** Image counts per source, all images (missing ones included). */
export function readSourceCounts(db: Database): SourceCountsRow[] {
  return db.prepare(
    "SELECT source_id, images, favorites, banned, shown FROM stat_images WHERE images > 0",
  ).all() as unknown as SourceCountsRow[];
}

/** The same counts restricted to images marked missing (index-only, on a partial index). */
export function readMissingSourceCounts(db: Database): SourceCountsRow[] {
  return db.prepare(
    `SELECT source_id, COUNT(*) AS images, SUM(favorite <> 0) AS favorites,
       SUM(banned <> 0) AS banned, SUM(last_shown_at IS NOT NULL) AS shown
     FROM images INDEXED BY images_missing_cover WHERE missing_since IS NOT NULL
     GROUP BY source_id`,
  ).all() as unknown as SourceCountsRow[];
}

const MARGINALS = (from: string) => `
  SELECT 'l' AS d, l AS b, SUM(n) AS n FROM ${from} GROUP BY l
  UNION ALL SELECT 'h', h, SUM(n) FROM ${from} GROUP BY h
  UNION ALL SELECT 's', s, SUM(n) FROM ${from} GROUP BY s
  UNION ALL SELECT 't', t, SUM(n) FROM ${from} GROUP BY t`;

/** Palette counts along each axis of the grid, all palettes (from `stat_palettes`). */
export function readPaletteMarginals(db: Database): MarginalRow[] {
  return db.prepare(MARGINALS("stat_palettes")).all() as unknown as MarginalRow[];
}

/** The same counts for the palettes of images marked missing, computed from their rows. */
export function readMissingPaletteMarginals(db: Database): MarginalRow[] {
  return db.prepare(
    `WITH m AS MATERIALIZED (
       SELECT ${CELL_EXPR}, 1 AS n
       FROM images i INDEXED BY images_missing JOIN palettes p ON p.image_id = i.id
       WHERE i.missing_since IS NOT NULL)
     ${MARGINALS("m")}`,
  ).all() as unknown as MarginalRow[];
}

/**
 * Palette counts per grid cell computed from the palettes themselves (a full
 * scan): the reference the summary table is checked against.
 */
export function recountPaletteCells(
  db: Database,
): { l: number; h: number; s: number; t: number; n: number }[] {
  return db.prepare(
    `SELECT ${CELL_EXPR}, COUNT(*) AS n FROM palettes p GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  ).all() as unknown as { l: number; h: number; s: number; t: number; n: number }[];
}

/** The summary table as stored, for comparison with {@linkcode recountPaletteCells}. */
export function readPaletteCells(
  db: Database,
): { l: number; h: number; s: number; t: number; n: number }[] {
  return db.prepare(
    "SELECT l, h, s, t, n FROM stat_palettes WHERE n <> 0 ORDER BY l, h, s, t",
  ).all() as unknown as { l: number; h: number; s: number; t: number; n: number }[];
}

/** Image counts per source computed from the images themselves (a full scan). */
export function recountSourceCounts(db: Database): SourceCountsRow[] {
  return db.prepare(
    `SELECT source_id, COUNT(*) AS images, SUM(favorite <> 0) AS favorites,
       SUM(banned <> 0) AS banned, SUM(last_shown_at IS NOT NULL) AS shown
     FROM images GROUP BY source_id ORDER BY source_id`,
  ).all() as unknown as SourceCountsRow[];
}

/**
 * How many present images were last shown at or after each time: counted
 * on the `images_last_shown` index alone, minus the images marked missing.
 *
 * @param since Times in ms.
 * @returns Counts in the same order.
 */
export function countShownSince(db: Database, since: readonly number[]): number[] {
  if (since.length === 0) return [];
  const oldest = Math.min(...since);
  const cols = since.map((_, i) => `SUM(last_shown_at >= ?) AS c${i}`).join(", ");
  const all = db.prepare(
    `SELECT ${cols} FROM images INDEXED BY images_last_shown WHERE last_shown_at >= ?`,
  ).get(...since, oldest) as Record<string, number | null>;
  const gone = db.prepare(
    `SELECT ${cols} FROM images INDEXED BY images_missing_cover
     WHERE missing_since IS NOT NULL AND last_shown_at >= ?`,
  ).get(...since, oldest) as Record<string, number | null>;
  return since.map((_, i) => (all[`c${i}`] ?? 0) - (gone[`c${i}`] ?? 0));
}

/**
 * Shows kept in total and since each time (a show on several outputs is one:
 * its rows share their time), with the first and last show.
 */
export function readHistorySummary(
  db: Database,
  since: readonly number[],
): { total: number; first: number | null; last: number | null; since: number[] } {
  // Three statements: MIN and MAX together would scan the index; apart, each is one seek.
  const n = (db.prepare("SELECT COUNT(DISTINCT shown_at) AS n FROM history").get() as {
    n: number;
  }).n;
  const a = (db.prepare("SELECT MIN(shown_at) AS v FROM history").get() as { v: number | null }).v;
  const b = (db.prepare("SELECT MAX(shown_at) AS v FROM history").get() as { v: number | null }).v;
  const total = { n, a, b };
  const counts = since.map((t) =>
    (db.prepare("SELECT COUNT(DISTINCT shown_at) AS n FROM history WHERE shown_at >= ?").get(t) as {
      n: number;
    }).n
  );
  return { total: total.n, first: total.a, last: total.b, since: counts };
}

/** Every source with its show counters. */
export function readSourceInfo(db: Database): SourceInfoRow[] {
  return (db.prepare(
    "SELECT id, path, enabled, times_shown, last_shown_at FROM sources ORDER BY path",
  ).all() as unknown as (Omit<SourceInfoRow, "enabled"> & { enabled: number })[])
    .map((r) => ({ ...r, enabled: r.enabled === 1 }));
}

/** Present images ranked through one index; `where` and `order` are fixed SQL, never user input. */
function ranked(
  db: Database,
  index: "images_times_shown" | "images_last_shown",
  where: string,
  order: string,
  limit: number,
): RankedImageRow[] {
  return db.prepare(
    `SELECT id, path, source_id, times_shown, last_shown_at FROM images INDEXED BY ${index}
     WHERE ${where} AND missing_since IS NULL ORDER BY ${order} LIMIT ?`,
  ).all(limit) as unknown as RankedImageRow[];
}

/** The present images shown most often. */
export function mostShown(db: Database, limit: number): RankedImageRow[] {
  return ranked(db, "images_times_shown", "times_shown > 0", "times_shown DESC", limit);
}

/**
 * The present images shown least often but at least once (not banned: they
 * will not be shown again, so they are no one's next to see).
 */
export function leastShown(db: Database, limit: number): RankedImageRow[] {
  return ranked(
    db,
    "images_times_shown",
    "times_shown > 0 AND banned = 0",
    "times_shown ASC",
    limit,
  );
}

/** The present, shown images whose last show is the oldest (not banned, as above). */
export function longestUnseen(db: Database, limit: number): RankedImageRow[] {
  return ranked(
    db,
    "images_last_shown",
    "last_shown_at IS NOT NULL AND banned = 0",
    "last_shown_at ASC",
    limit,
  );
}

/**
 * A cheap token that changes whenever the database changes: another
 * connection's commit moves `PRAGMA data_version`, this connection's writes
 * move `total_changes()`.
 */
export function changeToken(db: Database): string {
  const v = db.prepare("PRAGMA data_version").get() as { data_version: number };
  const c = db.prepare("SELECT total_changes() AS c").get() as { c: number };
  return `${v.data_version}:${c.c}`;
}

/** A history entry with its image and palette colours, for the report. */
export interface ShowWithPalette {
  id: number;
  image_id: number;
  path: string;
  shown_at: number;
  output: string | null;
  missing: boolean;
  /** background, foreground, color0 … color15; null without a palette. */
  colors: string[] | null;
}

const PALETTE_COLUMNS = [
  "background",
  "foreground",
  ...Array.from({ length: 16 }, (_, i) => `color${i}`),
];

/** The newest shows with their palettes (one indexed query, `limit` rows). */
export function recentShows(db: Database, limit: number): ShowWithPalette[] {
  const rows = db.prepare(
    `SELECT h.id, h.image_id, i.path, h.shown_at, h.output, i.missing_since,
       p.image_id AS has_palette, ${PALETTE_COLUMNS.map((c) => `p.${c}`).join(", ")}
     FROM history h JOIN images i ON i.id = h.image_id
     LEFT JOIN palettes p ON p.image_id = h.image_id
     ORDER BY h.shown_at DESC, h.id DESC LIMIT ?`,
  ).all(limit) as Record<string, string | number | null>[];
  return rows.map((r) => ({
    id: r.id as number,
    image_id: r.image_id as number,
    path: r.path as string,
    shown_at: r.shown_at as number,
    output: r.output as string | null,
    missing: r.missing_since !== null,
    colors: r.has_palette === null ? null : PALETTE_COLUMNS.map((c) => r[c] as string),
  }));
}

/** Every time-zone offset is a multiple of this (India's +5:30, Nepal's +5:45). */
const SLOT_MS = 15 * 60_000;

/**
 * Shows per day since a time, days counted from the epoch in local time: the
 * time-zone offset (minutes east of UTC, as `-Date.getTimezoneOffset()`) is
 * taken at each show's time, so a summer show counts in summer time.
 */
export function showsPerDay(
  db: Database,
  since: number,
  offsetAt: number | ((ms: number) => number) = 0,
): { day: number; count: number }[] {
  const at = typeof offsetAt === "number" ? () => offsetAt : offsetAt;
  // Counted by quarter hour in SQL (days of shows: a few rows each), then each quarter into
  // its local day.
  const slots = db.prepare(
    `SELECT CAST(shown_at / ${SLOT_MS} AS INTEGER) AS slot, COUNT(*) AS count FROM history
     WHERE shown_at >= ? GROUP BY 1`,
  ).all(since) as unknown as { slot: number; count: number }[];
  const days = new Map<number, number>();
  for (const { slot, count } of slots) {
    const ms = slot * SLOT_MS;
    const day = Math.floor((ms + at(ms) * 60_000) / 86_400_000);
    days.set(day, (days.get(day) ?? 0) + count);
  }
  return [...days].sort((a, b) => a[0] - b[0]).map(([day, count]) => ({ day, count }));
}

/** The summary figures of one palette, for the hue wheel. */
export interface PaletteDot {
  image_id: number;
  avg_hue: number | null;
  avg_saturation: number;
  avg_lightness: number;
  background: string;
}

/**
 * Up to `limit` palettes of present images, spread evenly over the image ids:
 * one primary-key seek each, so the cost does not grow with the collection.
 */
export function samplePalettes(db: Database, limit: number): PaletteDot[] {
  const range = db.prepare(
    "SELECT COUNT(*) AS n, MIN(image_id) AS lo, MAX(image_id) AS hi FROM palettes",
  ).get() as { n: number; lo: number | null; hi: number | null };
  if (!range.n || range.lo === null || range.hi === null) return [];
  // (A missing image's palette is kept with its row, but it is no colour of the collection.)
  const sql = `SELECT p.image_id, p.avg_hue, p.avg_saturation, p.avg_lightness, p.background
     FROM palettes p JOIN images i ON i.id = p.image_id
     WHERE p.image_id >= ? AND i.missing_since IS NULL ORDER BY p.image_id LIMIT ?`;
  if (range.n <= limit) return db.prepare(sql).all(range.lo, limit) as unknown as PaletteDot[];
  const seek = db.prepare(sql.replace("LIMIT ?", "LIMIT 1"));
  const out = new Map<number, PaletteDot>();
  const step = (range.hi - range.lo + 1) / limit;
  for (let i = 0; i < limit; i++) {
    const r = seek.get(Math.floor(range.lo + i * step)) as PaletteDot | undefined;
    if (r) out.set(r.image_id, r);
  }
  return [...out.values()];
}

/**
 * Palettes of present images per lightness decile (0–9) and named hue range
 * (index into `NAMED_HUES`, -1 grey): the summary table minus the palettes
 * of missing images. A palette counts in each range it shows; palettes
 * whose figures are not recomputed yet are left out.
 */
export function lightnessByHue(db: Database): { l: number; h: number; n: number }[] {
  const rows = db.prepare(
    `SELECT MIN(9, l / 2) AS l, h, SUM(n) AS n FROM stat_palettes GROUP BY 1, 2
     UNION ALL
     SELECT MIN(9, l / 2), h, -COUNT(*) FROM (
       SELECT ${CELL_EXPR} FROM images i INDEXED BY images_missing
       JOIN palettes p ON p.image_id = i.id WHERE i.missing_since IS NOT NULL)
     GROUP BY 1, 2`,
  ).all() as { l: number; h: number; n: number }[];
  const sum = new Map<string, { l: number; h: number; n: number }>();
  const add = (l: number, h: number, n: number) => {
    const k = `${l}|${h}`;
    const x = sum.get(k) ?? { l, h, n: 0 };
    x.n += n;
    sum.set(k, x);
  };
  for (const r of rows) {
    if (r.h < 0) continue; // figures not recomputed yet
    if (r.h === 0) add(r.l, -1, r.n);
    for (let i = 0; 1 << i <= r.h; i++) if (r.h & (1 << i)) add(r.l, i, r.n);
  }
  return [...sum.values()].filter((x) => x.n !== 0);
}
