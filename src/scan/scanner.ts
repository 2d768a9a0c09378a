/**
 * Incremental scanning: walks every enabled source, probes new and changed
 * files, marks vanished ones missing and brings back those that reappear.
 *
 * Requires `--allow-read` for the sources.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import {
  deleteImages,
  type ImageFacts,
  insertImageIfNew,
  markMissing,
  markPresent,
  updateImageFacts,
} from "../db/images.ts";
import { clearFittingTooLarge, markDecodeFailed } from "../db/decode_failures.ts";
import { markSourceScanned, mergeTwin, moveShows, type SourceRow } from "../db/sources.ts";
import { hasImageExtension, ProbeError, probeImage } from "./probe.ts";
import { LOOSE_KIND, looseChanges } from "./loose.ts";
import { type PathReason, walkFolder, type WalkOptions } from "./walk.ts";
import { sourceAvailability, type SourceCheck } from "./availability.ts";
import { turnTaker } from "./turns.ts";
import { osErrorCause } from "../text/not_capable.ts";

/** One file or folder that could not be indexed. */
export type ScanError = PathReason;

/** What a scan did. */
export interface ScanReport {
  added: number;
  updated: number;
  unchanged: number;
  /** Images newly marked missing. */
  missing: number;
  /** Images that were missing and are back. */
  restored: number;
  /** Known images found at a new place (moved or renamed; same name, size and time). */
  moved: number;
  /**
   * Images taken out of the collection: sizes of a KDE wallpaper package
   * other than the one now indexed, never shown, favourited or banned.
   */
  removed: number;
  /** Files that are not indexed images (SVG, text, …). */
  skipped: number;
  /** Skipped files by lower-case extension ("" for none). */
  skipped_by_extension: Record<string, number>;
  /**
   * Paths left out on purpose, each with the reason (broken symlinks,
   * symlink loops, KDE package previews, images over the pixel limit, …).
   * Not errors.
   */
  skipped_files: PathReason[];
  /** Folders and files that could not be read; their images are kept as they were. */
  errors: ScanError[];
  /**
   * Sources left out because they are offline (an unplugged drive, an unmounted
   * share, a folder gone); their images are kept as they were. Not errors: a scan
   * run while a drive is away did all it could.
   */
  offline: ScanError[];
}

/** A report of a scan that has found nothing yet. */
export function emptyScanReport(): ScanReport {
  return {
    added: 0,
    updated: 0,
    unchanged: 0,
    missing: 0,
    restored: 0,
    moved: 0,
    removed: 0,
    skipped: 0,
    skipped_by_extension: {},
    skipped_files: [],
    errors: [],
    offline: [],
  };
}

/** Options for {@linkcode scanSources}. */
export interface ScanOptions {
  /** Milliseconds since the epoch. @default Date.now() */
  now?: number;
  /** Called as files are examined. */
  onProgress?: (
    event: { phase: "walk" | "probe"; done: number; total: number; path?: string },
  ) => void;
  /**
   * Stops the scan (it then throws the signal's reason). The scan gives the
   * event loop a turn every few tens of milliseconds, so that a signal
   * listener can abort it; the batches already written are kept, and a
   * rerun goes on from them.
   */
  signal?: AbortSignal;
  /** Files written per transaction. @default 2000 */
  batchSize?: number;
  /**
   * Awaited every 256 files, instead of the timed turns of the probing (the
   * daemon's rescan gives the event loop a turn there). @default none
   */
  pause?: () => Promise<void>;
  /** Checks whether a source is reachable before walking it. @default sourceAvailability */
  sourceCheck?: SourceCheck;
  /** Lists a folder (tests inject failures). @default Deno.readDir */
  readDir?: WalkOptions["readDir"];
  /**
   * Images with more pixels are skipped ("too large: …"), and images once
   * refused as too large that now fit are drawn again. @default Infinity
   */
  maxPixels?: number;
}

interface Known {
  id: number;
  source_id: number;
  size: number;
  mtime: number;
  missing_since: number | null;
  /** Shown, favourite or banned: the row holds something of the user's. */
  kept: number;
  indexed_at: number;
}

interface AddedRow {
  id: number;
  path: string;
  sourceId: number;
  /** {@linkcode moveKey} of the new file. */
  key: string;
  /**
   * Not added by this scan but indexed since its folder's last one (`next --image`
   * or `favorite` of the file at its new place): merged into the old row if it moved.
   */
  late?: "unchanged" | "updated";
}

/** What a move or rename keeps of a file: its name, size and modification time. */
function moveKey(path: string, size: number, mtime: number): string {
  return `${path.slice(path.lastIndexOf("/") + 1)}\0${size}\0${mtime}`;
}

