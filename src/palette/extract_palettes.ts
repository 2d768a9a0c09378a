/**
 * Whole-collection extraction: every indexed image without a palette (or
 * every image with `force`) gets one, through a bounded pool of Web
 * Workers, saved in batches; a stored palette whose summary figures are
 * from an older version of varietal gets them recomputed from the image
 * (its colours are kept, wallust is not run again). Interrupting keeps what
 * was saved; running again resumes with the images still to do. A worker whose
 * image takes longer than the palette timeouts allow is terminated and
 * replaced; images that cannot be decoded are marked (see
 * `db/decode_failures.ts`) and skipped by later runs until their file
 * changes (`force` retries them).
 *
 * Requires `--allow-read`, `--allow-write` (database), `--allow-env`, and
 * `--allow-run` when wallust is used.
 *
 * @module
 */
import type { Paths } from "../config/paths.ts";
import type { Config } from "../config/schema.ts";
import type { Database } from "../db/database.ts";
import { clearDecodeFailure, type DecodeFailure, markDecodeFailed } from "../db/decode_failures.ts";
import { saveFigures, savePalette } from "../db/palettes.ts";
import { saveImageScheme } from "../db/material_schemes.ts";
import type { MaterialScheme } from "./material/roles.ts";
import type { PaletteRecord } from "./palette_record.ts";
import type { PaletteSummary, SummaryInput } from "./summary.ts";
import type { WorkerRequest, WorkerResponse } from "./_extract_worker.ts";
import { DECODE_MEMORY_BUDGET } from "./guarded_decode.ts";
import { timerMs } from "../timeout.ts";
import { fileErrorReason } from "../text/not_capable.ts";

/** Images in the first batch, before the pace is known. */
const FIRST_BATCH = 8;
/** {@linkcode ExtractOptions.rssBudgetBytes}: the process itself, and each worker. */
const EXTRACT_RSS_BASE = 192 * 2 ** 20;
const EXTRACT_RSS_PER_WORKER = 256 * 2 ** 20;
/** Palettes are saved at least this often (what a process killed outright can lose). */
const SAVE_EVERY_MS = 2000;

/** Options for {@linkcode extractPalettes}. */
export interface ExtractOptions {
  config: Config;
  paths: Paths;
  /** Workers; 0 = `palette.jobs`, whose 0 means the number of cores. @default 0 */
  jobs?: number;
  /** Re-extract images that already have a palette (figures included). @default false */
  force?: boolean;
  /** Stops handing out work; finished palettes are kept. */
  signal?: AbortSignal;
  /**
   * Most images read from the database and saved per batch. Batches start at 8 and are sized
   * to take about two seconds, so a process killed outright loses no more than that.
   * @default 64
   */
  batchSize?: number;
  /** Called after each image. */
  onProgress?: (e: ExtractProgress) => void;
  /** Clock for `extracted_at`. @default Date.now */
  now?: () => number;
  /**
   * Only images of these sources (the enabled ones that are online: a folder on
   * an unplugged drive has nothing to read). @default every source
   */
  sourceIds?: readonly number[];
  /** The worker module (tests point it elsewhere). @default ./_extract_worker.ts */
  workerModule?: URL;
  /**
   * A worker whose job decoded an image that needed more bytes than this is
   * replaced by a fresh one: the WebAssembly decoders keep the memory they
   * grew to, which only ending the thread gives back (as the daemon's
   * decoding thread is), when the process's resident memory is then above
   * `rssBudgetBytes` (a fresh thread costs time: below that, it is kept).
   * @default DECODE_MEMORY_BUDGET of `guarded_decode.ts`
   */
  recycleAboveBytes?: number;
  /** See `recycleAboveBytes`. @default 192 MiB + 256 MiB per worker */
  rssBudgetBytes?: number;
  /** Called when a worker was replaced so. */
  onRecycle?: () => void;
  /**
   * Milliseconds one image may take in a worker before the worker is
   * terminated. @default decode_timeout (+ wallust_timeout unless the
   * origin is builtin) + 2 s
   */
  jobTimeoutMs?: number;
}

