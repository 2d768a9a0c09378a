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
  type ImageFacts,
  insertImage,
  markMissing,
  markPresent,
  updateImageFacts,
} from "../db/images.ts";
import { clearFittingTooLarge } from "../db/decode_failures.ts";
import { markSourceScanned, type SourceRow } from "../db/sources.ts";
import { hasImageExtension, ProbeError, probeImage } from "./probe.ts";
import { walkFolder } from "./walk.ts";

/** One file or folder that could not be indexed. */
export interface ScanError {
  path: string;
  reason: string;
}

/** What a scan did. */
export interface ScanReport {
  added: number;
  updated: number;
  unchanged: number;
  /** Images newly marked missing. */
  missing: number;
  /** Images that were missing and are back. */
  restored: number;
  /** Files that are not indexed images (SVG, text, …). */
  skipped: number;
  /** Skipped files by lower-case extension ("" for none). */
  skipped_by_extension: Record<string, number>;
  /** Readable images left out on purpose, with the reason (e.g. over the pixel limit). */
  skipped_files: ScanError[];
  errors: ScanError[];
}

/** Options for {@linkcode scanSources}. */
export interface ScanOptions {
  /** Milliseconds since the epoch. @default Date.now() */
  now?: number;
  /** Called as files are examined. */
  onProgress?: (
    event: { phase: "walk" | "probe"; done: number; total: number; path?: string },
  ) => void;
  signal?: AbortSignal;
  /** Files written per transaction. @default 2000 */
  batchSize?: number;
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
}

/**
 * Scans the given sources (disabled ones are ignored).
 *
 * A source folder that cannot be read is reported as an error and its
 * images are left as they are (an unmounted disk is not a deletion).
 */
export async function scanSources(
  db: Database,
  sources: readonly SourceRow[],
  options: ScanOptions = {},
): Promise<ScanReport> {
  const { now = Date.now(), onProgress, signal, batchSize = 2000, maxPixels = Infinity } = options;
  const report: ScanReport = {
    added: 0,
    updated: 0,
    unchanged: 0,
    missing: 0,
    restored: 0,
    skipped: 0,
    skipped_by_extension: {},
    skipped_files: [],
    errors: [],
  };
  // Deeper sources first, so a file in nested sources belongs to the innermost one.
  const enabled = sources.filter((s) => s.enabled).sort((a, b) => b.path.length - a.path.length);
  const owner = new Map<string, number>();
  const walked = new Set<number>();
  for (const src of enabled) {
    signal?.throwIfAborted();
    let files: string[];
    try {
      files = await walkFolder(src.path, { recursive: src.recursive, signal });
    } catch (e) {
      signal?.throwIfAborted();
      report.errors.push({ path: src.path, reason: folderReason(e as Error) });
      continue;
    }
    walked.add(src.id);
    for (const f of files) if (!owner.has(f)) owner.set(f, src.id);
    onProgress?.({ phase: "walk", done: owner.size, total: 0, path: src.path });
  }

  const known = new Map<string, Known>();
  for (
    const r of db.prepare(
      "SELECT id, path, source_id, size, mtime, missing_since FROM images",
    ).iterate() as Iterable<Known & { path: string }>
  ) known.set(r.path, r);

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
  const restored: number[] = [];
  for (const [path, sourceId] of owner) {
    signal?.throwIfAborted();
    done++;
    if (done % 256 === 0) onProgress?.({ phase: "probe", done, total, path });
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
      report.errors.push({ path, reason: `cannot stat: ${(e as Error).message}` });
      continue;
    }
    if (!stat.isFile) continue;
    const mtime = stat.mtime?.getTime() ?? 0;
    const row = known.get(path);
    if (row && row.size === stat.size && row.mtime === mtime && row.source_id === sourceId) {
      if (row.missing_since !== null) {
        restored.push(row.id);
        report.restored++;
      } else report.unchanged++;
      continue;
    }
    let facts: ImageFacts;
    try {
      const p = probeImage(path, stat.size, maxPixels);
      facts = { path, source_id: sourceId, size: stat.size, mtime, ...p };
    } catch (e) {
      if (!(e instanceof ProbeError)) throw e;
      if (e.skipped) {
        report.skipped++;
        report.skipped_files.push({ path, reason: e.message });
      } else report.errors.push({ path, reason: e.message });
      continue;
    }
    if (row) {
      pending.push(() => updateImageFacts(db, row.id, facts, now));
      report.updated++;
    } else {
      pending.push(() => insertImage(db, facts, now));
      report.added++;
    }
    if (pending.length >= batchSize) flush();
  }
  onProgress?.({ phase: "probe", done, total });

  const vanished: number[] = [];
  for (const [path, row] of known) {
    if (row.missing_since === null && walked.has(row.source_id) && !owner.has(path)) {
      vanished.push(row.id);
    }
  }
  report.missing = vanished.length;
  db.transaction(() => {
    flush();
    markMissing(db, vanished, now);
    markPresent(db, restored);
    if (Number.isFinite(maxPixels)) clearFittingTooLarge(db, maxPixels);
    for (const id of walked) markSourceScanned(db, id, now);
  });
  return report;
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