/** An image a new file may be the new place of. */
interface MoveSource {
  id: number;
  /**
   * Set for an image of a disabled folder (not walked, so not known to be
   * gone): it moved only if its path is gone when the match is made.
   */
  unconfirmed?: { path: string; sourceId: number };
}

/**
 * The images a new file may be the new place of, by {@linkcode moveKey}:
 * those gone from their old place (this scan, or missing since an earlier
 * one), and those of disabled folders (`idle`: their ids), which are checked
 * only when a new file matches one ({@linkcode goneFromIdle}).
 */
function moveSources(
  known: ReadonlyMap<string, Known>,
  vanished: readonly number[],
  idle: ReadonlySet<number>,
): Map<string, MoveSource[]> {
  const gone = new Set(vanished);
  const from = new Map<string, MoveSource[]>();
  for (const [path, row] of known) {
    const unconfirmed = row.missing_since === null && !gone.has(row.id);
    if (unconfirmed && !idle.has(row.source_id)) continue;
    const key = moveKey(path, row.size, row.mtime);
    from.set(key, [
      ...(from.get(key) ?? []),
      unconfirmed ? { id: row.id, unconfirmed: { path, sourceId: row.source_id } } : row,
    ]);
  }
  return from;
}

/**
 * Whether an image of a disabled folder is gone from it: its folder is
 * there (not unmounted) and the file is not.
 */
function goneFromIdle(
  { path, sourceId }: { path: string; sourceId: number },
  roots: ReadonlyMap<number, string>,
): boolean {
  const root = roots.get(sourceId);
  if (root === undefined) return false;
  try {
    if (!Deno.statSync(root).isDirectory) return false;
  } catch {
    return false;
  }
  try {
    Deno.lstatSync(path);
    return false;
  } catch (e) {
    return e instanceof Deno.errors.NotFound;
  }
}

/** An image's folder and shows, as {@linkcode moveShows} moves them between folders. */
function showsOf(
  db: Database,
  id: number,
): { source_id: number; times_shown: number; last_shown_at: number | null } | undefined {
  return db.prepare("SELECT source_id, times_shown, last_shown_at FROM images WHERE id = ?")
    .get(id) as
      | { source_id: number; times_shown: number; last_shown_at: number | null }
      | undefined;
}

/**
 * Matches images gone from their old place ({@linkcode moveSources}) with
 * new rows of the same name, size and modification time: where exactly one
 * of each matches, the old row takes the new place (keeping its favourite,
 * ban, palette and history) and the new row goes. Rows this scan added are
 * matched first; a row indexed at the new place since the last scan (shown
 * there with `next --image` before this scan) only when none was added, and
 * its shows and marks join the old row.
 *
 * @returns The old rows that moved, each with the row it replaced.
 */
function followMoves(
  db: Database,
  from: ReadonlyMap<string, readonly MoveSource[]>,
  added: readonly AddedRow[],
  now: number,
  isGone: (source: MoveSource) => boolean,
): Map<number, AddedRow> {
  const moved = new Map<number, AddedRow>();
  if (added.length === 0 || from.size === 0) return moved;
  const to = new Map<string, AddedRow[]>();
  for (const a of added) {
    if (from.has(a.key)) to.set(a.key, [...(to.get(a.key) ?? []), a]);
  }
  for (const [key, all] of to) {
    // An image of a disabled folder counts only if its file is gone from there.
    const sources = from.get(key)!.filter((s) => s.unconfirmed === undefined || isGone(s));
    const fresh = all.filter((a) => !a.late);
    const targets = fresh.length ? fresh : all;
    if (sources.length !== 1 || targets.length !== 1) continue; // ambiguous: leave as it is
    const [old] = sources, [a] = targets;
    // Moved into another folder: its shows count for that one now.
    const before = showsOf(db, old.id);
    if (a.late) mergeTwin(db, old.id, a.path, a.sourceId);
    else db.prepare("DELETE FROM images WHERE id = ?").run(a.id);
    db.prepare(
      // Its play key (its place in an ordered folder) comes from the path: made again.
      `UPDATE images SET path = ?, source_id = ?, missing_since = NULL, indexed_at = ?,
         play_key = NULL WHERE id = ?`,
    ).run(a.path, a.sourceId, now, old.id);
    if (before) moveShows(db, before.source_id, a.sourceId, before);
    moved.set(old.id, a);
  }
  return moved;
}

/** Rows read per query by {@linkcode loadKnown}. */
const KNOWN_PAGE = 4096;

/**
 * The indexed images by path, read a page at a time with `turn()` between
 * pages (40 000 rows take ~100 ms: a signal is not held up that long).
 */