/** Progress of a run. */
export interface ExtractProgress {
  done: number;
  total: number;
  path: string;
}

/** What a run did. */
export interface ExtractReport {
  /** Images that needed a palette, or new figures, when the run started. */
  total: number;
  /** Of `total`: stored palettes whose figures are from an older version. */
  outdated: number;
  /** Images left out because they failed to decode before (their file has not changed). */
  undecodable: number;
  extracted: number;
  /** Stored palettes whose figures were recomputed (their colours kept). */
  recomputed: number;
  /** Palettes by origin. */
  origins: { wallust: number; builtin: number };
  failed: { path: string; reason: string }[];
  /**
   * Images in a format no decoder here reads (BMP, AVIF… without wallust): no palette,
   * but no failure either; they are tried again when one can read them.
   */
  unsupported: { path: string; format: string }[];
  warnings: { path: string; message: string }[];
  /** Whether the run was stopped by the signal. */
  interrupted: boolean;
  workers: number;
  seconds: number;
}

interface Job {
  id: number;
  path: string;
  /** Set for a stored palette whose figures only are recomputed. */
  figuresOf?: SummaryInput;
}

interface JobRow {
  id: number;
  path: string;
  outdated: number;
  background: string | null;
  colors: string | null;
}

function jobOf(r: JobRow): Job {
  if (!r.outdated || r.background === null || r.colors === null) return { id: r.id, path: r.path };
  return {
    id: r.id,
    path: r.path,
    figuresOf: { background: r.background, colors: JSON.parse(r.colors) as string[] },
  };
}

/**
 * Extracts the missing palettes of the collection.
 *
 * @returns A report; failures are listed per file, not thrown.
 */
