/**
 * A fetch's second worker phase: for remotes whose listings have arrived,
 * choose what to download and run a worker with exactly those images' hosts,
 * indexing each file as it comes. Listings that arrive while a worker runs
 * wait for it and then go together, so at most one download worker runs and
 * each one knows every picture the previous ones stored.
 *
 * @module
 */
import { blockKey, blockKeys, knownHashes, skipKeys } from "../db/attribution.ts";
import { maxPixelsOf } from "../palette/pixel_limit.ts";
import type { DownloadTask, WorkerEvent } from "./protocol.ts";
import type { Plan } from "./fetch_plan.ts";
import { indexFile } from "./fetch_report.ts";
import { type FetchRun, guard, USER_AGENT, workerStopped } from "./fetch_run.ts";
import { displayUrl, permissionHost } from "./hosts.ts";
import { chooseCandidates, noCandidateNote } from "./planner.ts";
import { runWorker } from "./spawn_worker.ts";

/** Downloads for listed remotes, one worker at a time. */
export interface DownloadQueue {
  /** Queues a listed remote; its downloads start as soon as no other worker runs. */
  add(plan: Plan): void;
  /**
   * Waits until every queued remote is done.
   *
   * @throws The first error a download worker met (e.g. the signal's abort).
   */
  settled(): Promise<void>;
}

/** A queue of downloads for `run`. */
export function downloadQueue(run: FetchRun): DownloadQueue {
  const waiting: Plan[] = [];
  let tail: Promise<void> = Promise.resolve();
  let error: { value: unknown } | null = null;
  let wantedSoFar = 0;
  return {
    add(plan) {
      waiting.push(plan);
      tail = tail.then(async () => {
        const batch = waiting.splice(0);
        if (batch.length === 0 || error) return;
        try {
          wantedSoFar += await downloadBatch(run, batch, wantedSoFar);
        } catch (e) {
          error ??= { value: e };
        }
      });
    },
    async settled() {
      await tail;
      if (error) throw error.value;
    },
  };
}

/**
 * Chooses and downloads what `batch` wants.
 *
 * @returns How many images the batch wants.
 */
async function downloadBatch(
  run: FetchRun,
  batch: readonly Plan[],
  wantedBefore: number,
): Promise<number> {
  const { db, config, report, timeouts } = run;
  const skipSet = skipKeys(db);
  const tasks: DownloadTask[] = [];
  for (const p of batch) {
    if (p.failed || p.want <= 0) continue;
    const rules = { kind: p.kind, spec: p.spec, skip: skipSet, maxFileSize: p.row.max_file_size };
    const items = chooseCandidates(p.items, p.want, rules);
    if (items.length === 0) {
      p.outcome.status = "partial";
      p.outcome.note = noCandidateNote(p.items, rules, p.known);
      report.notes.push({ remote: p.row.name, message: p.outcome.note });
      continue;
    }
    tasks.push({
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
  const wanted = tasks.reduce((n, t) => n + t.want, 0);
  if (tasks.length === 0) return 0;
  run.onPlan?.(wantedBefore + wanted);
  const perTask = Math.max(...tasks.map((t) => t.items.length));
  const partialDir = `${run.root}/.partial`;
  const r = await runWorker({
    phase: "download",
    userAgent: USER_AGENT,
    timeouts,
    concurrency: config.fetch.concurrency,
    partialDir,
    knownHashes: [...knownHashes(db)],
    tasks,
  }, {
    launch: await run.launch(),
    hosts: tasks.flatMap((t) => t.allowedHosts),
    downloads: run.root,
    onEvent: guard(run, (e) => onDownloadEvent(run, e)),
    timeoutMs: (Math.ceil((perTask * tasks.length) / config.fetch.concurrency) + 2) *
        timeouts.totalMs + 30_000,
    env: run.env,
    signal: run.signal,
  }).finally(() => clearPartial(partialDir)); // a stopped worker's half files (Ctrl-C)
  if (r.code !== 0) {
    report.warnings.push({
      remote: "",
      message: workerStopped(run, r, `stopped early (exit ${r.code})`),
    });
  }
  return wanted;
}

function onDownloadEvent(run: FetchRun, e: WorkerEvent): void {
  const p = run.byName.get(e.remote);
  if (!p) return;
  const { db, report } = run;
  const t = run.now();
  switch (e.type) {
    case "file": {
      const file = indexFile(db, p.row, e, t);
      p.outcome.added++;
      report.added.push(file);
      run.onFile?.(file);
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
          message: "its quota is reached: a file larger than the room left was passed over " +
            "(shown images are deleted to make room as they come), or raise quota",
        });
        break;
      }
      if (e.permanent) {
        blockKeys(db, [blockKey.url(e.item.imageUrl)], `rejected: ${e.reason}`, {
          remote: p.row.name,
          now: t,
        });
      }
      run.warn(p.row.name, `skipped ${displayUrl(e.item.imageUrl)}: ${e.reason}`);
      break;
    case "failure":
      run.fail(p, e);
      break;
    case "done":
      if (e.note && p.outcome.status === "ok") p.outcome.note = e.note;
      break;
  }
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
