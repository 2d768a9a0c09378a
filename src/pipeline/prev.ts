/**
 * `prev`: step back through history without recording (the next `next`
 * steps forward again). Shows whose files are gone are skipped.
 *
 * @module
 */
import type { SetterName } from "../config/choices.ts";
import { applyShow, type ShowResult } from "./apply_show.ts";
import {
  browseFile,
  neighbourShowTime,
  newestShowTime,
  readBrowseState,
  showRows,
} from "./browse.ts";
import { acquireLock } from "./lock.ts";
import { type PipelineDeps, pipelineLockFile, resolveSetter } from "./pipeline_deps.ts";
import { StageTimer } from "./stage_timer.ts";

/** Options for {@linkcode runPrev}. */
export interface PrevOptions {
  /** How many shows to go back. @default 1 */
  steps?: number;
  setter?: SetterName;
  /** Extract a palette when the image has none. @default true */
  palette?: boolean;
  /** @default config.theme.enabled */
  theme?: boolean;
  /** @default 60000 */
  lockTimeoutMs?: number;
  debounceTheme?: boolean;
}

/**
 * Shows an earlier wallpaper again.
 *
 * @throws {Error} When nothing was shown yet or there is nothing earlier.
 * @throws {BusyError} When another varietal holds the lock.
 * @throws {SetterError} When the setter fails (the cursor does not move).
 */
export async function runPrev(deps: PipelineDeps, options: PrevOptions = {}): Promise<ShowResult> {
  const timer = new StageTimer();
  const { db, config } = deps;
  const setter = await resolveSetter(options.setter ?? config.wallpaper.setter, deps.env);
  const themeWanted = (options.theme ?? true) && config.theme.enabled;
  const theme = themeWanted ? deps.theme ?? await deps.services.theme(config, deps.paths) : null;
  try {
    using _lock = await timer.stage("lock", () =>
      acquireLock(pipelineLockFile(deps.paths), {
        timeoutMs: options.lockTimeoutMs ?? 60_000,
        purpose: "prev",
        signal: deps.signal,
      }));
    const plan = await timer.stage("select", async () => {
      const state = await readBrowseState(browseFile(deps.paths.state));
      let at = state.cursor ?? newestShowTime(db);
      if (at === undefined) {
        throw new Error("nothing has been shown yet; run 'varietal next' first");
      }
      let steps = Math.max(1, options.steps ?? 1);
      while (steps > 0) {
        const t = neighbourShowTime(db, at, "back");
        if (t === undefined) {
          throw new Error("no earlier wallpaper in history; 'varietal next' goes forward again");
        }
        at = t;
        if (showRows(db, t).every((r) => exists(r.path))) steps--;
      }
      return {
        kind: "back" as const,
        record: false,
        cursor: at,
        items: showRows(db, at).map((r) => ({
          imageId: r.image_id,
          path: r.path,
          output: r.output,
        })),
        warnings: [],
      };
    });
    return await applyShow(deps, plan, {
      setter,
      timer,
      palette: options.palette ?? true,
      theme,
      debounceTheme: options.debounceTheme ?? false,
      dryRun: false,
    });
  } finally {
    if (theme !== null && deps.theme === undefined) await theme.close();
  }
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
