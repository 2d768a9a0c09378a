/**
 * The `sources` table: wallpaper folders.
 *
 * @module
 */
import type { Database } from "./database.ts";
import type { PlayOrder } from "../config/choices.ts";

/** A row of `sources`. */
export interface SourceRow {
  id: number;
  path: string;
  kind: string;
  recursive: boolean;
  enabled: boolean;
  last_shown_at: number | null;
  times_shown: number;
  last_scanned_at: number | null;
  added_at: number;
  /** `st_dev` of the root at the last successful scan (null before one). */
  root_dev: number | null;
  /** First-level entries of the root that held images at the last successful scan. */
  markers: string[];
  /** Its own order (`varietal sources order`); null follows `[selection] order`. */
  play_order: PlayOrder | null;
}

type Raw = Omit<SourceRow, "recursive" | "enabled" | "markers" | "play_order"> & {
  recursive: number;
  enabled: number;
  markers: string | null;
  play_order?: PlayOrder | null;
};

function row(r: Raw): SourceRow {
  let markers: string[] = [];
  try {
    const parsed: unknown = typeof r.markers === "string" ? JSON.parse(r.markers) : [];
    if (Array.isArray(parsed)) markers = parsed.filter((m) => typeof m === "string");
  } catch { /* a damaged value reads as "nothing recorded" */ }
  // Read-only handles (doctor) may see a schema from before these columns.
  return {
    ...r,
    recursive: r.recursive === 1,
    enabled: r.enabled === 1,
    root_dev: r.root_dev ?? null,
    markers,
    play_order: r.play_order ?? null,
  };
}

/** Lists every source, ordered by path. */
export function listSources(db: Database): SourceRow[] {
  return (db.prepare("SELECT * FROM sources ORDER BY path").all() as unknown as Raw[])
    .map(row);
}

/** Finds a source by its (real) path. */
export function getSourceByPath(db: Database, path: string): SourceRow | undefined {
  const r = db.prepare("SELECT * FROM sources WHERE path = ?").get(path) as
    | Raw
    | undefined;
  return r && row(r);
}

/**
 * Adds a source, or returns the existing one with that path.
 *
 * @returns The row and whether it was new.
 */
export function addSource(
  db: Database,
  path: string,
  options: { recursive?: boolean; now?: number; order?: PlayOrder | null } = {},
): { source: SourceRow; added: boolean } {
  const { recursive = true, now = Date.now(), order = null } = options;
  const existing = getSourceByPath(db, path);
  if (existing) return { source: existing, added: false };
  db.prepare(
    "INSERT INTO sources(path, recursive, added_at, play_order) VALUES (?, ?, ?, ?)",
  ).run(path, recursive ? 1 : 0, now, order);
  return { source: getSourceByPath(db, path)!, added: true };
}

/**
 * Gives the images of a source that another folder source also holds (a
 * subfolder added on its own inside a recursive source, the deepest first;
 * else a file another folder reaches through a symlink, as `reached` says) to
 * that folder, so that removing the source does not forget them: their
 * favourite, ban, palette and history stay.
 *
 * @param reached Real paths of files other folder sources reach, with the
 *   source id of one (from walking them: {@linkcode imagesWithoutHolder} says
 *   whether that is needed).
 * @returns How many images went to which folder (by path).
 */
export function handOverImages(
  db: Database,
  id: number,
  reached: ReadonlyMap<string, number> = new Map(),
): Map<string, number> {
  const others = (db.prepare(
    "SELECT id, path, recursive FROM sources WHERE id != ? AND kind = 'folder'",
  ).all(id) as { id: number; path: string; recursive: number }[])
    .sort((a, b) => b.path.length - a.path.length);
  const out = new Map<string, number>();
  if (others.length === 0) return out;
  const move = db.prepare("UPDATE images SET source_id = ? WHERE id = ?");
  const images = db.prepare(
    "SELECT id, path, times_shown, last_shown_at FROM images WHERE source_id = ?",
  ).all(id) as { id: number; path: string; times_shown: number; last_shown_at: number | null }[];
  for (const img of images) {
    const dir = img.path.slice(0, img.path.lastIndexOf("/")) || "/";
    const linked = reached.get(img.path);
    const holder = others.find((o) =>
      o.recursive ? img.path.startsWith(o.path === "/" ? "/" : `${o.path}/`) : dir === o.path
    ) ?? others.find((o) =>
      o.id === linked
    );
    if (!holder) continue;
    move.run(holder.id, img.id);
    moveShows(db, null, holder.id, img); // the source it leaves is being removed
    out.set(holder.path, (out.get(holder.path) ?? 0) + 1);
  }
  return out;
}

