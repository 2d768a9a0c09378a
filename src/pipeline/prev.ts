/**
 * `prev`: step back through history without recording (the next `next`
 * steps forward again). Shows whose files are gone are skipped.
 *
 * @module
 */
import type { SetterName } from "../config/choices.ts";
import type { ShowPlan, ShowResult } from "./apply_show.ts";
import {
  browseFile,
  neighbourShowTime,
  newestShowTime,
  readBrowseState,
  showRows,
} from "./browse.ts";
import { type PipelineDeps, resolveSetter } from "./pipeline_deps.ts";
import { runShow } from "./run_show.ts";
import { checkFile } from "../file_check.ts";

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
  /** Report the process's start-up time in the timings (one-shot commands). @default false */
  startup?: boolean;
}

/**
 * Shows an earlier wallpaper again.
 *
 * @throws {Error} When nothing was shown yet or there is nothing earlier.
 * @throws {BusyError} When another varietal holds the lock.
 * @throws {SetterError} When the setter fails (the cursor does not move).
 */
export async function runPrev(deps: PipelineDeps, options: PrevOptions = {}): Promise<ShowResult> {
  const setter = await resolveSetter(options.setter ?? deps.config.wallpaper.setter, deps.env);
  return await runShow(
    deps,
    { ...options, purpose: "prev", setter },
    (timer) => timer.stage("select", () => stepBack(deps, options.steps ?? 1)),
  );
}

/** The show `steps` back from the cursor, skipping shows whose files are gone. */
async function stepBack(deps: PipelineDeps, steps: number): Promise<ShowPlan> {
  const { db } = deps;
  const state = await readBrowseState(browseFile(deps.paths.state));
  let at = state.cursor ?? newestShowTime(db);
  if (at === undefined) {
    throw new Error("nothing has been shown yet; run 'varietal next' first");
  }
  let left = Math.max(1, steps);
  while (left > 0) {
    const t = neighbourShowTime(db, at, "back");
    if (t === undefined) {
      throw new Error("no earlier wallpaper in history; 'varietal next' goes forward again");
    }
    at = t;
    if (showRows(db, t).every((r) => checkFile(r.path) === "ok")) left--;
  }
  return {
    kind: "back",
    record: false,
    cursor: at,
    items: showRows(db, at).map((r) => ({ imageId: r.image_id, path: r.path, output: r.output })),
    warnings: [],
  };
}
