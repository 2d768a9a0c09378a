/**
 * Setting the current wallpaper again (after login, when the setter's own
 * state is gone): the same set → palette → theme, recording nothing and
 * leaving the browse cursor and the daemon's interval alone.
 *
 * @module
 */
import type { SetterName } from "../config/choices.ts";
import { applyShow, type ShowResult } from "./apply_show.ts";
import { browseFile, currentShow, readBrowseState } from "./browse.ts";
import { acquireLock } from "./lock.ts";
import { type PipelineDeps, pipelineLockFile, resolveSetter } from "./pipeline_deps.ts";
import { StageTimer } from "./stage_timer.ts";

/** Options for {@linkcode runRestore}. */
export interface RestoreOptions {
  setter?: SetterName;
  /** @default config.theme.enabled */
  theme?: boolean;
  /** @default 60000 */
  lockTimeoutMs?: number;
  debounceTheme?: boolean;
}

/**
 * Re-applies the current wallpaper.
 *
 * @returns What was set, or null when nothing was shown yet or its file is gone.
 * @throws {SetterError} When the setter fails.
 * @throws {BusyError} When another varietal holds the lock.
 */
export async function runRestore(
  deps: PipelineDeps,
  options: RestoreOptions = {},
): Promise<ShowResult | null> {
  const timer = new StageTimer();
  const { config } = deps;
  const setter = await resolveSetter(options.setter ?? config.wallpaper.setter, deps.env);
  const themeWanted = (options.theme ?? true) && config.theme.enabled;
  const theme = themeWanted ? deps.theme ?? await deps.services.theme(config, deps.paths) : null;
  try {
    using _lock = await timer.stage("lock", () =>
      acquireLock(pipelineLockFile(deps.paths), {
        timeoutMs: options.lockTimeoutMs ?? 60_000,
        purpose: "restore",
        signal: deps.signal,
      }));
    const rows = currentShow(deps.db, await readBrowseState(browseFile(deps.paths.state)));
    if (rows.length === 0 || !rows.every((r) => isFile(r.path))) return null;
    return await applyShow(deps, {
      kind: "restore",
      record: false,
      items: rows.map((r) => ({ imageId: r.image_id, path: r.path, output: r.output })),
      warnings: [],
    }, {
      setter,
      timer,
      palette: true,
      theme,
      debounceTheme: options.debounceTheme ?? false,
      dryRun: false,
    });
  } finally {
    if (theme !== null && deps.theme === undefined) await theme.close();
  }
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
