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
  /** Runs a fetch (tests replace it). @default fetchRemotes */
  fetch?: (
    db: Database,
    config: Config,
    paths: Paths,
    options: FetchOptions,
  ) => Promise<FetchReport>;
}

/** A running top-up. */
export interface TopUp {
  /** Stops it, ending a fetch in progress, and waits for that. */
  stop(): Promise<void>;
  /** Resolves after the next check has finished (for tests). */
  nextCheck(): Promise<void>;
}

/** Milliseconds between checks for a config. */
export function topUpIntervalMs(config: Config): number {
  const fetch = config.fetch?.interval ?? 1800;
  return Math.max(60, Math.min(fetch, config.daemon.interval)) * 1000;
}

/** Starts checking in the background. */
export function startRemoteTopUp(o: TopUpOptions): TopUp {
  const ac = new AbortController();
  const run = o.fetch ?? fetchRemotes;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> | undefined;
  let waiters: (() => void)[] = [];
  const check = async () => {
    try {
      const config = o.config();
      if (config.fetch?.background === false) return;
      if (!config.remote?.length && !hasEnabledRemotes(o.db)) return;
      const r = await run(o.db, config, o.paths, { env: o.env, signal: ac.signal });
      for (const x of r.remotes) {
        if (x.added > 0 || x.evicted > 0) {
          o.info(
            `fetch: ${x.name} +${x.added}${
              x.evicted ? `, ${x.evicted} deleted for the quota` : ""
            }`,
          );
        }
      }
      for (const n of r.notes) o.info(`fetch: ${n.remote}: ${n.message}`);
      for (const w of r.warnings) o.log(`fetch: ${w.remote ? `${w.remote}: ` : ""}${w.message}`);
    } catch (e) {
      if (e instanceof BusyError) o.info("fetch: skipped, another fetch is running");
      else if (!ac.signal.aborted) o.log(`fetch failed: ${(e as Error).message}`);
    }
  };
  const schedule = (ms: number) => {
    if (ac.signal.aborted) return;
    timer = setTimeout(() => {
      current = check().finally(() => {
        current = undefined;
        const w = waiters;
        waiters = [];
        for (const f of w) f();
        let ms = 30 * 60_000;
        try {
          ms = topUpIntervalMs(o.config());
        } catch { /* keep the default */ }
        schedule(ms);
      });
    }, ms);
  };
  schedule(o.firstDelayMs ?? 1000);
  return {
    async stop() {
      ac.abort(new DOMException("daemon stopping", "AbortError"));
      clearTimeout(timer);
      await current?.catch(() => {});
      for (const f of waiters) f();
      waiters = [];
    },
    nextCheck() {
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
