/**
 * Keeping a remote within its quota: when its files take more than allowed,
 * the shown images it downloaded longest ago are deleted (never a favourite,
 * never a wallpaper on screen, never an unseen one). A deleted image's row is
 * kept, marked missing, so its history and counts stay and it is not
 * downloaded again; `varietal prune --missing` forgets it.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import { markMissing } from "../db/images.ts";
import { remoteUsage } from "../db/remotes.ts";
import { browseFile, currentShow, readBrowseState } from "../pipeline/browse.ts";
import { planEviction, type StoredImage } from "./planner.ts";

/** What enforcing a quota did. */
export interface QuotaResult {
  /** Files deleted. */
  deleted: number;
  /** Bytes used afterwards. */
  bytes: number;
  /** Whether the remote is still over its quota. */
  over: boolean;
}

/** Ids of the images on screen now (every output). */
export async function currentImageIds(db: Database, stateDir: string): Promise<Set<number>> {
  const state = await readBrowseState(browseFile(stateDir));
  return new Set(currentShow(db, state).map((r) => r.image_id));
}

/**
 * Deletes shown images of a remote until it is within `quota` bytes.
 *
 * @param stateDir varietal's state folder (to know what is on screen).
 */
export async function enforceQuota(
  db: Database,
  remote: { source_id: number; quota: number },
  stateDir: string,
  now: number,
): Promise<QuotaResult> {
  const usage = remoteUsage(db, remote.source_id);
  if (usage.bytes <= remote.quota) return { deleted: 0, bytes: usage.bytes, over: false };
  const rows = (db.prepare(
    `SELECT id, size, last_shown_at, favorite, path FROM images
     WHERE source_id = ? AND missing_since IS NULL`,
  ).all(remote.source_id) as unknown as (Omit<StoredImage, "favorite"> & {
    favorite: number;
    path: string;
  })[]).map((r): StoredImage & { path: string } => ({ ...r, favorite: r.favorite !== 0 }));
  const plan = planEviction(
    rows,
    usage.bytes,
    remote.quota,
    await currentImageIds(db, stateDir),
  );
  const paths = new Map(rows.map((r) => [r.id, r.path]));
  const deleted: number[] = [];
  for (const id of plan.ids) {
    try {
      await Deno.remove(paths.get(id)!);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) continue;
    }
    deleted.push(id);
  }
  db.transaction(() => markMissing(db, deleted, now));
  const after = remoteUsage(db, remote.source_id);
  return { deleted: deleted.length, bytes: after.bytes, over: after.bytes > remote.quota };
}
