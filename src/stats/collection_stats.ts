/**
 * The statistics of a wallpaper collection, read with aggregate queries and
 * cached per database handle until the database changes.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import {
  changeToken,
  countShownSince,
  leastShown,
  longestUnseen,
  mostShown,
  type RankedImageRow,
  readHistorySummary,
  readMissingPaletteMarginals,
  readMissingSourceCounts,
  readPaletteMarginals,
  readSourceCounts,
  readSourceInfo,
  type SourceCountsRow,
} from "../db/stats.ts";
import { FRESHNESS_WINDOWS } from "./buckets.ts";
import { distributions, type PaletteDistributions } from "./summarize.ts";

const DAY = 86_400_000;

/** Figures of one wallpaper folder (present images unless said otherwise). */
export interface SourceStats {
  id: number;
  path: string;
  enabled: boolean;
  images: number;
  missing: number;
  favorites: number;
  banned: number;
  shown: number;
  never_shown: number;
  /** Shows of this folder's images (the folder's counter). */
  times_shown: number;
  /** times_shown / all folders' times_shown, 0 when nothing was shown. */
  share_of_shows: number;
  last_shown_at: number | null;
}

/** An image in a most/least-shown list. */
export type RankedImage = RankedImageRow;

/**
 * Every figure of `varietal stats`. Counts are of present images (not
 * marked missing) except `counts.missing`; distributions are of the palettes
 * of present images.
 */
export interface CollectionStats {
  /** When the figures were computed (ms). */
  generated_at: number;
  counts: {
    images: number;
    missing: number;
    with_palette: number;
    without_palette: number;
    favorites: number;
    banned: number;
    shown: number;
    never_shown: number;
    /** Present images left out of draws because they failed to decode (damaged, too large). */
    undecodable: number;
  };
  lightness: PaletteDistributions["lightness"];
  hue: PaletteDistributions["hue"];
  saturation: PaletteDistributions["saturation"];
  temperature: PaletteDistributions["temperature"];
  /** When present images were last shown: day, week, month, older, never (exclusive). */
  freshness: { name: string; count: number }[];
  history: {
    /** Shows kept (see history.keep_days); one on several outputs counts once. */
    shows: number;
    first_shown_at: number | null;
    last_shown_at: number | null;
    last_day: number;
    last_week: number;
    last_month: number;
  };
  sources: SourceStats[];
  most_shown: RankedImage[];
  least_shown: RankedImage[];
  longest_unseen: RankedImage[];
}

/** Options for {@linkcode collectionStats}. */
export interface StatsOptions {
  /** Length of the most/least-shown lists. @default 10 */
  top?: number;
  /** Bypass the cache. @default false */
  fresh?: boolean;
}

interface CacheEntry {
  key: string;
  stats: CollectionStats;
}

const cache = new WeakMap<Database, CacheEntry>();
let computed = 0;

/** How many times statistics were computed rather than served from the cache (for tests). */
export function statsComputations(): number {
  return computed;
}

/**
 * The collection's statistics. Served from an in-process cache while the
 * database is unchanged (same `PRAGMA data_version` and `total_changes()`),
 * within the same minute and with the same options.
 *
 * @param db An open database.
 * @param now The current time in ms (freshness windows end here).
 * @param options See {@linkcode StatsOptions}.
 */
export function collectionStats(
  db: Database,
  now: number,
  options: StatsOptions = {},
): CollectionStats {
  const top = options.top ?? 10;
  const key = `${changeToken(db)}|${Math.floor(now / 60_000)}|${top}`;
  const hit = cache.get(db);
  if (!options.fresh && hit && hit.key === key) return hit.stats;
  const stats = readSnapshot(db, () => compute(db, now, top));
  cache.set(db, { key, stats });
  return stats;
}

/** Runs `fn` in one read transaction (a consistent snapshot that blocks no writer). */
function readSnapshot<T>(db: Database, fn: () => T): T {
  const raw = db.raw;
  if (raw.isTransaction) return fn();
  raw.exec("BEGIN");
  try {
    return fn();
  } finally {
    if (raw.isTransaction) raw.exec("COMMIT");
  }
}

function compute(db: Database, now: number, top: number): CollectionStats {
  computed++;
  const all = readSourceCounts(db);
  const missing = new Map(readMissingSourceCounts(db).map((r) => [r.source_id, r]));
  const zero: SourceCountsRow = { source_id: 0, images: 0, favorites: 0, banned: 0, shown: 0 };
  const present = new Map<number, SourceCountsRow & { missing: number }>();
  for (const r of all) {
    const m = missing.get(r.source_id) ?? zero;
    present.set(r.source_id, {
      source_id: r.source_id,
      images: r.images - m.images,
      favorites: r.favorites - m.favorites,
      banned: r.banned - m.banned,
      shown: r.shown - m.shown,
      missing: m.images,
    });
  }
  const info = readSourceInfo(db);
  const allShows = info.reduce((a, s) => a + s.times_shown, 0);
  const sources: SourceStats[] = info.map((s) => {
    const c = present.get(s.id) ?? { ...zero, missing: 0 };
    return {
      id: s.id,
      path: s.path,
      enabled: s.enabled,
      images: c.images,
      missing: c.missing,
      favorites: c.favorites,
      banned: c.banned,
      shown: c.shown,
      never_shown: c.images - c.shown,
      times_shown: s.times_shown,
      share_of_shows: allShows ? s.times_shown / allShows : 0,
      last_shown_at: s.last_shown_at,
    };
  });
  const sum = (f: (s: SourceCountsRow & { missing: number }) => number) =>
    [...present.values()].reduce((a, s) => a + f(s), 0);
  const images = sum((s) => s.images);
  const shown = sum((s) => s.shown);
  const dist = distributions(readPaletteMarginals(db), readMissingPaletteMarginals(db));

  const since = FRESHNESS_WINDOWS.map((w) => now - w.days * DAY);
  const within = countShownSince(db, since);
  const freshness: { name: string; count: number }[] = FRESHNESS_WINDOWS.map((w, i) => ({
    name: w.name,
    count: within[i] - (i ? within[i - 1] : 0),
  }));
  freshness.push({ name: "older", count: shown - (within.at(-1) ?? 0) });
  freshness.push({ name: "never", count: images - shown });
  const h = readHistorySummary(db, since);

  return {
    generated_at: now,
    counts: {
      images,
      missing: sum((s) => s.missing),
      with_palette: dist.total,
      without_palette: images - dist.total,
      favorites: sum((s) => s.favorites),
      banned: sum((s) => s.banned),
      shown,
      never_shown: images - shown,
      // (The partial index holds the failed ones only: a few rows.)
      undecodable: (db.prepare(
        `SELECT COUNT(*) AS n FROM images INDEXED BY images_decode_failed
         WHERE decode_failed_at IS NOT NULL AND missing_since IS NULL`,
      ).get() as { n: number }).n,
    },
    lightness: dist.lightness,
    hue: dist.hue,
    saturation: dist.saturation,
    temperature: dist.temperature,
    freshness,
    history: {
      shows: h.total,
      first_shown_at: h.first,
      last_shown_at: h.last,
      last_day: h.since[0],
      last_week: h.since[1],
      last_month: h.since[2],
    },
    sources,
    most_shown: mostShown(db, top),
    least_shown: leastShown(db, top),
    longest_unseen: longestUnseen(db, top),
  };
}