async function loadKnown(
  db: Database,
  turn: () => Promise<void>,
): Promise<Map<string, Known>> {
  const known = new Map<string, Known>();
  const page = db.prepare(
    `SELECT id, path, source_id, size, mtime, missing_since,
       (last_shown_at IS NOT NULL OR favorite <> 0 OR banned <> 0) AS kept, indexed_at
     FROM images WHERE id > ? ORDER BY id LIMIT ${KNOWN_PAGE}`,
  );
  for (let after = Number.MIN_SAFE_INTEGER;;) {
    const rows = page.all(after) as unknown as (Known & { path: string })[];
    for (const r of rows) {
      // Copied into objects of one shape: the rows node:sqlite returns are dictionaries of
      // ~600 bytes each (60 MB of heap for 100k images, held through the whole scan).
      known.set(r.path, {
        id: r.id,
        source_id: r.source_id,
        size: r.size,
        mtime: r.mtime,
        missing_since: r.missing_since,
        kept: r.kept,
        indexed_at: r.indexed_at,
      });
    }
    if (rows.length < KNOWN_PAGE) return known;
    after = rows[rows.length - 1].id;
    await turn();
  }
}

/** A folder's real path (undefined when it cannot be resolved). */
function rootOf(path: string): string | undefined {
  try {
    return Deno.realPathSync(path);
  } catch {
    return undefined;
  }
}

/** Whether `file` lies under the folder `root`. */
function inside(file: string, root: string | undefined): boolean {
  return root !== undefined && file.startsWith(root === "/" ? "/" : `${root}/`);
}

/**
 * Scans the given sources (disabled ones are ignored).
 *
 * A source that is offline (see {@linkcode sourceAvailability}) is reported
 * as an error and not walked; a folder that cannot be listed is reported and
 * the images under it are left as they are. An image is marked missing only
 * when it was positively seen gone: a folder above it was listed and the
 * path below it was not there (for an image reached through a symlink out of
 * the source, when nothing of the source was unreadable).
 *
 * A scan stopped by its signal throws the signal's reason; the batches it
 * wrote are kept (images added or updated), and nothing else: no image is
 * marked missing, and a new file that may be a known image moved is left to
 * the next scan, which matches the two.
 */
