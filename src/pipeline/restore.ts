/**
 * Setting the current wallpaper again (after login, when the setter's own
 * state is gone): the same set → palette → theme, recording nothing and
 * leaving the browse cursor and the daemon's interval alone.
 *
 * @module
 */
import type { DisplayMode, SetterName } from "../config/choices.ts";
import type { ShowPlan, ShowResult } from "./apply_show.ts";
import { browseFile, currentShow, newestShowTime, readBrowseState, showable } from "./browse.ts";
import { type PipelineDeps, resolveSetter } from "./pipeline_deps.ts";
import { runShow } from "./run_show.ts";
import { printable } from "../text/printable.ts";

/** Options for {@linkcode runRestore}. */
export interface RestoreOptions {
  setter?: SetterName;
  /** Overrides `[wallpaper] mode` this once (e.g. "fit" to see the picture whole). */
  mode?: DisplayMode;
  /** @default config.theme.enabled */
  theme?: boolean;
  /** @default 60000 */
  lockTimeoutMs?: number;
  debounceTheme?: boolean;
}

/**
 * Re-applies the current wallpaper.
 *
 * @returns What was set, or null when nothing was shown yet, or every file of the show
 *   is gone or its image banned (with a wallpaper per output, the others are set).
 * @throws {SetterError} When the setter fails.
 * @throws {BusyError} When another varietal holds the lock.
 */
export async function runRestore(
  deps: PipelineDeps,
  options: RestoreOptions = {},
): Promise<ShowResult | null> {
  if (options.mode !== undefined) {
    const w = deps.config.wallpaper;
    deps = { ...deps, config: { ...deps.config, wallpaper: { ...w, mode: options.mode } } };
  }
  // Nothing shown yet: said before looking for a setter (a fresh install may have none).
  if (newestShowTime(deps.db) === undefined) return null;
  const setter = await resolveSetter(options.setter ?? deps.config.wallpaper.setter, deps.env);
  const current = async (): Promise<ShowPlan | null> => {
    const rows = currentShow(deps.db, await readBrowseState(browseFile(deps.paths.state)));
    // With a wallpaper per output, one banned (or gone) since takes the picture of the
    // first output that can be restored, rather than leave its monitor blank.
    const ok = rows.filter((r) => showable(deps.db, [r]));
    if (ok.length === 0) return null;
    const [first] = ok;
    return {
      kind: "restore",
      record: false,
      items: rows.map((r) => {
        const use = ok.includes(r) ? r : first;
        return { imageId: use.image_id, path: use.path, output: r.output };
      }),
      warnings: rows.filter((r) => !ok.includes(r)).map((r) =>
        `${r.output ?? "the screen"}: ${printable(r.path)} is banned or gone; it gets ` +
        `${first.output ?? "the other"}'s picture`
      ),
    };
  };
  return await runShow(deps, { ...options, purpose: "restore", setter }, current);
}
