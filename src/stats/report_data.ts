/**
 * Everything the HTML report shows, read from the database in a handful of
 * bounded queries (no per-image scan).
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import {
  lightnessByHue,
  type PaletteDot,
  recentShows,
  samplePalettes,
  showsPerDay,
  type ShowWithPalette,
} from "../db/stats.ts";
import { type CollectionStats, collectionStats } from "./collection_stats.ts";
import { getCredits, plainCredit } from "../db/attribution.ts";
import type { ImageCredit } from "../remote/credit.ts";

const DAY = 86_400_000;

/** The report's data. */
export interface ReportData {
  generated_at: number;
  /** Minutes east of UTC used for day boundaries and printed times. */
  offset_minutes: number;
  stats: CollectionStats;
  /** Newest first. */
  recent: ShowWithPalette[];
  /** The credit of each downloaded image in `recent`, by image id. */
  credits: Record<number, ImageCredit>;
  /** One entry per day of the timeline window, oldest first (days since the epoch). */
  per_day: { day: number; count: number }[];
  /** An even sample of palettes for the hue wheel and strip. */
  sample: PaletteDot[];
  /** Palettes per lightness decile (0–9) and hue bin (-1 grey). */
  lightness_by_hue: { l: number; h: number; n: number }[];
}

/** Options for {@linkcode gatherReport}. */
export interface ReportOptions {
  /** Shows listed in the timeline. @default 60 */
  shows?: number;
  /** Days in the shows-per-day chart. @default 90 */
  days?: number;
  /** Palettes drawn on the wheel and strip. @default 1500 */
  sample?: number;
  /** Minutes east of UTC now. @default 0 */
  offsetMinutes?: number;
  /**
   * Minutes east of UTC at a time (daylight saving time moves it), for counting
   * shows per local day. @default `offsetMinutes` at every time
   */
  offsetAt?: (ms: number) => number;
}

/**
 * Reads the report's data.
 *
 * @param db An open database.
 * @param now The current time in ms.
 */
export function gatherReport(db: Database, now: number, options: ReportOptions = {}): ReportData {
  const { shows = 60, days = 90, sample = 1500, offsetMinutes = 0 } = options;
  const offsetAt = options.offsetAt ?? (() => offsetMinutes);
  const today = Math.floor((now + offsetMinutes * 60_000) / DAY);
  const firstDay = today - days + 1;
  const since = firstDay * DAY - offsetAt(firstDay * DAY) * 60_000;
  const counted = new Map(showsPerDay(db, since, offsetAt).map((r) => [r.day, r.count]));
  const recent = recentShows(db, shows);
  const credits: Record<number, ImageCredit> = {};
  for (const [id, c] of getCredits(db, recent.map((r) => r.image_id))) {
    credits[id] = plainCredit(c);
  }
  return {
    generated_at: now,
    offset_minutes: offsetMinutes,
    stats: collectionStats(db, now, { top: 10 }),
    recent,
    credits,
    per_day: Array.from({ length: days }, (_, i) => ({
      day: firstDay + i,
      count: counted.get(firstDay + i) ?? 0,
    })),
    sample: samplePalettes(db, sample),
    lightness_by_hue: lightnessByHue(db),
  };
}
