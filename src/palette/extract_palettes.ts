/**
 * Whole-collection extraction: every indexed image without a palette (or
 * every image with `force`) gets one, through a bounded pool of Web
 * Workers, saved in batches; a stored palette whose summary figures are
 * from an older version of varietal gets them recomputed from the image
 * (its colours are kept, wallust is not run again). Interrupting keeps what
 * was saved; running again resumes with the images still to do.
 *
 * Requires `--allow-read`, `--allow-write` (database), `--allow-env`, and
 * `--allow-run` when wallust is used.
 *
 * @module
 */
import type { Paths } from "../config/paths.ts";
import type { Config } from "../config/schema.ts";
import type { Database } from "../db/database.ts";
import { saveFigures, savePalette } from "../db/palettes.ts";
import type { PaletteRecord } from "./palette_record.ts";
import type { PaletteSummary } from "./summary.ts";
import type { WorkerRequest, WorkerResponse } from "./_extract_worker.ts";
import type { SummaryInput } from "./summary.ts";

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
  /** Images read from the database and saved per batch. @default 64 */
  batchSize?: number;
  /** Called after each image. */
  onProgress?: (e: ExtractProgress) => void;
  /** Clock for `extracted_at`. @default Date.now */
  now?: () => number;
  /** The worker module (tests point it elsewhere). @default ./_extract_worker.ts */
  workerModule?: URL;
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
  extracted: number;
  /** Stored palettes whose figures were recomputed (their colours kept). */
  recomputed: number;
  /** Palettes by origin. */
  origins: { wallust: number; builtin: number };
  failed: { path: string; reason: string }[];
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
  const batchSize = options.batchSize ?? 64;
  // Without --force: images without a palette, and palettes whose figures are
  // from an older version (hue_mask NULL), which get their figures recomputed.
  const where = `i.missing_since IS NULL AND ${
    force
      ? "(p.image_id IS NULL OR p.extracted_at < ?)"
      : "(p.image_id IS NULL OR p.hue_mask IS NULL)"
  }`;
  const params = force ? [runStart] : [];
  const outdatedExpr = force ? "0" : "p.image_id IS NOT NULL";
  const counts = db.raw.prepare(
    `SELECT COUNT(*) AS n, COALESCE(SUM(${outdatedExpr}), 0) AS outdated
     FROM images i LEFT JOIN palettes p ON p.image_id = i.id WHERE ${where}`,
  ).get(...params) as { n: number; outdated: number };
  const total = counts.n;
  const jobsWanted = options.jobs || options.config.palette.jobs ||
    navigator.hardwareConcurrency || 1;
  const workerCount = Math.max(1, Math.min(jobsWanted, total || 1));
  const report: ExtractReport = {
    total,
    outdated: counts.outdated,
    extracted: 0,
    recomputed: 0,
    origins: { wallust: 0, builtin: 0 },
    failed: [],
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
     WHERE ${where} AND i.id > ? ORDER BY i.id LIMIT ?`,
  );
  let workers: Worker[] = [];
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
  try {
    workers = Array.from({ length: workerCount }, () => {
      const url = options.workerModule ?? new URL("./_extract_worker.ts", import.meta.url);
      const w = new Worker(url, { type: "module" });
      // A second worker failing after the first one's crash was reported (and
      // runBatch dropped its handlers) must not become an uncaught error.
      w.addEventListener("error", (e) => e.preventDefault());
      w.postMessage(
        { type: "init", config: options.config, paths: options.paths } as WorkerRequest,
      );
      return w;
    });
  } catch (e) {
    inProcess(`Cannot start worker threads (${(e as Error).message})`);
  }
  try {
    while (!signal?.aborted) {
      const batch = (page.all(...params, lastId, batchSize) as unknown as JobRow[]).map(jobOf);
      if (batch.length === 0) break;
      lastId = batch[batch.length - 1].id;
      let results: Result[] | undefined;
      if (workers.length) {
        try {
          results = await runBatch(workers, batch, signal, onDone);
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
          if (r.type === "failed") {
            report.failed.push({ path: r.job.path, reason: r.error });
            continue;
          }
          try {
            if (r.type === "figures") {
              if (saveFigures(db, r.job.id, r.figures)) report.recomputed++;
            } else {
              savePalette(db, r.job.id, r.palette, t);
              report.extracted++;
              report.origins[r.palette.origin]++;
            }
            for (const m of r.warnings) report.warnings.push({ path: r.job.path, message: m });
          } catch (e) {
            report.failed.push({ path: r.job.path, reason: (e as Error).message });
          }
        }
      });
    }
  } finally {
    for (const w of workers) w.terminate();
  }
  report.interrupted = signal?.aborted ?? false;
  report.seconds = Math.round(performance.now() - started) / 1000;
  return report;
}

type Result =
  | { type: "done"; job: Job; palette: PaletteRecord; warnings: string[] }
  | { type: "figures"; job: Job; figures: PaletteSummary; warnings: string[] }
  | { type: "failed"; job: Job; error: string };

/** color0 … color15 of `p`, for json_array(). */
const COLOR_LIST = Array.from({ length: 16 }, (_, i) => `p.color${i}`).join(", ");

/** Runs one batch in this process, one image at a time. */
async function runInProcess(
  batch: Job[],
  options: ExtractOptions,
  onDone: (job: Job) => void,
): Promise<Result[]> {
  const { paletteForImage } = await import("./palette_for_image.ts");
  const results: Result[] = [];
  for (const job of batch) {
    if (options.signal?.aborted) break;
    try {
      if (job.figuresOf) {
        const { figuresForImage } = await import("./builtin_file.ts");
        const { figures, warnings } = await figuresForImage(job.path, job.figuresOf);
        results.push({ type: "figures", job, figures, warnings });
        onDone(job);
        continue;
      }
      const { palette, warnings } = await paletteForImage(job.path, {
        config: options.config,
        paths: options.paths,
        signal: options.signal,
      });
      results.push({ type: "done", job, palette, warnings });
    } catch (e) {
      if (options.signal?.aborted) break;
      const error = e instanceof Deno.errors.NotFound ? "file not found" : (e as Error).message;
      results.push({ type: "failed", job, error });
    }
    onDone(job);
  }
  return results;
}

/** Runs one batch over the pool; on abort, waits briefly for jobs in flight. */
function runBatch(
  workers: Worker[],
  batch: Job[],
  signal: AbortSignal | undefined,
  onDone: (job: Job) => void,
): Promise<Result[]> {
  return new Promise((resolve, reject) => {
    const results: Result[] = [];
    const byId = new Map(batch.map((j) => [j.id, j]));
    let next = 0;
    let inFlight = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      for (const w of workers) w.onmessage = w.onerror = null;
      signal?.removeEventListener("abort", onAbort);
      clearTimeout(grace);
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
      w.postMessage(
        { type: "job", id: job.id, path: job.path, figuresOf: job.figuresOf } as WorkerRequest,
      );
    };
    for (const w of workers) {
      w.onmessage = (e: MessageEvent<WorkerResponse>) => {
        const m = e.data;
        const job = byId.get(m.id)!;
        inFlight--;
        if (m.type === "done") {
          results.push({ type: "done", job, palette: m.palette, warnings: m.warnings });
        } else if (m.type === "figures") {
          results.push({ type: "figures", job, figures: m.figures, warnings: m.warnings });
        } else if (!signal?.aborted) {
          results.push({ type: "failed", job, error: m.error });
        }
        onDone(job);
        feed(w);
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        finished = true;
        for (const x of workers) x.onmessage = x.onerror = null;
        signal?.removeEventListener("abort", onAbort);
        clearTimeout(grace);
        reject(new Error(`A palette worker crashed: ${e.message}`));
      };
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) return finish();
    for (const w of workers) feed(w);
  });
}
