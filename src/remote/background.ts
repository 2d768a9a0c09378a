/**
 * The daemon's background top-up: every so often (at most the daemon's
 * interval, at most `[fetch] interval`), fetch for every enabled remote that
 * has fewer than `keep_unseen` unseen images. It never takes the pipeline
 * lock and runs beside the rotation loop, so a slow server never delays a
 * rotation; downloads happen in the fetch worker process.
 *
 * @module
 */
import type { Config } from "../config/schema.ts";
import type { Paths } from "../config/paths.ts";
import type { Database } from "../db/database.ts";
import { hasEnabledRemotes } from "../db/remotes.ts";
import { BusyError } from "../pipeline/lock.ts";
import { type FetchOptions, fetchRemotes, type FetchReport } from "./fetch_remotes.ts";
import { type Periodic, startPeriodic } from "../periodic.ts";

/** Options for {@linkcode startRemoteTopUp}. */
export interface TopUpOptions {
  db: Database;
  paths: Paths;
  /** The current config (re-read on every check: the daemon may reload it). */
  config: () => Config;
  env: (name: string) => string | undefined;
  /** Logs problems. */
  log: (line: string) => void;
  /** Logs what was done (quiet daemons drop it). */
  info: (line: string) => void;
  /** Milliseconds before the first check. @default 1000 */
  firstDelayMs?: number;
  /** Milliseconds between checks (tests shorten it). @default topUpIntervalMs(config) */
  nextDelayMs?: number;
  /** Runs a fetch (tests replace it). @default fetchRemotes */
  fetch?: (
    db: Database,
    config: Config,
    paths: Paths,
    options: FetchOptions,
  ) => Promise<FetchReport>;
}

/** A running top-up: `stop()` ends a fetch in progress and waits for it. */
export type TopUp = Periodic;

/** Milliseconds between checks for a config. */
export function topUpIntervalMs(config: Config): number {
  const fetch = config.fetch?.interval ?? 1800;
  return Math.max(60, Math.min(fetch, config.daemon.interval)) * 1000;
}

/** Starts checking in the background. */
export function startRemoteTopUp(o: TopUpOptions): TopUp {
  const run = o.fetch ?? fetchRemotes;
  /** The notes of the last check: a lasting state (a remote backing off) is logged once. */
  let lastNotes = new Set<string>();
  const check = async (signal: AbortSignal) => {
    try {
      const config = o.config();
      if (config.fetch?.background === false) return;
      if (!config.remote?.length && !hasEnabledRemotes(o.db)) return;
      const r = await run(o.db, config, o.paths, { env: o.env, signal });
      for (const x of r.remotes) {
        if (x.added > 0 || x.evicted > 0) {
          o.info(
            `fetch: ${x.name} +${x.added}${
              x.evicted ? `, ${x.evicted} deleted for the quota` : ""
            }`,
          );
        }
      }
      const notes = new Set(r.notes.map((n) => `fetch: ${n.remote}: ${n.message}`));
      for (const line of notes) if (!lastNotes.has(line)) o.info(line);
      lastNotes = notes;
      for (const w of r.warnings) o.log(`fetch: ${w.remote ? `${w.remote}: ` : ""}${w.message}`);
    } catch (e) {
      if (e instanceof BusyError) o.info("fetch: skipped, another fetch is running");
      else if (!signal.aborted) o.log(`fetch failed: ${(e as Error).message}`);
    }
  };
  return startPeriodic({
    run: check,
    firstDelayMs: o.firstDelayMs ?? 1000,
    nextDelayMs: () => {
      if (o.nextDelayMs !== undefined) return o.nextDelayMs;
      try {
        return topUpIntervalMs(o.config());
      } catch {
        return 30 * 60_000;
      }
    },
  });
}
