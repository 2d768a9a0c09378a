/**
 * Single files outside every source folder (`next --image PATH`,
 * `favorite PATH`, `ban PATH`): indexed on the spot, one image at a time.
 *
 * A file inside a source folder is indexed under that folder (as `scan`
 * would). Any other file goes to one hidden pseudo-source of kind
 * {@linkcode LOOSE_KIND}: a row of `sources` whose path
 * ({@linkcode LOOSE_PATH}) is not a folder. `scan` never walks it; it
 * checks its files one by one (a vanished one is marked missing, a returned
 * one restored), and a file later found in a source folder moves to that
 * folder. Loose images take part in the rotation like any other;
 * `varietal sources disable "(single files)"` keeps them out, `remove`
 * forgets them.
 *
 * Requires `--allow-read`.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import { getImageByPath, type ImageRow, insertImage } from "../db/images.ts";
import { getSourceByPath, type SourceRow } from "../db/sources.ts";
import { ProbeError, probeImage, type ProbeResult } from "./probe.ts";

/** The `kind` of the pseudo-source of single files. */
export const LOOSE_KIND = "loose";

/** The pseudo-source's path: a label, never a folder (real source paths start with `/`). */
export const LOOSE_PATH = "(single files)";

/** A file that is not an image varietal can show; the message says why. */
export class NotAnImageError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.name = "NotAnImageError";
    this.path = path;
  }
}

/** The pseudo-source of single files, created on first use (enabled). */
export function looseSource(db: Database, now = Date.now()): SourceRow {
  const found = getSourceByPath(db, LOOSE_PATH);
  if (found) return found;
  db.prepare(
    "INSERT INTO sources(path, kind, added_at) VALUES (?, ?, ?)",
  ).run(LOOSE_PATH, LOOSE_KIND, now);
  return getSourceByPath(db, LOOSE_PATH)!;
}

/** The innermost folder source holding `realPath` (a non-recursive one only directly). */
export function owningFolder(db: Database, realPath: string): SourceRow | undefined {
  const rows = db.prepare(
    "SELECT path FROM sources WHERE kind <> ? ORDER BY length(path) DESC",
  ).all(LOOSE_KIND) as { path: string }[];
  for (const { path } of rows) {
    const dir = path.endsWith("/") ? path : `${path}/`;
    if (!realPath.startsWith(dir)) continue;
    const source = getSourceByPath(db, path)!;
    if (source.recursive || !realPath.slice(dir.length).includes("/")) return source;
  }
  return undefined;
}

/** What probing a single file found. */
export interface ProbedFile extends ProbeResult {
  path: string;
  size: number;
  mtime: number;
}

/**
 * Checks that `realPath` is a regular file whose header is an image varietal
 * indexes (format and size, without decoding it).
 *
 * @param maxPixels Refuse a header larger than this, as `scan` does (`[palette] max_megapixels`).
 * @throws {NotAnImageError} For a folder, an unreadable file, a non-image or one too large.
 * @throws {Deno.errors.NotFound} When the file does not exist.
 */
export function probeFile(realPath: string, maxPixels?: number): ProbedFile {
  const st = Deno.statSync(realPath);
  if (st.isDirectory) {
    throw new NotAnImageError(
      realPath,
      "is a folder; give an image file (or add the folder with 'varietal sources add')",
    );
  }
  if (!st.isFile) throw new NotAnImageError(realPath, "is not a regular file");
  try {
    const p = probeImage(realPath, st.size, maxPixels);
    return { ...p, path: realPath, size: st.size, mtime: st.mtime?.getTime() ?? 0 };
  } catch (e) {
    if (!(e instanceof ProbeError)) throw e;
    if (e.tooLarge) {
      throw new NotAnImageError(
        realPath,
        `${e.message} ([palette] max_megapixels; raise it to show this image)`,
      );
    }
    throw new NotAnImageError(
      realPath,
      `not an image varietal can show: ${e.message}; it shows JPEG, PNG, WebP, GIF, BMP, AVIF and SVG`,
    );
  }
}

/**
 * Indexes one file given by its real path: under the folder source that
 * holds it, else under the pseudo-source of single files. Returns the
 * existing row when the file is already indexed.
 *
 * @throws {NotAnImageError} When the file is not an image varietal indexes.
 * @throws {Deno.errors.NotFound} When the file does not exist.
 */
export function indexFile(
  db: Database,
  realPath: string,
  now = Date.now(),
  maxPixels?: number,
): ImageRow {
  const existing = getImageByPath(db, realPath);
  if (existing) return existing;
  const facts = probeFile(realPath, maxPixels);
  return db.transaction(() => {
    const again = getImageByPath(db, realPath);
    if (again) return again;
    const source = owningFolder(db, realPath) ?? looseSource(db, now);
    const { path, size, mtime, format, width, height } = facts;
    insertImage(db, { path, source_id: source.id, size, mtime, format, width, height }, now);
    return getImageByPath(db, realPath)!;
  });
}

/**
 * What a scan changes among single files: those of an enabled loose
 * pseudo-source that no walked folder claimed are checked one by one with
 * `stat` (never walked, so never marked missing wholesale).
 *
 * @param sources Every source (the loose ones are picked out).
 * @param known The indexed images by path.
 * @param claimed Paths a folder walk found (they move to that folder).
 */
export function looseChanges(
  sources: readonly SourceRow[],
  known: ReadonlyMap<string, { id: number; source_id: number; missing_since: number | null }>,
  claimed: ReadonlyMap<string, unknown>,
): { vanished: number[]; restored: number[] } {
  const ids = new Set(sources.filter((s) => s.enabled && s.kind === LOOSE_KIND).map((s) => s.id));
  const vanished: number[] = [];
  const restored: number[] = [];
  if (ids.size === 0) return { vanished, restored };
  for (const [path, row] of known) {
    if (!ids.has(row.source_id) || claimed.has(path)) continue;
    const state = fileState(path);
    if (row.missing_since === null && state === "gone") vanished.push(row.id);
    else if (row.missing_since !== null && state === "there") restored.push(row.id);
  }
  return { vanished, restored };
}

/**
 * Whether a single file is there, positively gone (its folder can be read
 * and the file is not in it), or unknown (an unreadable or absent folder,
 * e.g. an unplugged drive): only "gone" marks it missing.
 */
function fileState(path: string): "there" | "gone" | "unknown" {
  try {
    return Deno.statSync(path).isFile ? "there" : "gone";
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) return "unknown";
  }
  try {
    const dir = path.slice(0, path.lastIndexOf("/")) || "/";
    return Deno.statSync(dir).isDirectory ? "gone" : "unknown";
  } catch {
    return "unknown";
  }
}
