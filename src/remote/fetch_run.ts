/**
 * What the two worker phases of one fetch share: the database, the report
 * being filled, each remote's {@linkcode Plan}, and how to start a worker.
 *
 * @module
 */
import type { Config } from "../config/schema.ts";
import type { Database } from "../db/database.ts";
import type { FailureInfo, Timeouts, WorkerEvent } from "./protocol.ts";
import type { Plan } from "./fetch_plan.ts";
import type { FetchedFile, FetchReport } from "./fetch_report.ts";
import type { WorkerLaunch } from "./spawn_worker.ts";
import { redact } from "./worker.ts";
import { VERSION } from "../version.ts";

/** The user agent the worker sends. */
export const USER_AGENT = `varietal/${VERSION} (wallpaper fetcher)`;

/** One fetch in progress. */
export interface FetchRun {
  db: Database;
  config: Config;
  report: FetchReport;
  timeouts: Timeouts;
  /** The downloads folder (`downloads/`). */
  root: string;
  now: () => number;
  /** The plans by remote name. */
  byName: ReadonlyMap<string, Plan>;
  /** Records a warning for a remote (API keys scrubbed). */
  warn(remote: string, message: string): void;
  /** Marks a remote failed (the first failure counts) and warns. */
  fail(plan: Plan, info: FailureInfo): void;
  /** Scrubs API keys from a text. */
  redact(text: string): string;
  launch(): Promise<WorkerLaunch>;
  env: (name: string) => string | undefined;
  signal?: AbortSignal;
  /** Called with the number of images wanted so far, each time it grows. */
  onPlan?: (wanted: number) => void;
  onFile?: (file: FetchedFile) => void;
}

/** What to say when a worker ended without doing all it was asked. */
export function workerStopped(
  run: FetchRun,
  r: { code: number; stderr: string; timedOut: boolean },
  what: string,
): string {
  if (r.timedOut) return "the fetcher took too long and was stopped";
  const tail = r.stderr ? `: ${run.redact(r.stderr.split("\n").slice(-2).join(" — "))}` : "";
  return `the fetcher ${what}${tail}`;
}

/** Wraps an event handler so one bad event is reported, not fatal to the reading. */
export function guard(
  run: FetchRun,
  fn: (e: WorkerEvent) => void,
): (e: WorkerEvent) => void {
  return (e) => {
    try {
      fn(e);
    } catch (err) {
      run.report.warnings.push({
        remote: e.remote,
        message: `could not record a fetched file: ${(err as Error).message}`,
      });
    }
  };
}

/** Scrubs `keys` from a text (for {@linkcode FetchRun.redact}). */
export function redactKeys(keys: readonly string[]): (text: string) => string {
  return (text) => redact(text, keys);
}
