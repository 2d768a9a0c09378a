/**
 * The frame every wallpaper change (`next`, `prev`, `restore`) shares: open
 * the theme engine when theming, take the pipeline lock, let the caller
 * decide what to show, apply it with {@linkcode applyShow}, close the engine.
 *
 * @module
 */
import { applyShow, type ShowPlan, type ShowResult } from "./apply_show.ts";
import { acquireLock, DEFAULT_LOCK_WAIT_MS, type LockPlace, pipelineLockFile } from "./lock.ts";
import type { PipelineDeps } from "./pipeline_deps.ts";
import { StageTimer } from "./stage_timer.ts";
import type { Setter } from "../wallpaper/setter.ts";
import type { DecodeWorker } from "../palette/guarded_decode.ts";

/** How {@linkcode runShow} runs. */
export interface RunShowOptions {
  /** What the lock is held for (shown to a waiting varietal), e.g. "prev". */
  purpose: string;
  /** The resolved setter. */
  setter: Setter;
  /** Extract missing palettes. @default true */
  palette?: boolean;
  /** Render the theme. @default config.theme.enabled */
  theme?: boolean;
  /** Milliseconds to wait for another varietal. @default 60000 */
  lockTimeoutMs?: number;
  /** A place in the lock's queue taken when the request came (a daemon's hand-off). */
  lockPlace?: LockPlace;
  /** Use the engine's debounced apply (the daemon). @default false */
  debounceTheme?: boolean;
  /** Decide and report; take no lock, theme nothing, change nothing. @default false */
  dryRun?: boolean;
  /** Report the process's start-up time in the timings (one-shot commands). @default false */
  startup?: boolean;
  /**
   * A decoding thread started early for an image known before the lock
   * (`next --image`): used for its palette, terminated in any case.
   */
  decoder?: DecodeWorker;
}

/** Decides what to show (under the lock); null shows nothing. */
export type DecideShow<P extends ShowPlan | null> = (timer: StageTimer) => Promise<P>;

/**
 * Runs one wallpaper change around `decide`.
 *
 * @param deps The pipeline's dependencies.
 * @param options See {@linkcode RunShowOptions}.
 * @param decide Picks the plan; runs after the lock is taken.
 * @returns What was shown, or null when `decide` returned null.
 * @throws {BusyError} When another varietal holds the lock past the timeout.
 * @throws {SetterError} When the setter fails.
 */
export async function runShow<P extends ShowPlan | null>(
  deps: PipelineDeps,
  options: RunShowOptions,
  decide: DecideShow<P>,
): Promise<ShowResult | (P extends null ? null : never)> {
  const timer = new StageTimer({ startup: options.startup });
  const { config } = deps;
  const dryRun = options.dryRun ?? false;
  const themeWanted = (options.theme ?? true) && config.theme.enabled && !dryRun;
  const theme = themeWanted ? deps.theme ?? await deps.services.theme(config, deps.paths) : null;
  try {
    using _lock = dryRun ? undefined : await timer.stage("lock", async () => {
      const timeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_WAIT_MS;
      const start = Date.now();
      const lock = await acquireLock(pipelineLockFile(deps.paths), {
        timeoutMs,
        purpose: options.purpose,
        signal: deps.signal,
        ...(options.lockPlace ? { place: options.lockPlace } : {}),
      });
      try {
        // Another program holding the database's write lock (an open sqlite3 shell) would
        // let the setter run and the show go unrecorded: wait for it, as for the lock.
        await deps.db.waitWritable(Math.max(0, timeoutMs - (Date.now() - start)), deps.signal);
      } catch (e) {
        lock[Symbol.dispose]();
        throw e;
      }
      return lock;
    });
    const plan = await decide(timer);
    if (plan === null) return null as P extends null ? null : never;
    return await applyShow(deps, plan, {
      setter: options.setter,
      timer,
      palette: options.palette ?? true,
      theme,
      debounceTheme: options.debounceTheme ?? false,
      dryRun,
      ...(options.decoder && !dryRun ? { decoder: options.decoder } : {}),
    });
  } finally {
    options.decoder?.terminate();
    if (theme !== null && deps.theme === undefined) await theme.close();
  }
}
