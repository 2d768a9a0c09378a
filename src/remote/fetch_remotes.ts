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
import {
  getRemote,
  listRemotes,
  recordFetchFailure,
  recordFetchSuccess,
  type RemoteRow,
  remoteUsage,
} from "../db/remotes.ts";
import {
  blockKey,
  blockKeys,
  deletePings,
  failPings,
  type ImageCredit,
  knownHashes,
  pendingPings,
  saveDownload,
  skipKeys,
} from "../db/attribution.ts";
import { probeImage } from "../scan/probe.ts";
import { acquireLock } from "../pipeline/lock.ts";
import { VERSION } from "../version.ts";
import { getKind } from "./kinds/registry.ts";
import type { RemoteKind } from "./kinds/_kind.ts";
import type {
  DownloadTask,
  FailureInfo,
  ListTask,
  RemoteItem,
  RemoteSpec,
  Timeouts,
  WorkerEvent,
} from "./protocol.ts";
import { apiHost, displayUrl, permissionHost } from "./hosts.ts";
import { readApiKey } from "./api_key.ts";
import { chooseCandidates, nextBackoff, wantedImages } from "./planner.ts";
import { enforceQuota } from "./quota.ts";
import { downloadsRoot, syncConfigRemotes } from "./sync.ts";
import { defaultLaunch, runWorker, type WorkerLaunch } from "./spawn_worker.ts";
import { MAX_IMAGE_PIXELS } from "./image_check.ts";
import { redact } from "./worker.ts";

/** A file a fetch added. */
export interface FetchedFile {
  image_id: number;
  path: string;
  bytes: number;
  width: number;
  height: number;
  format: string;
  credit: ImageCredit;
}

/** How one remote fared. */
export interface RemoteOutcome {
  name: string;
  /** Images wanted this time. */
  wanted: number;
  added: number;
  /** Shown images deleted to stay within the quota. */
  evicted: number;
  /** ok: as wanted (or nothing to do); partial: fewer; skipped: not contacted; failed. */
  status: "ok" | "partial" | "skipped" | "failed";
  /** Why, when not ok. */
  note?: string;
}

/** A problem with one remote or one of its images. */
export interface FetchWarning {
  remote: string;
  message: string;
}

/** What a fetch did. */
export interface FetchReport {
  added: FetchedFile[];
  remotes: RemoteOutcome[];
  /** Problems: a remote that failed or was skipped, an image that was refused. */
  warnings: FetchWarning[];
  /** For information: what a listing left out and why (sfw_only, videos, …). */
  notes: FetchWarning[];
}

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
}

/** The lock file held while fetching. */
export function fetchLockFile(paths: Paths): string {
  return `${paths.runtime}/fetch.lock`;
}

/** A remote given by name that cannot be fetched. */
export class RemoteSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RemoteSelectionError";
  }
}

interface Plan {
  row: RemoteRow;
  kind: RemoteKind;
  spec: RemoteSpec;
  outcome: RemoteOutcome;
  want: number;
  budget: number;
  failed: FailureInfo | null;
  limitAt: number | null;
  items: RemoteItem[];
  pings: { id: number; url: string }[];
  listed: boolean;
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
  await syncConfigRemotes(db, config, paths, now());
  let rows = listRemotes(db);
  if (options.names?.length) {
    const picked: RemoteRow[] = [];
    for (const n of options.names) {
      const r = getRemote(db, n);
      if (!r) {
        throw new RemoteSelectionError(
          `no remote named "${n}"; see 'varietal remote list' or add one with 'varietal remote add'`,
        );
      }
      if (!r.enabled) {
        throw new RemoteSelectionError(
          `the remote "${n}" is disabled; enable it with 'varietal remote enable ${n}'`,
        );
      }
      if (!picked.includes(r)) picked.push(r);
    }
    rows = picked;
  } else rows = rows.filter((r) => r.enabled);