/**
 * Whether some images of a source lie under no other folder source by their
 * path (so only a symlink in another folder could reach them), and the other
 * folder sources then to look through.
 */
export function imagesWithoutHolder(
  db: Database,
  id: number,
): { id: number; path: string; recursive: boolean }[] {
  const others = (db.prepare(
    "SELECT id, path, recursive FROM sources WHERE id != ? AND kind = 'folder'",
  ).all(id) as { id: number; path: string; recursive: number }[])
    .map((o) => ({ id: o.id, path: o.path, recursive: o.recursive === 1 }));
  if (others.length === 0) return [];
  const images = db.prepare("SELECT path FROM images WHERE source_id = ?").all(id) as {
    path: string;
  }[];
  const held = (p: string) =>
    others.some((o) =>
      o.recursive
        ? p.startsWith(o.path === "/" ? "/" : `${o.path}/`)
        : (p.slice(0, p.lastIndexOf("/")) || "/") === o.path
    );
  return images.some((img) => !held(img.path)) ? others : [];
}

/**
 * Moves an image's shows between folders' counters (`sources.times_shown` and
 * `last_shown_at`, which `sources list`, `stats` and ordered folders read)
 * when the image changes folder: `to` gains them (its latest show the later of
 * both), `from` loses them and, when its latest show went, takes the latest of
 * the images it still holds. `from` null: a folder about to be deleted.
 */
export function moveShows(
  db: Database,
  from: number | null,
  to: number,
  shows: { times_shown: number; last_shown_at: number | null },
): void {
  if (from === to || (shows.times_shown === 0 && shows.last_shown_at === null)) return;
  const { times_shown: n, last_shown_at: at } = shows;
  // (MAX() of a NULL is NULL, hence the COALESCE.)
  db.prepare(
    `UPDATE sources SET times_shown = times_shown + ?,
       last_shown_at = COALESCE(MAX(last_shown_at, ?), last_shown_at, ?) WHERE id = ?`,
  ).run(n, at, at, to);
  if (from === null) return;
  db.prepare("UPDATE sources SET times_shown = MAX(0, times_shown - ?) WHERE id = ?").run(n, from);
  if (at !== null) {
    db.prepare(
      `UPDATE sources SET last_shown_at =
         (SELECT MAX(last_shown_at) FROM images WHERE source_id = sources.id)
       WHERE id = ? AND last_shown_at <= ?`,
    ).run(from, at);
  }
}

/** What {@linkcode moveSource} did. */
export interface SourceMove {
  /** Images that now live under the new folder, their rows (marks, history, palette) kept. */
  images: number;
  /**
   * Of those, how many had a second row already at the new place (made by a scan or by
   * `next --image`), merged into the old one.
   */
  merged: number;
  /** Sources moved (the folder and those inside it). */
  sources: number;
}

/**
 * Follows a folder that was renamed or moved on disk: the source at `from`
 * (and every source inside it) gets the path under `to`, and so does each of
 * their images, keeping its row — favourite, ban, palette, history. Where a
 * scan already indexed the new place, the source there takes the images (and
 * the old source's show count). A row already at the new path (made by a scan,
 * or by `next --image` for the single files) is merged into the old row and
 * dropped: its history, show count, last show and marks go with it, to the
 * folder that now holds the image, and the source it belonged to no longer
 * counts those shows. The summary tables follow through their triggers. In
 * one transaction.
 *
 * @param from The source's path as stored.
 * @param to The folder's new real path.
 * @param exists Whether a file is at a new path: one that is loses its missing
 *   mark (a scan in between marked it), one that is not keeps it.
 */
