/**
 * Walks a wallpaper folder, following symlinks without looping and
 * returning each file once by its real path — and saying what it could not
 * see: folders it could not list, broken symlinks, symlink loops. The
 * scanner needs both: a file is "gone" only where its folder was listed.
 *
 * Requires `--allow-read`.
 *
 * @module
 */
import { hasImageExtension } from "./probe.ts";
import { MAX_MARKERS } from "./availability.ts";
import { normalizePath } from "../normal_path.ts";
import { chooseSize, PACKAGE_METADATA, packageOfSizesFolder, sizeFromName } from "./kde_package.ts";
import { turnTaker } from "./turns.ts";

/** A path and why it was not indexed. */
export interface PathReason {
  path: string;
  reason: string;
}

/** Options for {@linkcode walkFolder}. */
export interface WalkOptions {
  /** Descend into subfolders. @default true */
  recursive?: boolean;
  /** Stops the walk (looked at between folders and every 256 entries of a folder). */
  signal?: AbortSignal;
  /** Lists a folder (tests inject failures). @default Deno.readDir */
  readDir?: (path: string) => AsyncIterable<Deno.DirEntry>;
  /** The pixel limit the scan applies: a KDE package keeps a size under it. @default Infinity */
  maxPixels?: number;
}

/** What {@linkcode walkFolder} found. */
export interface WalkResult {
  /** Real paths of the regular files found, each once. */
  files: string[];
  /** Real paths of the folders that were listed. */
  listed: Set<string>;
  /**
   * Real paths whose content is unknown: folders that could not be listed
   * and the targets of broken symlinks. Nothing under them may be called gone.
   */
  unknown: Set<string>;
  /** Folders (or symlinks) that could not be read. */
  errors: PathReason[];
  /**
   * Entries left out on purpose: broken symlinks, symlink loops, KDE package
   * previews and the sizes of a KDE package other than the one indexed.
   */
  skipped: PathReason[];
  /** The KDE package sizes left out (also in `skipped`): path as listed, and real path. */
  otherSizes: { path: string; real: string }[];
  /** First-level entries of the root that hold image files (at most a few). */
  markers: string[];
}

interface Dir {
  real: string;
  /** Its first-level entry under the root; "" for the root itself. */
  top: string;
  parent: Dir | null;
}

/**
 * Lists the files under a folder by real path, without duplicates.
 *
 * @param root An existing folder.
 * @throws {Deno.errors.NotFound | Deno.errors.PermissionDenied} When the root itself cannot be listed.
 */
