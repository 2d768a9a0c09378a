/**
 * `varietal fetch` and the daemon's top-up: for each remote that wants
 * images, ask its API what it has (worker phase 1), choose what to download,
 * download and check it (worker phase 2, with network permission for exactly
 * the image hosts chosen), and index every file with its credit as it
 * arrives. A remote that fails is reported and backed off; the others go on.
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
import {
  blockKey,
  blockKeys,
  deletePings,
  failPings,
  knownHashes,
  skipKeys,
} from "../db/attribution.ts";
import { acquireLock } from "../pipeline/lock.ts";
import { VERSION } from "../version.ts";
import type { DownloadTask, FailureInfo, ListTask, Timeouts, WorkerEvent } from "./protocol.ts";
import { apiHost, displayUrl, permissionHost } from "./hosts.ts";
import { chooseCandidates, nextBackoff } from "./planner.ts";
import { enforceQuota } from "./quota.ts";
import { downloadsRoot, droppedRemoteNote, syncConfigRemotes } from "./sync.ts";
import { defaultLaunch, runWorker, type WorkerLaunch } from "./spawn_worker.ts";
import { maxPixelsOf } from "../palette/pixel_limit.ts";
import { redact } from "./worker.ts";
import { type FetchedFile, type FetchReport, indexFile } from "./fetch_report.ts";
import { type Plan, planRemotes, RemoteSelectionError, selectRemotes } from "./fetch_plan.ts";
import { localTime } from "../text/local_time.ts";

export type { FetchedFile, FetchReport, FetchWarning, RemoteOutcome } from "./fetch_report.ts";
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
  /** Called when the number of wanted images is known, then for each file added. */
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

