/**
 * `prev`: step back through history without recording (the next `next`
 * steps forward again). Shows whose files are gone, or whose images were
 * banned since, are skipped.
 *
 * @module
 */
import type { SetterName } from "../config/choices.ts";
import type { ShowPlan, ShowResult } from "./apply_show.ts";
import {
  browsable,
  browseFile,
  neighbourShowTime,
  newestShowTime,
  NOTHING_SHOWN,
  readBrowseState,
  showRows,
} from "./browse.ts";
import { type PipelineDeps, resolveSetter } from "./pipeline_deps.ts";
import { runShow } from "./run_show.ts";

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
  // Said before looking for a setter: on a fresh install that is the news, not the desktop.
  if (newestShowTime(deps.db) === undefined) throw new Error(NOTHING_SHOWN);
  const setter = await resolveSetter(options.setter ?? deps.config.wallpaper.setter, deps.env);
  return await runShow(
    deps,
    { ...options, purpose: "prev", setter },
    (timer) => timer.stage("select", () => stepBack(deps, options.steps ?? 1)),
  );
}

/** The show `steps` back from the cursor, skipping shows whose files are gone or banned. */
async function stepBack(deps: PipelineDeps, steps: number): Promise<ShowPlan> {
  const { db } = deps;
  const state = await readBrowseState(browseFile(deps.paths.state));
  let at = state.cursor ?? newestShowTime(db);
  if (at === undefined) throw new Error(NOTHING_SHOWN);
  const want = Math.max(1, steps);
  let left = want;
  while (left > 0) {
    const t = neighbourShowTime(db, at, "back");
    if (t === undefined) {
      const found = want - left;
      throw new Error(
        found === 0
          ? "no earlier wallpaper in history; 'varietal next' goes forward again"
          : `only ${found} earlier wallpaper(s) in history (of ${want} steps back); ` +
            `give --steps ${found} or less`,
      );
    }
    at = t;
    if (browsable(db, showRows(db, t))) left--;
  }
  return {
    kind: "back",
    record: false,
    cursor: at,
    items: showRows(db, at).map((r) => ({ imageId: r.image_id, path: r.path, output: r.output })),
    warnings: [],
  };
}