export function moveSource(
  db: Database,
  from: string,
  to: string,
  exists: (path: string) => boolean = () => true,
): SourceMove {
  const under = (p: string, root: string) =>
    p === root || p.startsWith(root === "/" ? "/" : `${root}/`);
  const rebase = (p: string) => to + p.slice(from.length);
  return db.transaction(() => {
    const out: SourceMove = { images: 0, merged: 0, sources: 0 };
    const moving = (db.prepare("SELECT id, path FROM sources WHERE kind = 'folder'").all() as {
      id: number;
      path: string;
    }[]).filter((s) => under(s.path, from));
    for (const src of moving) {
      const newPath = rebase(src.path);
      const there = getSourceByPath(db, newPath);
      if (!there) {
        db.prepare("UPDATE sources SET path = ?, root_dev = NULL, markers = NULL WHERE id = ?")
          .run(newPath, src.id);
      }
      const owner = there?.id ?? src.id;
      const images = db.prepare("SELECT id, path FROM images WHERE source_id = ?").all(src.id) as {
        id: number;
        path: string;
      }[];
      for (const img of images) {
        const target = under(img.path, from) ? rebase(img.path) : img.path; // a symlinked file stays
        if (mergeTwin(db, img.id, target, owner)) out.merged++;
        db.prepare(
          // Its play key (its place in an ordered folder) comes from the path: made again. A
          // file found at the new place is no longer missing; one not there keeps its mark.
          `UPDATE images SET path = ?, source_id = ?, play_key = NULL,
             missing_since = CASE WHEN ? THEN NULL ELSE missing_since END
           WHERE id = ?`,
        ).run(target, owner, exists(target) ? 1 : 0, img.id);
        out.images++;
      }
      if (there) {
        // The folder there takes the old one's shows with its images.
        const old = db.prepare("SELECT times_shown, last_shown_at FROM sources WHERE id = ?")
          .get(src.id) as { times_shown: number; last_shown_at: number | null };
        moveShows(db, null, there.id, old);
        // So does the order chosen for the old one, unless one was chosen there too.
        db.prepare(
          `UPDATE sources SET play_order = (SELECT play_order FROM sources WHERE id = ?)
           WHERE id = ? AND play_order IS NULL`,
        ).run(src.id, there.id);
        db.prepare("DELETE FROM sources WHERE id = ?").run(src.id);
      }
      out.sources++;
    }
    return out;
  });
}

/**
 * Merges the row already at `path` (made by a scan of a new place, or by
 * `next --image` of a single file), if it is another than `keep`, into the row
 * `keep` that is about to take that path: its history, show count, last show
 * and marks join `keep`, its shows count for the source `owner`, and it goes.
 * Call inside a transaction.
 *
 * @returns Whether a row was merged.
 */
export function mergeTwin(db: Database, keep: number, path: string, owner: number): boolean {
  const twin = db.prepare(
    "SELECT id, source_id, favorite, banned, times_shown, last_shown_at FROM images WHERE path = ?",
  ).get(path) as Twin | undefined;
  if (!twin || twin.id === keep) return false;
  db.prepare("UPDATE history SET image_id = ? WHERE image_id = ?").run(keep, twin.id);
  db.prepare(
    `UPDATE images SET favorite = MAX(favorite, ?), banned = MAX(banned, ?),
       times_shown = times_shown + ?,
       last_shown_at = COALESCE(MAX(last_shown_at, ?), last_shown_at, ?)
     WHERE id = ?`,
  ).run(twin.favorite, twin.banned, twin.times_shown, twin.last_shown_at, twin.last_shown_at, keep);
  db.prepare("DELETE FROM images WHERE id = ?").run(twin.id);
  // Its shows go to the folder that holds the image now.
  moveShows(db, twin.source_id, owner, twin);
  return true;
}

/** The row of an image {@linkcode mergeTwin} merges, as read. */
interface Twin {
  id: number;
  source_id: number;
  favorite: number;
  banned: number;
  times_shown: number;
  last_shown_at: number | null;
}

/** Removes a source with its images, palettes and history. Returns whether it existed. */
export function removeSource(db: Database, id: number): boolean {
  return Number(db.prepare("DELETE FROM sources WHERE id = ?").run(id).changes) > 0;
}

/** `from_config` of a source whose config.toml entry was deleted (it was disabled then). */
const DROPPED = 2;
/** `from_config` of a folder of the user's own that a config.toml entry names too. */
const ADOPTED = 3;
/**
 * `from_config` of a config.toml folder whose entry says `enabled = false`: enabled again
 * when it says true (a `sources disable` of an entry's folder lasts).
 */
const CONFIG_OFF = 4;

