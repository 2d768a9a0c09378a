/**
 * Browsing history like a browser: `prev` steps back through past shows
 * without recording them, `next` steps forward again until the newest show,
 * then picks new images. A "show" is every history row with the same
 * `shown_at` (one row per output).
 *
 * The cursor lives in `$XDG_STATE_HOME/varietal/browse.json` together with
 * the time of the last change, which the daemon reads to restart its timer.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import type { HistoryEntry } from "../db/history.ts";
import { newestShowTime } from "../db/show_time.ts";
import { writeAtomic } from "../atomic_write.ts";
import { checkFile } from "../file_check.ts";

export { newestShowTime };

/** What `prev`, `current` and the like say before anything was shown. */
export const NOTHING_SHOWN = "nothing has been shown yet; run 'varietal next' first";

/** Where browsing stands. */
export interface BrowseState {
  /** `shown_at` of the show on screen while browsing back; null = the newest. */
  cursor: number | null;
  /** When the wallpaper last changed by any command (ms); 0 if never. */
  changedAt: number;
}

/** The browse file inside a state dir. */
export function browseFile(stateDir: string): string {
  return `${stateDir}/browse.json`;
}

/** Reads the browse state; a missing or damaged file reads as "not browsing". */
export function readBrowseState(file: string): Promise<BrowseState> {
  return Promise.resolve(readBrowseStateSync(file));
}

/** {@linkcode readBrowseState} with a blocking read (one small file). */
export function readBrowseStateSync(file: string): BrowseState {
  try {
    const raw = JSON.parse(Deno.readTextFileSync(file)) as Partial<BrowseState>;
    return {
      cursor: typeof raw.cursor === "number" ? raw.cursor : null,
      changedAt: typeof raw.changedAt === "number" ? raw.changedAt : 0,
    };
  } catch {
    return { cursor: null, changedAt: 0 };
  }
}

/**
 * Writes the browse state atomically (temporary file + rename), private to
 * the user (0600, in a 0700 folder when it creates one).
 */
export async function writeBrowseState(file: string, state: BrowseState): Promise<void> {
  await writeAtomic(file, JSON.stringify(state) + "\n", {
    mode: 0o600,
    forceMode: true,
    privateFolder: file.slice(0, file.lastIndexOf("/")),
  });
}

const SELECT = `SELECT h.id, h.image_id, i.path, h.shown_at, h.output
  FROM history h JOIN images i ON i.id = h.image_id`;

/** The rows of one show, in output order of recording. */
export function showRows(db: Database, shownAt: number): HistoryEntry[] {
  return db.prepare(`${SELECT} WHERE h.shown_at = ? ORDER BY h.id`).all(
    shownAt,
  ) as unknown as HistoryEntry[];
}

/** `shown_at` of the show just before (or after) a time, if any. */
export function neighbourShowTime(
  db: Database,
  shownAt: number,
  direction: "back" | "forward",
): number | undefined {
  const r = db.prepare(
    direction === "back"
      ? "SELECT MAX(shown_at) AS t FROM history WHERE shown_at < ?"
      : "SELECT MIN(shown_at) AS t FROM history WHERE shown_at > ?",
  ).get(shownAt) as { t: number | null };
  return r.t ?? undefined;
}

/**
 * Whether a past show can be put on screen again: it has rows, every file is
 * still there and none of its images has been banned since.
 */
export function showable(db: Database, rows: readonly HistoryEntry[]): boolean {
  if (rows.length === 0) return false;
  const banned = db.prepare("SELECT banned FROM images WHERE id = ?");
  return rows.every((r) =>
    (banned.get(r.image_id) as { banned: number } | undefined)?.banned !== 1 &&
    checkFile(r.path, { read: true }) === "ok"
  );
}

/**
 * Whether `prev` or `next` may browse to a past show: it is
 * {@linkcode showable} and none of its images lies in a folder disabled since
 * (`sources disable`: "keep, but stop using").
 */
export function browsable(db: Database, rows: readonly HistoryEntry[]): boolean {
  if (!showable(db, rows)) return false;
  const enabled = db.prepare(
    "SELECT s.enabled FROM images i JOIN sources s ON s.id = i.source_id WHERE i.id = ?",
  );
  return rows.every((r) =>
    (enabled.get(r.image_id) as { enabled: number } | undefined)?.enabled !== 0
  );
}

/**
 * The show on screen: the cursor's while browsing back (when it still
 * exists), else the newest.
 */
export function currentShow(db: Database, state: BrowseState): HistoryEntry[] {
  if (state.cursor !== null) {
    const rows = showRows(db, state.cursor);
    if (rows.length > 0) return rows;
  }
  const t = newestShowTime(db);
  return t === undefined ? [] : showRows(db, t);
}

/**
 * The wallpaper on screen (the primary output's while browsing back with
 * `prev`), for commands that take `current`.
 */
export async function currentWallpaper(
  db: Database,
  stateDir: string,
): Promise<HistoryEntry | undefined> {
  return currentShow(db, await readBrowseState(browseFile(stateDir)))[0];
}

/**
 * The path of the wallpaper on screen when it belongs to one of these sources
 * (folders about to be removed), for a warning; else undefined.
 */
export async function onScreenFrom(
  db: Database,
  stateDir: string,
  sourceIds: readonly number[],
): Promise<string | undefined> {
  const shown = await currentWallpaper(db, stateDir);
  if (!shown) return undefined;
  const r = db.prepare("SELECT source_id FROM images WHERE id = ?").get(shown.image_id) as
    | { source_id: number }
    | undefined;
  return r && sourceIds.includes(r.source_id) ? shown.path : undefined;
}