/** The user agent the worker sends. */
export const USER_AGENT = `varietal/${VERSION} (wallpaper fetcher)`;

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
  const { dropped } = await syncConfigRemotes(db, config, paths, now());
  for (const r of dropped) report.notes.push({ remote: r.name, message: droppedRemoteNote(r) });
  const rows = selectRemotes(db, options.names);
  const keys: string[] = [];
  const warn = (remote: string, message: string) =>
    report.warnings.push({ remote, message: redact(message, keys) });
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
  const byName = new Map(plans.map((p) => [p.row.name, p]));
  const fail = (p: Plan, info: FailureInfo) => {
    p.failed ??= info;
    warn(p.row.name, info.message);
  };
  const launch = async () => options.launch ?? await defaultLaunch(paths.cache, options.env);
  const root = downloadsRoot(paths);
  await Deno.mkdir(root, { recursive: true, mode: 0o700 });

  // Phase 1: listings and pings.
  const listPlans = plans.filter((p) => p.want > 0 || p.pings.length > 0);
  if (listPlans.length > 0) {
    const skipSet = skipKeys(db);
    const tasks: ListTask[] = listPlans.map((p) => ({
      spec: p.spec,
      want: p.want,
      skip: [...skipSet],
      pings: p.pings,
      allowedHosts: [apiHost(p.kind, p.spec)!],
    }));
    const onEvent = (e: WorkerEvent) => {
      const p = byName.get(e.remote);
      if (!p) return;
      switch (e.type) {
        case "listing":
          p.items = e.items;
          p.listed = true;
          for (const n of e.notes) report.notes.push({ remote: p.row.name, message: n });
          break;
        case "failure":
          fail(p, e);
          break;
        case "limit":
          p.limitAt = e.retryAt;
          break;
        case "pinged":
          deletePings(db, e.ids);
          break;
        case "ping_failed": {
          const dropped = failPings(db, e.ids);
          warn(
            p.row.name,
            `could not tell the service that ${e.ids.length} image(s) were shown (${e.message})${
              dropped ? `; gave up on ${dropped} after 5 tries` : ""
            }`,
          );
          break;
        }
      }
    };
    const r = await runWorker({
      phase: "list",
      userAgent: USER_AGENT,
      timeouts,
      maxBodyBytes: 8 * 1024 * 1024,
      maxPages: 3,
      tasks,
    }, {
      launch: await launch(),
      hosts: tasks.flatMap((t) => t.allowedHosts),
      downloads: null,
      onEvent: guard(onEvent, (m) => report.warnings.push({ remote: "", message: m })),
      timeoutMs: (3 + Math.max(0, ...tasks.map((t) => t.pings.length))) * timeouts.totalMs + 30_000,
      env: options.env,
      signal: options.signal,
    });
    for (const p of listPlans) {
      if (!p.listed && !p.failed && p.want > 0) {
        fail(p, {
          message: r.timedOut
            ? "the fetcher took too long and was stopped"
            : `the fetcher stopped without an answer${
              r.stderr ? `: ${redact(r.stderr.split("\n").slice(-2).join(" — "), keys)}` : ""
            }`,
          transient: true,
        });
      }
    }
  }

  // Phase 2: downloads.
  const skipSet = skipKeys(db);
  const downloadTasks: DownloadTask[] = [];
  for (const p of plans) {
    if (p.failed || p.want <= 0) continue;
    const items = chooseCandidates(p.items, p.want, {
      kind: p.kind,
      spec: p.spec,
      skip: skipSet,
      maxFileSize: p.row.max_file_size,
    });
    if (items.length === 0) {
      p.outcome.status = "partial";
      p.outcome.note = "the service listed no image that is not already here";
      report.notes.push({ remote: p.row.name, message: p.outcome.note });
      continue;
    }
    downloadTasks.push({
      name: p.row.name,
      kind: p.row.kind,
      dir: p.row.path,
      want: p.want,
      maxFileSize: p.row.max_file_size,
      budget: p.budget,
      minWidth: p.row.min_width,
      minHeight: p.row.min_height,
      maxPixels: maxPixelsOf(config),
      items,
      allowedHosts: [...new Set(items.map((i) => permissionHost(i.imageUrl)!))].sort(),
    });
  }
  const wanted = downloadTasks.reduce((n, t) => n + t.want, 0);
  options.onPlan?.(wanted);
  if (downloadTasks.length > 0) {
    const onEvent = (e: WorkerEvent) => {
      const p = byName.get(e.remote);
      if (!p) return;
      const t = now();
      switch (e.type) {
        case "file": {
          const file = indexFile(db, p.row, e, t);
          p.outcome.added++;
          report.added.push(file);
          options.onFile?.(file);
          break;
        }
        case "duplicate":
          blockKeys(db, [blockKey.url(e.item.imageUrl)], "duplicate", {
            remote: p.row.name,
            now: t,
          });
          p.duplicates = (p.duplicates ?? 0) + 1;
          break;
        case "rejected":
          if (e.quota) {
            if (p.outcome.note === "its quota is reached") break;
            p.outcome.note = "its quota is reached";
            report.notes.push({
              remote: p.row.name,
              message:
                "its quota is reached; shown images are deleted to make room, or raise quota",
            });
            break;
          }
          if (e.permanent) {
            blockKeys(db, [blockKey.url(e.item.imageUrl)], `rejected: ${e.reason}`, {
              remote: p.row.name,
              now: t,
            });
          }
          warn(p.row.name, `skipped ${displayUrl(e.item.imageUrl)}: ${e.reason}`);
          break;
        case "failure":
          fail(p, e);
          break;
        case "done":
          if (e.note && p.outcome.status === "ok") p.outcome.note = e.note;
          break;
      }
    };
    const perTask = Math.max(...downloadTasks.map((t) => t.items.length));
    const partialDir = `${root}/.partial`;
    const r = await runWorker({
      phase: "download",
      userAgent: USER_AGENT,
      timeouts,
      concurrency: config.fetch.concurrency,
      partialDir,
      knownHashes: [...knownHashes(db)],
      tasks: downloadTasks,
    }, {
      launch: await launch(),
      hosts: downloadTasks.flatMap((t) => t.allowedHosts),
      downloads: root,
      onEvent: guard(onEvent, (m) => report.warnings.push({ remote: "", message: m })),
      timeoutMs: (Math.ceil((perTask * downloadTasks.length) / config.fetch.concurrency) + 2) *
          timeouts.totalMs + 30_000,
      env: options.env,
      signal: options.signal,
    }).finally(() => clearPartial(partialDir)); // a stopped worker's half files (Ctrl-C)
    if (r.code !== 0) {
      report.warnings.push({
        remote: "",
        message: r.timedOut
          ? "the fetcher took too long and was stopped"
          : `the fetcher stopped early (exit ${r.code})${
            r.stderr ? `: ${redact(r.stderr.split("\n").slice(-2).join(" — "), keys)}` : ""
          }`,
      });
    }
  }

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

/**
 * Deletes the half-downloaded files a stopped worker left (the worker, which
 * has exited, deletes its own when it fails; under the fetch lock no other
 * worker writes there).
 */
async function clearPartial(dir: string): Promise<void> {
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name.endsWith(".part")) {
        await Deno.remove(`${dir}/${e.name}`).catch(() => {});
      }
    }
  } catch { /* no folder: nothing left */ }
}

/** Wraps an event handler so one bad event is reported, not fatal to the reading. */
function guard(
  fn: (e: WorkerEvent) => void,
  report: (message: string) => void,
): (e: WorkerEvent) => void {
  return (e) => {
    try {
      fn(e);
    } catch (err) {
      report(`could not record a fetched file: ${(err as Error).message}`);
    }
  };
}
