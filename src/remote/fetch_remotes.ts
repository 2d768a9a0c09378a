/**
 * `varietal fetch` and the daemon's top-up: for each remote that wants
 * images, ask its API what it has (worker phase 1), and as each listing
 * arrives choose what to download, download and check it (worker phase 2,
 * with network permission for exactly the image hosts chosen), and index
 * every file with its credit as it arrives. A remote that fails is reported
 * and backed off; the others go on.
 *
 * Requires `--allow-read`, `--allow-write`, `--allow-env` and `--allow-run`;
 * never `--allow-net` (the worker has its own).
 *
 * @module
 */
import type { Config } from "../config/schema.ts";
import type { Paths } from "../config/paths.ts";
import type { Database } from "../db/database.ts";
import { recordFetchFailure, recordFetchSuccess } from "../db/remotes.ts";
import { acquireLock } from "../pipeline/lock.ts";
import type { Timeouts } from "./protocol.ts";
import { nextBackoff } from "./planner.ts";
import { enforceQuota } from "./quota.ts";
import {
  downloadsRoot,
  droppedRemoteNote,
  makeDownloadsFolder,
  syncConfigRemotes,
} from "./sync.ts";
import { defaultLaunch, type WorkerLaunch } from "./spawn_worker.ts";
import type { FetchedFile, FetchReport } from "./fetch_report.ts";
import { planRemotes, RemoteSelectionError, selectRemotes } from "./fetch_plan.ts";
import { type FetchRun, redactKeys } from "./fetch_run.ts";
import { listRemotes } from "./fetch_list.ts";
import { downloadQueue } from "./fetch_download.ts";
import { localTime } from "../text/local_time.ts";

export type { FetchedFile, FetchReport } from "./fetch_report.ts";
export { RemoteSelectionError };

/** Options for {@linkcode fetchRemotes}. */
export interface FetchOptions {
  /** Only these remotes (by name); else every enabled one. */
  names?: readonly string[];
  /** Download this many per remote instead of topping up to `keep_unseen`. */
  count?: number;
  env: (name: string) => string | undefined;
  /** @default Date.now */
  now?: () => number;
  signal?: AbortSignal;
  /**
   * Called with the number of images wanted so far, each time a remote's listing makes it grow;
   * `onFile` for each file added.
   */
  onPlan?: (wanted: number) => void;
  onFile?: (file: FetchedFile) => void;
  /** How to run the worker. @default {@linkcode defaultLaunch} */
  launch?: WorkerLaunch;
  /**
   * Milliseconds to wait for another fetch (one at a time per user, so two never download the
   * same picture twice). @default 0
   */
  lockTimeoutMs?: number;
  /** Told once when another fetch (the daemon's, say) holds the lock and this one waits. */
  onWait?: (holder: string | null) => void;
}

/** The lock file held while fetching. */
export function fetchLockFile(paths: Paths): string {
  return `${paths.runtime}/fetch.lock`;
}

/**
 * Fetches images for remotes.
 *
 * @throws {RemoteSelectionError} When a named remote does not exist or is disabled.
 * @throws {BusyError} When another fetch runs longer than `lockTimeoutMs`.
 * @throws {DOMException} When `signal` aborts (files already indexed stay).
 */
export async function fetchRemotes(
  db: Database,
  config: Config,
  paths: Paths,
  options: FetchOptions,
): Promise<FetchReport> {
  using _lock = await acquireLock(fetchLockFile(paths), {
    timeoutMs: options.lockTimeoutMs ?? 0,
    purpose: "fetch",
    signal: options.signal,
    ...(options.onWait ? { onWait: options.onWait } : {}),
  });
  return await fetchLocked(db, config, paths, options);
}

async function fetchLocked(
  db: Database,
  config: Config,
  paths: Paths,
  options: FetchOptions,
): Promise<FetchReport> {
  const now = options.now ?? Date.now;
  const report: FetchReport = { added: [], remotes: [], warnings: [], notes: [] };
  const { dropped, followed } = await syncConfigRemotes(db, config, paths, now());
  for (const r of dropped) report.notes.push({ remote: r.name, message: droppedRemoteNote(r) });
  report.notes.push(...followed);
  const rows = selectRemotes(db, options.names, config);
  const keys: string[] = [];
  const scrub = redactKeys(keys);
  const warn = (remote: string, message: string) =>
    report.warnings.push({ remote, message: scrub(message) });
  const timeouts: Timeouts = {
    connectMs: config.fetch.connect_timeout * 1000,
    idleMs: config.fetch.idle_timeout * 1000,
    totalMs: config.fetch.total_timeout * 1000,
    minBytesPerSec: config.fetch.min_speed,
  };
  const plans = await planRemotes(db, rows, {
    paths,
    env: options.env,
    now,
    count: options.count,
    report,
    warn,
    keys,
  });
  const run: FetchRun = {
    db,
    config,
    report,
    timeouts,
    root: downloadsRoot(paths),
    now,
    byName: new Map(plans.map((p) => [p.row.name, p])),
    warn,
    fail(p, info) {
      p.failed ??= info;
      warn(p.row.name, info.message);
    },
    redact: scrub,
    launch: async () => options.launch ?? await defaultLaunch(paths.cache, options.env),
    env: options.env,
    signal: options.signal,
    onPlan: options.onPlan,
    onFile: options.onFile,
  };
  await makeDownloadsFolder(run.root);

  // Each remote's downloads start as soon as its listing arrives, so a slow or stuck service
  // holds up only itself.
  const downloads = downloadQueue(run);
  try {
    await listRemotes(run, plans, (p) => downloads.add(p));
  } finally {
    // Downloads already started end (or stop with the same signal) before anything is
    // reported or the lock is let go.
    await downloads.settled().catch(() => {});
  }
  await downloads.settled();

  // Book-keeping: back-off, quota, outcome.
  for (const p of plans) {
    const t = now();
    if (p.duplicates) {
      report.notes.push({
        remote: p.row.name,
        message: `${p.duplicates} download(s) had the same bytes as a picture already stored: ` +
          "skipped, and not downloaded again",
      });
    }
    if (p.failed) {
      const until = nextBackoff(p.row.failures, p.failed, t);
      recordFetchFailure(db, p.row.source_id, t, p.failed.message, until);
      p.outcome.status = p.outcome.added > 0 ? "partial" : "failed";
      p.outcome.note = p.failed.message +
        (until ? `; next try after ${localTime(until)}` : "");
      if (until) p.outcome.backoff_until = until;
    } else {
      recordFetchSuccess(db, p.row.source_id, t, p.limitAt);
      if (p.outcome.status === "ok" && p.outcome.added < p.want) {
        p.outcome.status = "partial";
        p.outcome.note ??= `${p.outcome.added} of ${p.want} wanted`;
      }
    }
    if (p.outcome.added > 0) {
      p.outcome.evicted += (await enforceQuota(db, p.row, paths.state, t)).deleted;
    }
  }
  return report;
}