  const keys: string[] = [];
  const warn = (remote: string, message: string) =>
    report.warnings.push({ remote, message: redact(message, keys) });
  const timeouts: Timeouts = {
    connectMs: config.fetch.connect_timeout * 1000,
    idleMs: config.fetch.idle_timeout * 1000,
    totalMs: config.fetch.total_timeout * 1000,
  };
  const plans: Plan[] = [];
  for (const row of rows) {
    const t = now();
    const kind = getKind(row.kind);
    const outcome: RemoteOutcome = {
      name: row.name,
      wanted: 0,
      added: 0,
      evicted: 0,
      status: "ok",
    };
    report.remotes.push(outcome);
    const skip = (note: string, warning = true) => {
      outcome.status = "skipped";
      outcome.note = note;
      if (warning) warn(row.name, note);
      else report.notes.push({ remote: row.name, message: note });
    };
    if (row.backoff_until !== null && row.backoff_until > t) {
      // Already reported when it failed: a note, not a new warning at every check.
      skip(
        `not contacted until ${new Date(row.backoff_until).toLocaleString()} (backing off${
          row.last_error ? ` after: ${row.last_error}` : ""
        })`,
        false,
      );
      continue;
    }
    const quota = await enforceQuota(db, row, paths.state, t);
    outcome.evicted = quota.deleted;
    const usage = remoteUsage(db, row.source_id);
    let want = wantedImages(row.keep_unseen, usage.unseen, options.count);
    const budget = row.quota - usage.bytes;
    if (want > 0 && budget <= 0) {
      warn(
        row.name,
        `its quota is full (only unseen, favourite or current images left); raise quota or show some`,
      );
      want = 0;
      outcome.status = "partial";
      outcome.note = "quota full";
    }
    const k = await readApiKey(row, options.env, paths.home);
    if (k.key) keys.push(k.key);
    if (k.problem) {
      skip(k.problem);
      continue;
    }
    if (!k.key && kind.key === "required") {
      skip(
        `${kind.name} needs an API key: set api_key_env or api_key_file (see the README's "Remote sources")`,
      );
      continue;
    }
    const spec: RemoteSpec = {
      name: row.name,
      kind: row.kind,
      query: row.query,
      api: row.api,
      key: k.key ?? kind.demoKey ?? null,
      sfwOnly: row.sfw_only,
      minWidth: row.min_width,
      minHeight: row.min_height,
    };
    if (!apiHost(kind, spec)) {
      skip(`its API URL ${displayUrl(kind.listingUrl(spec))} has no usable host`);
      continue;
    }
    const pings = pendingPings(db, row.name).map((p) => ({ id: p.id, url: p.url }));
    outcome.wanted = want;
    plans.push({
      row,
      kind,
      spec,
      outcome,
      want,
      budget,
      failed: null,
      limitAt: null,
      items: [],
      pings,
      listed: false,
    });
  }
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
      maxPixels: MAX_IMAGE_PIXELS,
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
          const file = indexFile(db, p, e, t);
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
    const r = await runWorker({
      phase: "download",
      userAgent: USER_AGENT,
      timeouts,
      concurrency: config.fetch.concurrency,
      partialDir: `${root}/.partial`,
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
    });
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
    if (p.failed) {
      const until = nextBackoff(p.row.failures, p.failed, t);
      recordFetchFailure(db, p.row.source_id, t, p.failed.message, until);
      p.outcome.status = p.outcome.added > 0 ? "partial" : "failed";
      p.outcome.note = p.failed.message +
        (until ? `; next try after ${new Date(until).toLocaleString()}` : "");
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

/** Indexes a file the worker stored, with its credit. */
function indexFile(
  db: Database,
  p: Plan,
  e: Extract<WorkerEvent, { type: "file" }>,
  now: number,
): FetchedFile {
  const root = p.row.path + "/";
  const name = e.path.slice(root.length);
  if (!e.path.startsWith(root) || name.includes("/") || name.startsWith(".")) {
    throw new Error(`the fetcher reported a file outside ${p.row.path}`);
  }
  const st = Deno.statSync(e.path);
  // Index what a scan would index (EXIF rotation included).
  const probe = probeImage(e.path, st.size);
  const credit: ImageCredit = {
    remote: p.row.name,
    kind: p.row.kind,
    item_id: e.item.id.slice(0, 500),
    page_url: e.item.pageUrl,
    image_url: e.item.imageUrl,
    author: e.item.author,
    author_url: e.item.authorUrl,
    title: e.item.title,
    licence: e.item.licence,
  };
  const id = saveDownload(
    db,
    {
      path: e.path,
      source_id: p.row.source_id,
      size: st.size,
      mtime: st.mtime?.getTime() ?? now,
      width: probe.width,
      height: probe.height,
      format: probe.format,
      content_hash: e.sha256,
    },
    { ...credit, ping_url: e.item.pingUrl },
    now,
  );
  return {
    image_id: id,
    path: e.path,
    bytes: st.size,
    width: probe.width,
    height: probe.height,
    format: probe.format,
    credit,
  };
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