export async function extractPalettes(
  db: Database,
  options: ExtractOptions,
): Promise<ExtractReport> {
  const started = performance.now();
  const now = options.now ?? Date.now;
  const runStart = now();
  const force = options.force ?? false;
  const maxBatch = options.batchSize ?? 64;
  let batchSize = Math.min(FIRST_BATCH, maxBatch);
  // Without --force: images without a palette, and palettes whose figures are
  // from an older version (hue_mask NULL), which get their figures recomputed.
  const sources = options.sourceIds
    ? ` AND i.source_id IN (${options.sourceIds.map(Number).join(",") || "NULL"})`
    : "";
  const where = `i.missing_since IS NULL${sources} AND ${
    force
      // Up to this run's start, inclusive: a --force run begun in the millisecond another
      // saved its palettes redoes them too (this run's own are passed by the id paging).
      ? "(p.image_id IS NULL OR p.extracted_at <= ?)"
      : "(p.image_id IS NULL OR p.hue_mask IS NULL)"
  }`;
  const params = force ? [runStart] : [];
  const outdatedExpr = force ? "0" : "p.image_id IS NOT NULL";
  const counts = db.raw.prepare(
    `SELECT COUNT(*) AS n,
       COALESCE(SUM(${outdatedExpr} AND i.decode_failed_at IS NULL), 0) AS outdated,
       COALESCE(SUM(i.decode_failed_at IS NOT NULL), 0) AS failed
     FROM images i LEFT JOIN palettes p ON p.image_id = i.id WHERE ${where}`,
  ).get(...params) as { n: number; outdated: number; failed: number };
  // Images that failed to decode wait for their file to change, unless forced.
  const undecodable = force ? 0 : counts.failed;
  const todo = force ? where : `${where} AND i.decode_failed_at IS NULL`;
  const total = counts.n - undecodable;
  const jobsWanted = options.jobs || options.config.palette.jobs ||
    navigator.hardwareConcurrency || 1;
  const workerCount = Math.max(1, Math.min(jobsWanted, total || 1));
  const report: ExtractReport = {
    total,
    outdated: counts.outdated,
    undecodable,
    extracted: 0,
    recomputed: 0,
    origins: { wallust: 0, builtin: 0 },
    failed: [],
    unsupported: [],
    warnings: [],
    interrupted: false,
    workers: total ? workerCount : 0,
    seconds: 0,
  };
  if (total === 0) return report;

  const page = db.raw.prepare(
    `SELECT i.id, i.path, ${outdatedExpr} AS outdated, p.background,
       json_array(${COLOR_LIST}) AS colors
     FROM images i LEFT JOIN palettes p ON p.image_id = i.id
     WHERE ${todo} AND i.id > ? ORDER BY i.id LIMIT ?`,
  );
  const { palette: pc } = options.config;
  const jobTimeoutMs = options.jobTimeoutMs ??
    (pc.decode_timeout + (pc.origin === "builtin" ? 0 : pc.wallust_timeout) + 2) * 1000;
  let workers: Worker[] = [];
  const rssBudget = options.rssBudgetBytes ??
    EXTRACT_RSS_BASE + workerCount * EXTRACT_RSS_PER_WORKER;
  const signal = options.signal;
  let done = 0;
  let lastId = 0;
  const onDone = (job: Job) => {
    done++;
    options.onProgress?.({ done, total, path: job.path });
  };
  const inProcess = (why: string) => {
    for (const w of workers) w.terminate();
    workers = [];
    report.workers = 0;
    report.warnings.push({ path: "", message: `${why}; extracting in this process instead` });
  };
  const spawn = () => {
    const url = options.workerModule ?? new URL("./_extract_worker.ts", import.meta.url);
    const w = new Worker(url, { type: "module" });
    // A second worker failing after the first one's crash was reported (and
    // runBatch dropped its handlers) must not become an uncaught error.
    w.addEventListener("error", (e) => e.preventDefault());
    w.postMessage({ type: "init", config: options.config, paths: options.paths } as WorkerRequest);
    return w;
  };
  try {
    workers = Array.from({ length: workerCount }, spawn);
  } catch (e) {
    inProcess(`Cannot start worker threads (${(e as Error).message})`);
  }
  try {
    while (!signal?.aborted) {
      const batch = (page.all(...params, lastId, batchSize) as unknown as JobRow[]).map(jobOf);
      if (batch.length === 0) break;
      const batchStarted = performance.now();
      lastId = batch[batch.length - 1].id;
      let results: Result[] | undefined;
      if (workers.length) {
        try {
          results = await runBatch(workers, batch, {
            signal,
            onDone,
            jobTimeoutMs,
            spawn,
            recycleAboveBytes: options.recycleAboveBytes ?? DECODE_MEMORY_BUDGET,
            overBudget: () => Deno.memoryUsage().rss > rssBudget,
            ...(options.onRecycle ? { onRecycle: options.onRecycle } : {}),
          });
        } catch (e) {
          // A worker that dies before finishing anything could not load (e.g. a compiled
          // binary built without the worker module): fall back rather than fail.
          if (done > 0) throw e;
          inProcess((e as Error).message);
        }
      }
      results ??= await runInProcess(batch, options, onDone);
      const t = now();
      db.transaction(() => {
        for (const r of results) {
          if (r.type === "failed" && r.unsupported) {
            report.unsupported.push({ path: r.job.path, format: r.unsupported });
            continue;
          }
          if (r.type === "failed") {
            report.failed.push({ path: r.job.path, reason: r.error });
            if (r.decodeFailure) markFailed(db, r.job, r.decodeFailure, t);
            continue;
          }
          try {
            if (r.type === "figures") {
              if (saveFigures(db, r.job.id, r.figures)) report.recomputed++;
            } else {
              savePalette(db, r.job.id, r.palette, t);
              if (r.scheme) saveImageScheme(db, r.job.id, r.scheme);
              clearDecodeFailure(db, r.job.id);
              report.extracted++;
              report.origins[r.palette.origin]++;
            }
            for (const m of r.warnings) report.warnings.push({ path: r.job.path, message: m });
          } catch (e) {
            report.failed.push({ path: r.job.path, reason: (e as Error).message });
          }
        }
      });
      // The next batch takes about SAVE_EVERY_MS at this pace (and keeps every worker busy).
      const perImage = Math.max(0.1, (performance.now() - batchStarted) / batch.length);
      batchSize = Math.min(
        maxBatch,
        Math.max(workers.length || 1, Math.floor(SAVE_EVERY_MS / perImage)),
      );
    }
  } finally {
    for (const w of workers) w.terminate();
  }
  report.interrupted = signal?.aborted ?? false;
  report.seconds = Math.round(performance.now() - started) / 1000;
  return report;
}

