/**
 * Banning a downloaded image deletes its file: the `ban` command calls
 * {@linkcode discardBannedDownloads}. Its URL, the service's id and its
 * content hash are blocklisted by a database trigger as the ban is recorded
 * (see the migration "remote sources"), so it is never downloaded again.
 *
 * Requires `--allow-write` for the downloads folder.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import { getCredits } from "../db/attribution.ts";
import { getImages, markMissing } from "../db/images.ts";

/**
 * Deletes the files of banned images that were downloaded, marking them
 * missing (their rows, history and blocklist keys stay).
 *
 * @returns The ids whose files were deleted (or already gone).
 */
export async function discardBannedDownloads(
  db: Database,
  ids: readonly number[],
  now = Date.now(),
): Promise<number[]> {
  const credits = getCredits(db, ids);
  if (credits.size === 0) return [];
  const images = getImages(db, [...credits.keys()]);
  const done: number[] = [];
  for (const [id, img] of images) {
    if (!img.banned) continue;
    try {
      await Deno.remove(img.path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) continue;
    }
    done.push(id);
  }
  db.transaction(() => markMissing(db, done, now));
  return done;
}
