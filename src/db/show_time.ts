/**
 * When shows happen: the newest show's time, and the time to record a new
 * one at (kept in order across clock steps). Light on imports: `status`,
 * `current` and the browsing commands read it through pipeline/browse.ts.
 *
 * @module
 */
import type { Database } from "./database.ts";

/** `shown_at` of the newest show, if any. */
export function newestShowTime(db: Database): number | undefined {
  const r = db.prepare("SELECT MAX(shown_at) AS t FROM history").get() as { t: number | null };
  return r.t ?? undefined;
}

/**
 * How far the newest show may be ahead of the clock and still be taken as a small clock
 * step (shows then stay in order, one millisecond apart), not as a clock that was wrong.
 */
export const CLOCK_AHEAD_SLACK_MS = 60_000;

/**
 * How far ahead of the clock shows may be and still be taken as recorded while the clock
 * was fast: a hardware clock kept in local time is ahead of UTC by at most 14 hours. Shows
 * further ahead say that the clock is behind now (a reset, a flat CMOS battery, set by
 * hand), and their dates are the true ones.
 */
export const CLOCK_FAST_MAX_MS = 15 * 3_600_000;

/**
 * The time to record a new show at: `now`, or one millisecond after the newest show when
 * that is later by at most {@linkcode CLOCK_AHEAD_SLACK_MS}, so that shows stay in order.
 *
 * Shows dated further ahead, by at most {@linkcode CLOCK_FAST_MAX_MS}, were recorded while
 * the clock was fast (a hardware clock in local time before NTP fixes it): they are moved
 * back to just before the new show, in their order (the outputs of one show together), and
 * so are their images' and folders' last-shown times and the start of a shuffle cycle
 * begun among them. Left alone, every later show would be dated in their future. Shows
 * further ahead still are left as they are (the clock is the one that is wrong: rewriting
 * them would lose every date since), and the new show is dated one millisecond after the
 * newest. Call it in the transaction that records the show.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Database } from "./database.ts";
 * import { showTime } from "./show_time.ts";
 *
 * const db = await Database.open(":memory:");
 * assert.equal(showTime(db, 1_000), 1_000); // no history yet
 * db.close();
 * ```
 */
export function showTime(db: Database, now: number): number {
  const newest = newestShowTime(db);
  if (newest === undefined || newest < now) return now;
  if (newest <= now + CLOCK_AHEAD_SLACK_MS || newest > now + CLOCK_FAST_MAX_MS) return newest + 1;
  const ahead = (db.prepare(
    "SELECT DISTINCT shown_at AS t FROM history WHERE shown_at > ? ORDER BY shown_at",
  ).all(now) as { t: number }[]).map((r) => r.t);
  const past = db.prepare("SELECT MAX(shown_at) AS t FROM history WHERE shown_at <= ?")
    .get(now) as { t: number | null };
  // Just before now, oldest first; after the last show in the past if that is closer.
  const first = Math.max(now - ahead.length, (past.t ?? -Infinity) + 1);
  const move = db.prepare("UPDATE history SET shown_at = ? WHERE shown_at = ?");
  ahead.forEach((t, i) => move.run(first + i, t));
  // A shuffle cycle begun in that future begins at the same show, moved.
  const cycles = db.prepare(
    "SELECT source_id AS id, cycle_started_at AS t FROM play_state WHERE cycle_started_at > ?",
  ).all(now) as { id: number; t: number }[];
  const restart = db.prepare("UPDATE play_state SET cycle_started_at = ? WHERE source_id = ?");
  for (const c of cycles) restart.run(first + ahead.filter((t) => t < c.t).length, c.id);
  // (a show whose history rows are pruned away counts as shown now)
  db.prepare(
    `UPDATE images SET last_shown_at =
       COALESCE((SELECT MAX(shown_at) FROM history WHERE image_id = images.id), ?1)
     WHERE last_shown_at > ?1`,
  ).run(now);
  db.prepare(
    `UPDATE sources SET last_shown_at =
       COALESCE((SELECT MAX(h.shown_at) FROM history h JOIN images i ON i.id = h.image_id
                 WHERE i.source_id = sources.id), ?1)
     WHERE last_shown_at > ?1`,
  ).run(now);
  return Math.max(now, first + ahead.length);
}