type Result =
  | { type: "done"; job: Job; palette: PaletteRecord; warnings: string[]; scheme?: MaterialScheme }
  | { type: "figures"; job: Job; figures: PaletteSummary; warnings: string[] }
  | {
    type: "failed";
    job: Job;
    error: string;
    decodeFailure?: Pick<DecodeFailure, "reason" | "pixels">;
    unsupported?: string;
  };

/** Marks an image that cannot be decoded, with its file's size and mtime now. */
function markFailed(
  db: Database,
  job: Job,
  f: Pick<DecodeFailure, "reason" | "pixels">,
  at: number,
): void {
  let size: number, mtime: number;
  try {
    const st = Deno.statSync(job.path);
    size = st.size;
    mtime = st.mtime?.getTime() ?? 0;
  } catch {
    return; // gone: the next scan marks it missing
  }
  markDecodeFailed(db, job.id, { at, size, mtime, ...f });
}

/** Runs one batch in this process, one image at a time. */
async function runInProcess(
  batch: Job[],
  options: ExtractOptions,
  onDone: (job: Job) => void,
): Promise<Result[]> {
  const { paletteForImage } = await import("./palette_for_image.ts");
  const { describeDecodeFailure } = await import("./guarded_decode.ts");
  const { unsupportedFormatOf } = await import("./decode.ts");
  const { maxPixelsOf } = await import("./pixel_limit.ts");
  const results: Result[] = [];
  for (const job of batch) {
    if (options.signal?.aborted) break;
    try {
      if (job.figuresOf) {
        const { figuresForImage } = await import("./builtin_file.ts");
        const { figures, warnings } = await figuresForImage(job.path, job.figuresOf, {
          maxPixels: maxPixelsOf(options.config),
          timeoutMs: options.config.palette.decode_timeout * 1000,
          signal: options.signal,
        });
        results.push({ type: "figures", job, figures, warnings });
        onDone(job);
        continue;
      }
      const { palette, warnings, scheme } = await paletteForImage(job.path, {
        config: options.config,
        paths: options.paths,
        signal: options.signal,
        scheme: options.config.theme.enabled,
      });
      results.push({ type: "done", job, palette, warnings, ...(scheme ? { scheme } : {}) });
    } catch (e) {
      if (options.signal?.aborted) break;
      const error = e instanceof Deno.errors.NotFound ? "file not found" : fileErrorReason(e);
      const decodeFailure = describeDecodeFailure(e, maxPixelsOf(options.config));
      const unsupported = unsupportedFormatOf(e);
      results.push({
        type: "failed",
        job,
        error,
        ...(decodeFailure ? { decodeFailure } : {}),
        ...(unsupported ? { unsupported } : {}),
      });
    }
    onDone(job);
  }
  return results;
}

/** How {@linkcode runBatch} runs. */
interface BatchOptions {
  signal: AbortSignal | undefined;
  onDone: (job: Job) => void;
  /** A job running longer gets its worker terminated and replaced. */
  jobTimeoutMs: number;
  /** Starts a replacement worker. */
  spawn: () => Worker;
  /**
   * A worker whose job decoded an image needing more bytes is replaced, while
   * `overBudget` says so. @default Infinity
   */
  recycleAboveBytes?: number;
  /** Whether the process holds more memory than it should (checked only then). */
  overBudget?: () => boolean;
  /** Called when a worker was replaced so. */
  onRecycle?: () => void;
}

/**
 * Runs one batch over the pool; on abort, waits briefly for jobs in flight.
 * A worker whose job overruns `jobTimeoutMs` is terminated (a decoder stuck
 * in WebAssembly cannot be interrupted otherwise) and replaced in `workers`.
 */
