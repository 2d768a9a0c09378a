/**
 * The daemon's background rescan: every `[daemon] rescan` (default an hour;
 * the first one shortly after start), the same incremental scan as
 * `varietal scan`, so that pictures added to, moved within or deleted from
 * your folders are drawn (or not) without a scan by hand. It takes no lock,
 * as `varietal scan` takes none, and gives the event loop back every few
 * hundred files, so a key press's `next` is not held up by it; what it
 * changed, and new problems, go to the daemon's log.
 *
 * @module
 */
import type { Config } from "../config/schema.ts";
import type { Database } from "../db/database.ts";
import { listSources } from "../db/sources.ts";
import { maxPixelsOf } from "../palette/pixel_limit.ts";
import { type ScanOptions, type ScanReport, scanSources } from "../scan/scanner.ts";
import { droppedSourceNote, syncConfigSources } from "../scan/source_path.ts";
import type { SourceRow } from "../db/sources.ts";
import { type Periodic, startPeriodic } from "../periodic.ts";
import { databaseFailure } from "../db/errors.ts";

/** Options for {@linkcode startRescan}. */
export interface RescanOptions {
  db: Database;
  /** The current config (read again for every scan: the daemon may reload it). */
  config: () => Config;
  /** The home folder (for `~` in `[[sources]]`). */
  home: string;
  /** Logs problems. */
  log: (line: string) => void;
  /** Logs what was done (quiet daemons drop it). */
  info: (line: string) => void;
  /** Milliseconds before the first scan. @default 30000 */
  firstDelayMs?: number;
  /** Milliseconds between scans, instead of `[daemon] rescan` (tests). */
  everyMs?: number;
  /** Runs a scan (tests replace it). @default scanSources */
  scan?: (db: Database, sources: readonly SourceRow[], options: ScanOptions) => Promise<ScanReport>;
}

/** A running rescan: `stop()` ends a scan in progress and waits for it. */
export type Rescan = Periodic;

/** How often a daemon whose `[daemon] rescan` is 0 looks whether a reload turned it on. */
const OFF_RECHECK_MS = 600_000;

/**
 * "3 added, 1 missing": the counts of a scan that changed something, or ""
 * when it changed nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanSummary } from "./background_scan.ts";
 *
 * const none = { added: 0, updated: 0, missing: 0, restored: 0, moved: 0, removed: 0 };
 * assert.equal(scanSummary(none), "");
 * assert.equal(scanSummary({ ...none, added: 3, missing: 1 }), "3 added, 1 missing");
 * ```
 */
export function scanSummary(r: Pick<ScanReport, typeof SUMMARY_COUNTS[number]>): string {
  return SUMMARY_COUNTS.filter((k) => r[k] > 0).map((k) => `${r[k]} ${k}`).join(", ");
}

/** The counts of a scan that say it changed the collection, in the order they are said. */
const SUMMARY_COUNTS = ["added", "updated", "moved", "removed", "missing", "restored"] as const;

/** Starts rescanning in the background. */
export function startRescan(o: RescanOptions): Rescan {
  const scan = o.scan ?? scanSources;
  /** The problems logged last time: logged again only when they change. */
  let lastProblems = "";
  const check = async (signal: AbortSignal) => {
    const config = o.config();
    if (config.daemon.rescan <= 0) return;
    try {
      const { problems: unreachable, dropped, added } = await syncConfigSources(
        o.db,
        config,
        o.home,
      );
      for (const d of dropped) {
        const exists = await Deno.stat(d).then((s) => s.isDirectory, () => false);
        o.info(`scan: ${droppedSourceNote(d, added, exists)}`);
      }
      const sources = listSources(o.db);
      if (!sources.some((s) => s.enabled)) return;
      const report = await scan(o.db, sources, {
        signal,
        maxPixels: maxPixelsOf(config),
        // A turn of the event loop every few hundred files: control requests, rotations.
        pause: () => new Promise((r) => setTimeout(r, 0)),
      });
      const summary = scanSummary(report);
      if (summary) o.info(`scan: ${summary}`);
      const problems = [...unreachable, ...report.offline, ...report.errors].map((e) =>
        `scan: ${e.path}: ${e.reason}`
      );
      const key = problems.join("\n");
      if (key !== lastProblems) { for (const p of problems) o.log(p); }
      lastProblems = key;
    } catch (e) {
      if (!signal.aborted) {
        o.log(`scan failed: ${(databaseFailure(e, o.db.path) as Error).message}`);
      }
    }
  };
  return startPeriodic({
    run: check,
    firstDelayMs: o.firstDelayMs ?? 30_000,
    nextDelayMs: () => {
      try {
        const s = o.config().daemon.rescan;
        return s > 0 ? o.everyMs ?? s * 1000 : OFF_RECHECK_MS;
      } catch {
        return OFF_RECHECK_MS;
      }
    },
  });
}