export async function walkFolder(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const { recursive = true, signal } = options;
  const readDir = options.readDir ?? Deno.readDir;
  const real = Deno.realPathSync(root);
  const result: WalkResult = {
    files: [],
    listed: new Set(),
    unknown: new Set(),
    errors: [],
    skipped: [],
    otherSizes: [],
    markers: [],
  };
  const files = new Set<string>();
  const visited = new Set<string>([real]);
  const stack: Dir[] = [{ real, top: "", parent: null }];
  const isPackageCache = new Map<string, boolean>();
  // A folder of many symlinks is resolved one by one: the signal's listener gets turns.
  const turn = turnTaker(signal);
  let seen = 0;
  while (stack.length) {
    await turn();
    const dir = stack.pop()!;
    const entries: Deno.DirEntry[] = [];
    try {
      for await (const e of readDir(dir.real)) entries.push(e);
    } catch (e) {
      if (dir.parent === null) throw e;
      result.unknown.add(dir.real); // its images are kept as they were
      // Gone (or turned into a file) since its parent was listed: a sync or sorting
      // tool at work, no error; the next scan sees what became of it.
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) continue;
      result.errors.push({ path: dir.real, reason: folderError(e as Error) });
      continue;
    }
    result.listed.add(dir.real);
    // A KDE package's sizes folder: one picture in several sizes, one of them indexed.
    const pkg = packageOfSizesFolder(dir.real);
    const kept = pkg !== undefined && isPackage(pkg, isPackageCache)
      ? chooseSize(
        // Sizes that are files (a broken link is said below, and must not hide the picture).
        entries.filter((e) =>
          !e.isDirectory && hasImageExtension(e.name) &&
          (e.isFile || (e.isSymlink && isFileBehind(`${dir.real}/${e.name}`)))
        ).map((e) => e.name),
        options.maxPixels,
      )
      : undefined;
    let keptReal: string | undefined;
    if (kept !== undefined) {
      try {
        keptReal = Deno.realPathSync(`${dir.real}/${kept}`);
      } catch { /* gone since the listing: said below */ }
    }
    for (const e of entries) {
      if (++seen % 256 === 0) await turn();
      const path = `${dir.real === "/" ? "" : dir.real}/${e.name}`;
      const top = dir.top || e.name;
      if (e.name.includes("\uFFFD") && (e.isDirectory || hasImageExtension(e.name))) {
        if (undecodable(path)) {
          result.skipped.push({ path, reason: UNDECODABLE });
          continue;
        }
      }
      let target = path;
      let isDir = e.isDirectory, isFile = e.isFile;
      if (e.isSymlink) {
        try {
          target = Deno.realPathSync(path);
          // Deno refuses /dev and /proc without --allow-all, and nothing there is a wallpaper.
          if (SYSTEM_FOLDER.test(target)) {
            result.skipped.push({ path, reason: `symlink into a system folder (→ ${target})` });
            continue;
          }
          const st = Deno.statSync(target);
          isDir = st.isDirectory;
          isFile = st.isFile;
        } catch (err) {
          symlinkProblem(result, path, dir.real, err as Error);
          continue;
        }
      }
      if (isDir) {
        if (!recursive) continue;
        if (JUNK_FOLDER.test(e.name)) {
          result.skipped.push({ path, reason: JUNK_REASON });
          continue;
        }
        const loop = ancestor(dir, target);
        if (loop) {
          result.skipped.push({ path, reason: `symlink loop: leads back to ${loop}` });
          continue;
        }
        if (visited.has(target)) continue; // reached through another path already
        visited.add(target);
        stack.push({ real: target, top, parent: dir });
      } else if (!isFile) {
        // A FIFO, socket or device with an image's name: said, never opened (a read could block).
        if (hasImageExtension(e.name)) {
          result.skipped.push({ path, reason: "not a regular file (a FIFO, socket or device)" });
        }
      } else {
        if (!hasImageExtension(e.name)) {
          files.add(target);
          continue;
        }
        // (Debian links most sizes to one file: that is the kept one, found once.)
        if (kept !== undefined && target !== keptReal && sizeFromName(e.name)) {
          result.skipped.push({ path, reason: `${OTHER_SIZE} ${kept} is indexed` });
          result.otherSizes.push({ path, real: target });
          continue;
        }
        if (isKdePreview(dir.real, e.name, isPackageCache)) {
          result.skipped.push({ path, reason: PREVIEW });
          continue;
        }
        files.add(target);
        if (result.markers.length < MAX_MARKERS && !result.markers.includes(top)) {
          result.markers.push(top);
        }
      }
    }
  }
  result.files = [...files];
  return result;
}

/** Whether a symlink leads to a regular file. */
function isFileBehind(link: string): boolean {
  try {
    return Deno.statSync(link).isFile;
  } catch {
    return false;
  }
}

/**
 * Folders of deleted files and thumbnails inside a wallpaper folder (a drive's
 * `.Trash-1000`, a NAS's `@eaDir` and `#recycle`, Windows' `$RECYCLE.BIN`):
 * their pictures are ones you threw away, or small copies, never wallpapers to
 * show. A source that is such a folder itself is walked as any other.
 */