export async function scanSources(
  db: Database,
  sources: readonly SourceRow[],
  options: ScanOptions = {},
): Promise<ScanReport> {
  const { now = Date.now(), onProgress, signal, batchSize = 2000, maxPixels = Infinity } = options;
  const check = options.sourceCheck ?? ((s) => sourceAvailability(db, s));
  const turn = turnTaker(signal);
  const report = emptyScanReport();
  // Deeper sources first, so a file in nested sources belongs to the innermost one.
  const enabled = sources.filter((s) => s.enabled && s.kind !== LOOSE_KIND)
    .sort((a, b) => b.path.length - a.path.length);
  const owner = new Map<string, number>();
  /** What the walks reported, so that nested folders' problems are said once. */
  const said = new Set<string>();
  /** Walked sources → what their root looked like, and whether part of them was unreadable. */
  const walked = new Map<number, { dev: number | null; markers: string[]; blind: boolean }>();
  const listed = new Set<string>();
  const unknown = new Set<string>();
  /** KDE package sizes the walks left out, by real path → their listed path and source. */
  const otherSizes = new Map<string, { listed: string; sourceId: number }>();
  const enabledPaths = new Set(enabled.map((s) => s.path));
  for (const src of enabled) {
    signal?.throwIfAborted();
    const available = check(src);
    if (!available.online) {
      report.offline.push({
        path: src.path,
        reason: `offline: ${available.reason}; its images are kept`,
      });
      continue;
    }
    let walk;
    try {
      walk = await walkFolder(src.path, {
        recursive: src.recursive,
        signal,
        readDir: options.readDir,
        maxPixels,
      });
    } catch (e) {
      signal?.throwIfAborted();
      report.errors.push({ path: src.path, reason: folderReason(e as Error) });
      continue;
    }
    let dev: number | null = null;
    try {
      dev = Deno.statSync(src.path).dev;
    } catch { /* recorded as unknown */ }
    walked.set(src.id, { dev, markers: walk.markers, blind: walk.unknown.size > 0 });
    for (const d of walk.listed) listed.add(d);
    for (const d of walk.unknown) unknown.add(d);
    // (Nested folders walk the inner one's files twice: each problem is said once.)
    for (const e of walk.errors) {
      if (said.has(`e\0${e.path}`)) continue;
      said.add(`e\0${e.path}`);
      report.errors.push(e);
    }
    for (const k of walk.skipped) {
      // A trash folder added as a source of its own is walked as one: nothing to say of it.
      if (enabledPaths.has(k.path)) continue;
      if (said.has(`s\0${k.path}`)) continue;
      said.add(`s\0${k.path}`);
      report.skipped_files.push(k);
    }
    for (const f of walk.files) if (!owner.has(f)) owner.set(f, src.id);
    for (const f of walk.otherSizes) {
      if (!otherSizes.has(f.real)) otherSizes.set(f.real, { listed: f.path, sourceId: src.id });
    }
    onProgress?.({ phase: "walk", done: owner.size, total: 0, path: src.path });
  }
  // A file reached through a symlink into another of the folders is that folder's, the
  // innermost one its real path is in, enabled or not: its order, group, balance and
  // `sources disable` are that folder's.
  const roots = sources
    .filter((s) => s.kind !== LOOSE_KIND)
    .map((s) => ({ id: s.id, root: rootOf(s.path) }))
    .filter((r): r is { id: number; root: string } => r.root !== undefined)
    .sort((a, b) => b.root.length - a.root.length);
  if (roots.length > 1) {
    for (const [f, id] of owner) {
      const home = roots.find((r) => inside(f, r.root));
      if (home && home.id !== id) owner.set(f, home.id);
    }
  }

  const known = await loadKnown(db, turn);
  // A package size indexed before (by an older varietal, or shown with --image): one the
  // user has shown, favourited or banned stays indexed; the others leave the collection.
  const extraSizes: number[] = [];
  const keptSizes = new Set<string>();
  for (const [path, { listed, sourceId }] of otherSizes) {
    const row = known.get(path);
    if (!row || owner.has(path)) continue;
    if (row.kept) {
      owner.set(path, sourceId);
      keptSizes.add(listed);
    } else {
      extraSizes.push(row.id);
      known.delete(path);
    }
  }
  if (keptSizes.size) {
    report.skipped_files = report.skipped_files.filter((f) => !keptSizes.has(f.path));
  }

  // What is gone is known from the walks: found before probing, so that a new file that may
  // be one of them moved is written with the match (an interrupted scan leaves both as they are).
  const vanished: number[] = [];
  for (const [path, row] of known) {
    const source = walked.get(row.source_id);
    if (
      row.missing_since === null && source && !owner.has(path) &&
      seenGone(path, listed, unknown, source.blind)
    ) vanished.push(row.id);
  }
  const loose = looseChanges(sources, known, owner);
  vanished.push(...loose.vanished);
  // An image moved out of a disabled folder (not walked) into a walked one keeps its row too.
  const idleRoots = new Map(
    sources.filter((s) => !s.enabled && s.kind !== LOOSE_KIND).map((s) => [s.id, s.path]),
  );
  const from = moveSources(known, vanished, new Set(idleRoots.keys()));

  const total = owner.size;
  let done = 0;
  let pending: (() => void)[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const work = pending;
    pending = [];
    db.transaction(() => {
      for (const w of work) w();
    });
  };
  /** Inserts of new files that may be a known image moved: written with the moves. */
  const maybeMoved: (() => void)[] = [];
  const restored: number[] = [];
  /** Rows inserted by this scan (a moved image's new place, until it is matched). */
  const added: AddedRow[] = [];
  const lastScan = new Map(sources.map((s) => [s.id, s.last_scanned_at ?? -Infinity]));
  /** A known row at a new file's place, indexed since its folder's last scan, may be a move's. */
  const late = (row: Known, path: string, sourceId: number, how: "unchanged" | "updated") => {
    const key = moveKey(path, row.size, row.mtime);
    if (from.has(key) && row.indexed_at > (lastScan.get(sourceId) ?? -Infinity)) {
      added.push({ id: row.id, path, sourceId, key, late: how });
    }
  };
  for (const [path, sourceId] of owner) {
    signal?.throwIfAborted();
    done++;
    if (done % 256 === 0) {
      onProgress?.({ phase: "probe", done, total, path });
      if (options.pause) {
        await options.pause();
        signal?.throwIfAborted();
      } else await turn();
    }
    if (!hasImageExtension(path)) {
      report.skipped++;
      const name = path.slice(path.lastIndexOf("/") + 1);
      const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
      report.skipped_by_extension[ext] = (report.skipped_by_extension[ext] ?? 0) + 1;
      continue;
    }
    let stat: Deno.FileInfo;
    try {
      stat = Deno.statSync(path);
    } catch (e) {
      // Gone since the folder was listed (a sync or sorting tool at work): no error; the
      // next scan sees it gone (or where it went).
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) continue;
      report.errors.push({
        path,
        reason: `cannot stat: ${osErrorCause(e) ?? (e as Error).message}`,
      });
      continue;
    }
    if (!stat.isFile) continue;
    const mtime = stat.mtime?.getTime() ?? 0;
    const row = known.get(path);
    if (row && row.size === stat.size && row.mtime === mtime && row.source_id === sourceId) {
      if (row.missing_since !== null) {
        restored.push(row.id);
        report.restored++;
      } else {
        report.unchanged++;
        late(row, path, sourceId, "unchanged");
      }
      continue;
    }
    let facts: ImageFacts;
    try {
      const p = probeImage(path, stat.size, maxPixels);
      facts = { path, source_id: sourceId, size: stat.size, mtime, ...p };
    } catch (e) {
      if (!(e instanceof ProbeError)) throw e;
      if (e.cause instanceof Deno.errors.NotFound) continue; // gone since its stat
      if (e.skipped) report.skipped_files.push({ path, reason: e.message });
      else report.errors.push({ path, reason: e.message });
      // A known image whose file became one we leave out (grew past the pixel limit,
      // was cut off or overwritten) is kept out of draws until the file changes again,
      // as a failed decode is; its row (history, favourite) stays.
      if (row && e.skipped) {
        const failure = { at: now, size: stat.size, mtime, pixels: e.pixels, reason: e.message };
        pending.push(() => markDecodeFailed(db, row.id, failure));
      }
      continue;
    }
    if (row) {
      pending.push(() => {
        // Now another folder's (a subfolder added as a folder of its own, a single file's
        // folder added): its shows count for that one.
        if (row.source_id !== sourceId) {
          const before = showsOf(db, row.id);
          if (before) moveShows(db, row.source_id, sourceId, before);
        }
        updateImageFacts(db, row.id, facts, now);
      });
      report.updated++;
      late({ ...row, size: stat.size, mtime }, path, sourceId, "updated");
    } else {
      const key = moveKey(path, stat.size, mtime);
      const insert = () => {
        const id = insertImageIfNew(db, facts, now);
        if (id !== undefined) added.push({ id, path, sourceId, key });
        else {
          // Indexed by another writer since the scan began (a second scan, `next --image`).
          report.added--;
          report.unchanged++;
        }
      };
      (from.has(key) ? maybeMoved : pending).push(insert);
      report.added++;
    }
    if (pending.length >= batchSize) flush();
  }
  onProgress?.({ phase: "probe", done, total });
  flush();
  await turn(true); // the last stop: what follows is one transaction

  restored.push(...loose.restored);
  report.restored += loose.restored.length;
  db.transaction(() => {
    for (const w of maybeMoved) w();
    // An image moved or renamed within the sources keeps its row (favourite, ban, history).
    const moved = followMoves(db, from, added, now, (m) => goneFromIdle(m.unconfirmed!, idleRoots));
    report.moved = moved.size;
    for (const a of moved.values()) report[a.late ?? "added"]--;
    const stillGone = vanished.filter((id) => !moved.has(id));
    report.missing = stillGone.length;
    markMissing(db, stillGone, now);
    markPresent(db, restored);
    report.removed = deleteImages(db, extraSizes);
    if (Number.isFinite(maxPixels)) clearFittingTooLarge(db, maxPixels);
    for (const [id, root] of walked) markSourceScanned(db, id, now, root);
  });
  return report;
}

/**
 * Whether a path not found by the walk is positively gone: the nearest
 * folder above it that the walk knows about was listed (not unreadable,
 * not the target of a broken symlink). A path outside every listed folder
 * (reached through a symlink that is no longer there) is gone unless part
 * of its source could not be read (`blind`).
 */
export function seenGone(
  path: string,
  listed: ReadonlySet<string>,
  unknown: ReadonlySet<string>,
  blind: boolean,
): boolean {
  let d = path;
  while (true) {
    if (unknown.has(d)) return false;
    if (d !== path && listed.has(d)) return true;
    const slash = d.lastIndexOf("/");
    if (slash < 0 || d === "/") break;
    d = slash === 0 ? "/" : d.slice(0, slash);
  }
  return !blind;
}

function folderReason(e: Error): string {
  if (e instanceof Deno.errors.NotFound) {
    return "folder not found (moved, deleted or not mounted); its images are kept — remove the source with 'varietal sources remove' if it is gone for good";
  }
  if (e instanceof Deno.errors.PermissionDenied) {
    return "permission denied reading the folder; check its permissions";
  }
  if (e instanceof Deno.errors.NotADirectory) return "not a folder";
  return `cannot read the folder: ${e.message}`;
}
