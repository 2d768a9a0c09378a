/**
 * The `sources` table: wallpaper folders.
 *
 * @module
 */
import type { Database } from "./database.ts";

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
}

type Raw = Omit<SourceRow, "recursive" | "enabled"> & {
  recursive: number;
  enabled: number;
};

function row(r: Raw): SourceRow {
  return { ...r, recursive: r.recursive === 1, enabled: r.enabled === 1 };
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
  options: { recursive?: boolean; now?: number } = {},
): { source: SourceRow; added: boolean } {
  const { recursive = true, now = Date.now() } = options;
  const existing = getSourceByPath(db, path);
  if (existing) return { source: existing, added: false };
  db.prepare(
    "INSERT INTO sources(path, recursive, added_at) VALUES (?, ?, ?)",
  ).run(path, recursive ? 1 : 0, now);
  return { source: getSourceByPath(db, path)!, added: true };
}

/** Removes a source with its images, palettes and history. Returns whether it existed. */
export function removeSource(db: Database, id: number): boolean {
  return Number(db.prepare("DELETE FROM sources WHERE id = ?").run(id).changes) > 0;
}

/** Enables or disables a source. */
export function setSourceEnabled(db: Database, id: number, enabled: boolean): void {
  db.prepare("UPDATE sources SET enabled = ? WHERE id = ?").run(enabled ? 1 : 0, id);
}

/** Records that a source was scanned. */
export function markSourceScanned(db: Database, id: number, now: number): void {
  db.prepare("UPDATE sources SET last_scanned_at = ? WHERE id = ?").run(now, id);
}

/** Image counts per source id (present, not missing). */
export function countImagesBySource(db: Database): Map<number, number> {
  const rows = db.prepare(
    "SELECT source_id, COUNT(*) AS n FROM images WHERE missing_since IS NULL GROUP BY source_id",
  ).all() as { source_id: number; n: number }[];
  return new Map(rows.map((r) => [r.source_id, r.n]));
}
