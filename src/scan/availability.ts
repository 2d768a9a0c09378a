/**
 * Whether a source folder is reachable right now: one cheap check per
 * source (a stat of the root and of one entry the last scan saw there), so
 * an unplugged drive or an unmounted share is recognised as a whole
 * ("offline") instead of file by file ("missing").
 *
 * A source is offline when its root
 * - cannot be stat-ed (not found, permission denied, I/O error) or is not a folder;
 * - holds none of the first-level entries that led to images at the last
 *   scan, and is either on another device than then (something else is
 *   mounted there, or nothing) or empty (a bare mount point);
 * - is empty while the database has images of it not marked missing.
 *
 * A root whose recorded entries are all gone but that is on the same device
 * and not empty was reorganised, not unmounted: it is online (the next scan
 * records new entries).
 *
 * Requires `--allow-read` for the source folders.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import { hasPresentImages } from "../db/sources.ts";

/** What a check needs to know of a source. */
export interface SourceRoot {
  /** The root folder (a real path). */
  path: string;
  /** `st_dev` of the root at the last successful scan, if any. */
  root_dev: number | null;
  /** First-level entries that held images at the last successful scan. */
  markers: readonly string[];
}

/** The outcome of a check. */
export type Availability =
  | { online: true }
  | { online: false; reason: string };

/** The file-system calls a check makes (injectable for tests). */
export interface RootFs {
  /** Stats a path, following symlinks; throws Deno's errors. */
  stat(path: string): { isDirectory: boolean; dev: number };
  /** Whether a folder has no entries; throws Deno's errors. */
  isEmpty(path: string): boolean;
}

/** The real file system (synchronous: a check is two or three system calls). */
export const realRootFs: RootFs = {
  stat(path) {
    const st = Deno.statSync(path);
    return { isDirectory: st.isDirectory, dev: st.dev };
  },
  isEmpty(path) {
    for (const _ of Deno.readDirSync(path)) return false;
    return true;
  },
};

/** At most this many recorded entries are looked for. */
export const MAX_MARKERS = 8;

/**
 * Checks one source.
 *
 * @param src The source's root and what the last scan saw there.
 * @param hasImages Whether the database has images of it not marked
 * missing (an empty root is then an unmounted drive). Called only when needed.
 * @param fs The file system. @default realRootFs
 */
export function checkSourceRoot(
  src: SourceRoot,
  hasImages: () => boolean,
  fs: RootFs = realRootFs,
): Availability {
  let root: { isDirectory: boolean; dev: number };
  try {
    root = fs.stat(src.path);
  } catch (e) {
    return { online: false, reason: rootError(e as Error) };
  }
  if (!root.isDirectory) return { online: false, reason: "not a folder any more" };
  const markers = src.markers.slice(0, MAX_MARKERS);
  for (const m of markers) {
    try {
      fs.stat(`${src.path.replace(/\/$/, "")}/${m}`);
      return { online: true };
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) continue;
      return { online: false, reason: rootError(e as Error) };
    }
  }
  let empty: boolean;
  try {
    empty = fs.isEmpty(src.path);
  } catch (e) {
    return { online: false, reason: rootError(e as Error) };
  }
  if (markers.length && src.root_dev !== null && root.dev !== src.root_dev) {
    return {
      online: false,
      reason: empty
        ? "the folder is empty and on another device than at the last scan (drive not mounted?)"
        : "another device is mounted there: none of the folders or files seen at the last scan are there",
    };
  }
  if (empty && hasImages()) {
    return {
      online: false,
      reason:
        "the folder is empty but its images are indexed (drive not mounted?); if you emptied " +
        "it on purpose, 'varietal sources remove DIR' forgets them",
    };
  }
  return { online: true };
}

function rootError(e: Error): string {
  if (e instanceof Deno.errors.NotFound) {
    return "folder not found: unplugged, not mounted or moved (moved: 'varietal sources move OLD NEW' keeps its images' history)";
  }
  if (e instanceof Deno.errors.PermissionDenied) {
    return "permission denied reading the folder";
  }
  if (e instanceof Deno.errors.NotADirectory) return "a parent of the folder is not a folder";
  return `cannot read the folder: ${e.message}`;
}

/**
 * Checks a source of the database: {@linkcode checkSourceRoot} with the
 * database telling whether it has images. The pseudo-source of single files
 * (kind `loose`, see `src/scan/loose.ts`) has no root: it is always online
 * and its files are checked one by one.
 */
export function sourceAvailability(
  db: Database,
  src: SourceRoot & { id: number; kind?: string },
  fs: RootFs = realRootFs,
): Availability {
  if (src.kind === "loose") return { online: true };
  const a = checkSourceRoot(src, () => hasPresentImages(db, src.id), fs);
  // A remote's downloads folder is varietal's own: gone means deleted, not unplugged.
  if (src.kind === "remote" && !a.online && a.reason.startsWith("folder not found")) {
    return {
      online: false,
      reason: "its downloads folder is gone (deleted?); the next 'varietal fetch' makes it " +
        "again, and its files count no more against the quota",
    };
  }
  return a;
}

/** How a caller checks sources (tests inject one that needs no real folders). */
export type SourceCheck = (src: SourceRoot & { id: number }) => Availability;
