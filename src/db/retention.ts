/**
 * History retention: `history.keep_days` from config.toml, applied by
 * `varietal prune` (without flags) and by the daemon once a day.
 *
 * @module
 */
import type { Config } from "../config/schema.ts";
import type { Database } from "./database.ts";
import { countPrunableHistory, pruneHistory } from "./history.ts";

const DAY = 86_400_000;

/** How often the daemon should apply retention. */
export const RETENTION_INTERVAL_MS = DAY;

/** What {@linkcode applyRetention} did. */
export interface RetentionResult {
  /** Shows before this time (ms) were deleted; null when everything is kept. */
  cutoff: number | null;
  /** History rows deleted (or that would be, with `dryRun`). */
  deleted: number;
}

/**
 * The time before which history is dropped, or null to keep everything.
 *
 * @param keepDays Days to keep; 0 keeps everything.
 * @param now The current time in ms.
 * @throws {RangeError} When keepDays is negative or not a number.
 * @example
 * ```ts
 * import { retentionCutoff } from "./retention.ts";
 * if (retentionCutoff(0, Date.now()) !== null) throw new Error("0 keeps all");
 * if (retentionCutoff(1, 86_400_000 * 3) !== 86_400_000 * 2) throw new Error("one day");
 * ```
 */
export function retentionCutoff(keepDays: number, now: number): number | null {
  if (!(keepDays >= 0)) {
    throw new RangeError(`Cannot apply retention: keep_days must be 0 or more, got ${keepDays}`);
  }
  return keepDays === 0 ? null : now - keepDays * DAY;
}

/**
 * Deletes history older than `history.keep_days` (in one statement, on the
 * `history_shown_at` index). Safe to call often: it only removes what has
 * aged out since the last call. The newest show (the wallpaper on screen)
 * is always kept, and so are the shows at `keep`. Image counters
 * (times_shown, last_shown_at) are kept.
 *
 * @param db An open database.
 * @param config The configuration (only `history.keep_days` is read).
 * @param now The current time in ms.
 * @param options `dryRun` counts without deleting; `keep` lists `shown_at`
 * values of shows to keep (the one `prev` is browsing).
 */
export function applyRetention(
  db: Database,
  config: Pick<Config, "history">,
  now: number,
  options: { dryRun?: boolean; keep?: readonly number[] } = {},
): RetentionResult {
  const cutoff = retentionCutoff(config.history.keep_days, now);
  if (cutoff === null) return { cutoff, deleted: 0 };
  const keep = options.keep ?? [];
  const deleted = options.dryRun
    ? countPrunableHistory(db, cutoff, keep)
    : pruneHistory(db, cutoff, keep);
  return { cutoff, deleted };
}