const JUNK_FOLDER =
  /^(?:\.Trash(?:-\d+)?|@eaDir|#recycle|\$RECYCLE\.BIN|System Volume Information|\.thumbnails)$/;
/**
 * Whether a path relative to a source's root lies in a trash or thumbnail
 * folder that {@linkcode walkFolder} leaves out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inJunkFolder } from "./walk.ts";
 *
 * assert.ok(inJunkFolder(".Trash-1000/files/old.jpg"));
 * assert.ok(!inJunkFolder("albums/.Trash.jpg"));
 * ```
 */
export function inJunkFolder(relative: string): boolean {
  return relative.split("/").slice(0, -1).some((part) => JUNK_FOLDER.test(part));
}
const JUNK_REASON =
  "a trash or thumbnail folder (deleted files, small copies), not wallpapers; add it as a source " +
  "of its own to show its pictures anyway";
/** Where no wallpaper is, and what Deno reads only with every permission. */
const SYSTEM_FOLDER = /^\/(?:proc|sys|dev)(?:\/|$)/;
const PREVIEW = "preview of a KDE wallpaper package (contents/screenshot.*), not a wallpaper";
const OTHER_SIZE = "another size of the picture of a KDE wallpaper package:";

/**
 * Whether a path was left out as a matter of course: a KDE package's preview
 * or one of its sizes other than the one indexed (nothing to do about it).
 */
export function isPackageSkip(f: PathReason): boolean {
  return f.reason === PREVIEW || f.reason.startsWith(OTHER_SIZE);
}

/** Why an entry whose name is not UTF-8 is left out. */
export const UNDECODABLE = "name not in UTF-8: varietal cannot open it; rename it " +
  "(convmv -f latin1 -t utf-8 --notest NAME converts a Latin-1 name)";

/**
 * Whether a listed entry's name was not UTF-8: Deno hands such names over
 * with U+FFFD in place of the bad bytes, and the path then names nothing.
 */
function undecodable(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return false; // a name that really holds U+FFFD
  } catch (e) {
    return e instanceof Deno.errors.NotFound;
  }
}

/** The ancestor (or the folder itself) with this real path, if any. */
function ancestor(dir: Dir, real: string): string | undefined {
  for (let d: Dir | null = dir; d; d = d.parent) if (d.real === real) return d.real;
  return undefined;
}

function symlinkProblem(result: WalkResult, path: string, dir: string, e: Error): void {
  let link = "";
  try {
    link = Deno.readLinkSync(path);
  } catch { /* described without its target */ }
  const to = link ? ` → ${link}` : "";
  if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
    result.skipped.push({ path, reason: `broken symlink${to}` });
    if (link) result.unknown.add(resolvePath(dir, link));
  } else if (e instanceof Deno.errors.FilesystemLoop || /\(os error 40\)/.test(e.message)) {
    result.skipped.push({ path, reason: `symlink loop${to} (too many levels of symbolic links)` });
  } else {
    result.errors.push({ path, reason: `cannot follow the symlink${to}: ${e.message}` });
    if (link) result.unknown.add(resolvePath(dir, link));
  }
}

/**
 * Whether `contents/screenshot.EXT` in `dir` is the preview of a KDE
 * wallpaper package (a folder with `metadata.json` or `metadata.desktop`
 * beside `contents/`).
 */
function isKdePreview(dir: string, name: string, cache: Map<string, boolean>): boolean {
  if (!/^screenshot\.[^.]+$/i.test(name) || !dir.endsWith("/contents")) return false;
  return isPackage(dir.slice(0, -"/contents".length), cache);
}

/** Whether a folder is a KDE wallpaper package: it holds its metadata file. */
function isPackage(pkg: string, cache: Map<string, boolean>): boolean {
  let known = cache.get(pkg);
  if (known === undefined) {
    known = PACKAGE_METADATA.some((m) => {
      try {
        return Deno.statSync(`${pkg}/${m}`).isFile;
      } catch {
        return false;
      }
    });
    cache.set(pkg, known);
  }
  return known;
}

/** An absolute, normalised path for `rel` seen from folder `base`. */
export function resolvePath(base: string, rel: string): string {
  return normalizePath(rel.startsWith("/") ? rel : `${base}/${rel}`);
}

function folderError(e: Error): string {
  if (e instanceof Deno.errors.PermissionDenied) {
    return "permission denied listing the folder; its images are kept as they were (check its permissions)";
  }
  return `cannot list the folder: ${e.message}; its images are kept as they were`;
}