/**
 * Marks sources as config.toml's `[[sources]]` (see {@linkcode dropConfigSources}).
 * One that the file had dropped (and so disabled) and lists again is enabled
 * again, unless its entry says `enabled = false`; an entry that says so disables its
 * folder, and saying `enabled = true` again enables it; a folder the user added
 * (`sources add`, or `sources enable` after the file dropped it) is
 * remembered as theirs.
 *
 * @param ids The sources of the file's entries, whether each entry is enabled,
 *   and whether the entry added the folder just now.
 */
export function markConfigSources(
  db: Database,
  ids: readonly { id: number; enabled: boolean; added?: boolean }[],
): void {
  for (const { id, enabled, added = false } of ids) {
    // (An UPDATE reads the row as it was in every expression.)
    db.prepare(
      `UPDATE sources SET
         from_config = CASE WHEN :added = 0 AND (from_config IN (0, ${ADOPTED})
           OR (from_config = ${DROPPED} AND enabled = 1)) THEN ${ADOPTED}
           WHEN :enabled = 0 THEN ${CONFIG_OFF} ELSE 1 END,
         enabled = CASE WHEN :enabled = 0 THEN 0
           WHEN from_config IN (${DROPPED}, ${CONFIG_OFF}) THEN 1 ELSE enabled END
       WHERE id = :id`,
    ).run({ added: added ? 1 : 0, enabled: enabled ? 1 : 0, id });
  }
}

/**
 * Sources marked as config.toml's whose entry `configured` no longer finds:
 * each becomes a disabled folder of the user's own (its images and history
 * kept), in one transaction. A folder the user had added before the file
 * named it goes back to being theirs as it is (not disabled).
 *
 * @returns The paths of the folders disabled.
 */
export function dropConfigSources(db: Database, configured: (path: string) => boolean): string[] {
  const marked = db.prepare(
    `SELECT id, path, from_config FROM sources WHERE from_config IN (1, ${ADOPTED}, ${CONFIG_OFF})`,
  ).all() as { id: number; path: string; from_config: number }[];
  const gone = marked.filter((r) => !configured(r.path));
  db.transaction(() => {
    for (const r of gone) {
      db.prepare(
        r.from_config === ADOPTED
          ? "UPDATE sources SET from_config = 0 WHERE id = ?"
          : `UPDATE sources SET from_config = ${DROPPED}, enabled = 0 WHERE id = ?`,
      ).run(r.id);
    }
  });
  return gone.filter((r) => r.from_config !== ADOPTED).map((r) => r.path);
}

/** Enables or disables a source. */
export function setSourceEnabled(db: Database, id: number, enabled: boolean): void {
  db.prepare("UPDATE sources SET enabled = ? WHERE id = ?").run(enabled ? 1 : 0, id);
}

/** Sets a source's own order; null makes it follow `[selection] order` again. */
export function setSourceOrder(db: Database, id: number, order: PlayOrder | null): void {
  db.prepare("UPDATE sources SET play_order = ? WHERE id = ?").run(order, id);
}

/**
 * Records that a source was scanned, with what its root looked like (see
 * {@linkcode SourceRow.root_dev} and {@linkcode SourceRow.markers}).
 */
export function markSourceScanned(
  db: Database,
  id: number,
  now: number,
  root?: { dev: number | null; markers: readonly string[] },
): void {
  if (root === undefined) {
    db.prepare("UPDATE sources SET last_scanned_at = ? WHERE id = ?").run(now, id);
    return;
  }
  db.prepare("UPDATE sources SET last_scanned_at = ?, root_dev = ?, markers = ? WHERE id = ?")
    .run(now, root.dev, JSON.stringify(root.markers), id);
}

/** Whether a source has images not marked missing (one index probe). */
export function hasPresentImages(db: Database, id: number): boolean {
  return db.prepare(
    "SELECT EXISTS (SELECT 1 FROM images WHERE source_id = ? AND missing_since IS NULL) AS x",
  ).get(id)?.x === 1;
}

/** How many sources are disabled. */
export function countDisabledSources(db: Database): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM sources WHERE enabled = 0").get() as { n: number })
    .n;
}

/** Image counts per source id (present, not missing). */
export function countImagesBySource(db: Database): Map<number, number> {
  const rows = db.prepare(
    "SELECT source_id, COUNT(*) AS n FROM images WHERE missing_since IS NULL GROUP BY source_id",
  ).all() as { source_id: number; n: number }[];
  return new Map(rows.map((r) => [r.source_id, r.n]));
}
