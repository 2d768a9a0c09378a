/**
 * Before `prune --missing` deletes an image (with its palette, history and
 * favourite or ban), it checks again that the file is positively gone: its
 * source is online (one check per source) and the folder that held it is
 * there (and holds something) while the file is not. Images of offline
 * sources, files that are back, and files whose folder is gone, empty or
 * unreadable are kept.
 *
 * Requires `--allow-read` for the source folders.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import { listSources } from "../db/sources.ts";
import { type Availability, sourceAvailability, type SourceCheck } from "./availability.ts";
import { inJunkFolder } from "./walk.ts";

/** What {@linkcode confirmGone} found among the images marked missing. */
export interface GoneReport {
  /** Ids of images positively gone (safe to delete). */
  gone: number[];
  /** Images kept, by reason. */
  kept: {
    /** Their source is offline (unplugged, unmounted, unreadable). */
    offline: number;
    /** The file is there again (the next scan restores it). */
    present: number;
    /** Neither confirmed gone nor there: its folder is gone, empty or unreadable. */
    unconfirmed: number;
  };
}

/** Stats a path; throws Deno's errors (injectable for tests). */
export type StatPath = (path: string) => { isDirectory: boolean; isFile?: boolean };

/**
 * Checks every image marked missing.
 *
 * @param db An open database.
 * @param options `sourceCheck`, `stat` and `isEmpty` replace the real file system (tests).
 */
export function confirmGone(
  db: Database,
  options: { sourceCheck?: SourceCheck; stat?: StatPath; isEmpty?: (dir: string) => boolean } = {},
): GoneReport {
  const check = options.sourceCheck ?? ((s) => sourceAvailability(db, s));
  const stat = options.stat ?? ((p: string) => Deno.statSync(p));
  const sources = new Map(listSources(db).map((s) => [s.id, s]));
  const availability = new Map<number, Availability>();
  const report: GoneReport = { gone: [], kept: { offline: 0, present: 0, unconfirmed: 0 } };
  const rows = db.prepare(
    "SELECT id, path, source_id FROM images WHERE missing_since IS NOT NULL",
  ).iterate() as Iterable<{ id: number; path: string; source_id: number }>;
  for (const r of rows) {
    const src = sources.get(r.source_id);
    if (!src) continue; // deleted meanwhile with its images
    let a = availability.get(src.id);
    if (a === undefined) availability.set(src.id, a = check(src));
    if (!a.online) {
      report.kept.offline++;
      continue;
    }
    const verdict = fileVerdict(r.path, src.path, stat, options.isEmpty);
    if (verdict === "gone") report.gone.push(r.id);
    else report.kept[verdict]++;
  }
  return report;
}

/**
 * Whether one file is gone: it is not found while the folder that held it is
 * there and holds something else. A folder that is gone or empty is no proof:
 * a drive mounted inside the source (a stick under `/run/media/me`, a share
 * under `~/Pictures`) leaves exactly that when unplugged, so its pictures are
 * kept, unconfirmed. A folder, FIFO or device in the file's place, or a file in
 * a trash or thumbnail folder of the source (which `scan` leaves out), is gone
 * as a picture too: no scan would bring it back.
 *
 * @param isEmpty Whether a folder holds nothing (injectable for tests).
 */
export function fileVerdict(
  path: string,
  root: string,
  stat: StatPath,
  isEmpty: (dir: string) => boolean = emptyFolder,
): "gone" | "present" | "unconfirmed" {
  const inside = path.startsWith(`${root.replace(/\/$/, "")}/`);
  try {
    const st = stat(path);
    if (st.isDirectory || st.isFile === false) return "gone";
    if (inside && inJunkFolder(path.slice(root.replace(/\/$/, "").length + 1))) return "gone";
    return "present";
  } catch (e) {
    if (!absent(e)) return "unconfirmed";
  }
  const dir = parent(path);
  if (dir === undefined) return "unconfirmed";
  try {
    return stat(dir).isDirectory && !isEmpty(dir) ? "gone" : "unconfirmed";
  } catch {
    return "unconfirmed";
  }
}

function emptyFolder(dir: string): boolean {
  for (const _ of Deno.readDirSync(dir)) return false;
  return true;
}

function absent(e: unknown): boolean {
  return e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory;
}

function parent(p: string): string | undefined {
  const slash = p.lastIndexOf("/");
  return slash <= 0 ? undefined : p.slice(0, slash);
}