function runBatch(workers: Worker[], batch: Job[], o: BatchOptions): Promise<Result[]> {
  const { signal, onDone } = o;
  return new Promise((resolve, reject) => {
    const results: Result[] = [];
    const byId = new Map(batch.map((j) => [j.id, j]));
    const timers = new Map<Worker, ReturnType<typeof setTimeout>>();
    let next = 0;
    let inFlight = 0;
    let finished = false;
    const stop = () => {
      finished = true;
      for (const w of workers) w.onmessage = w.onerror = null;
      for (const t of timers.values()) clearTimeout(t);
      signal?.removeEventListener("abort", onAbort);
      clearTimeout(grace);
    };
    const finish = () => {
      if (finished) return;
      stop();
      resolve(results);
    };
    let grace: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      for (const w of workers) w.postMessage({ type: "abort" } as WorkerRequest);
      if (inFlight === 0) finish();
      else grace = setTimeout(finish, 1500);
    };
    const feed = (w: Worker) => {
      if (signal?.aborted || next >= batch.length) {
        if (inFlight === 0) finish();
        return;
      }
      const job = batch[next++];
      inFlight++;
      timers.set(w, setTimeout(() => overrun(w, job), timerMs(o.jobTimeoutMs)));
      w.postMessage(
        { type: "job", id: job.id, path: job.path, figuresOf: job.figuresOf } as WorkerRequest,
      );
    };
    const overrun = (w: Worker, job: Job) => {
      timers.delete(w);
      w.onmessage = w.onerror = null;
      w.terminate();
      inFlight--;
      const s = o.jobTimeoutMs / 1000;
      results.push({
        type: "failed",
        job,
        error: `Cannot decode ${job.path}: took longer than ${s}s and was stopped ` +
          `(raise [palette] decode_timeout if the machine is just slow)`,
        decodeFailure: { reason: `decoding took longer than ${s}s and was stopped`, pixels: null },
      });
      onDone(job);
      replace(w);
    };
    /** Puts a fresh worker in the place of `w` (ended or stuck) and gives it work. */
    const replace = (w: Worker): boolean => {
      let fresh: Worker;
      try {
        fresh = o.spawn();
      } catch (e) {
        stop();
        reject(new Error(`Cannot restart a palette worker: ${(e as Error).message}`));
        return false;
      }
      workers[workers.indexOf(w)] = fresh;
      listen(fresh);
      feed(fresh);
      return true;
    };
    const listen = (w: Worker) => {
      w.onmessage = (e: MessageEvent<WorkerResponse>) => {
        const m = e.data;
        const job = byId.get(m.id)!;
        clearTimeout(timers.get(w));
        timers.delete(w);
        inFlight--;
        if (m.type === "done") {
          results.push({
            type: "done",
            job,
            palette: m.palette,
            warnings: m.warnings,
            ...(m.scheme ? { scheme: m.scheme } : {}),
          });
        } else if (m.type === "figures") {
          results.push({ type: "figures", job, figures: m.figures, warnings: m.warnings });
        } else if (!signal?.aborted) {
          results.push({
            type: "failed",
            job,
            error: m.error,
            decodeFailure: m.decodeFailure,
            unsupported: m.unsupported,
          });
        }
        onDone(job);
        if ((m.decodedBytes ?? 0) > (o.recycleAboveBytes ?? Infinity) && o.overBudget?.()) {
          // Its decoders keep the WebAssembly memory they grew to: a fresh thread gives it back.
          w.onmessage = w.onerror = null;
          w.terminate();
          if (replace(w)) o.onRecycle?.();
          return;
        }
        feed(w);
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        stop();
        reject(new Error(`A palette worker crashed: ${e.message}`));
      };
    };
    for (const w of workers) listen(w);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) return finish();
    for (const w of [...workers]) feed(w);
  });
}

const COLOR_LIST = Array.from({ length: 16 }, (_, i) => `p.color${i}`).join(", ");
