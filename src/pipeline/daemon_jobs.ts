/**
 * What the daemon does on its timer and on request, each step reporting an
 * outcome (for the log and for the sender of a control command) instead of
 * throwing: rotate, restore at start-up, re-apply the theme, prune history.
 *
 * @module
 */
import type { SetterName } from "../config/choices.ts";
import { applyRetention, RETENTION_INTERVAL_MS } from "../db/retention.ts";
import { getPalette, plainPalette } from "../db/palettes.ts";
import { countImages } from "../db/images.ts";
import { hasEnabledRemotes } from "../db/remotes.ts";
import { isCorruption } from "../db/damage.ts";
import { type ShowResult, withCredit } from "./apply_show.ts";
import { browseFile, currentShow, newestShowTime, readBrowseState } from "./browse.ts";
import type { ControlOutcome } from "./control_protocol.ts";
import { runNext } from "./next.ts";
import type { PipelineDeps } from "./pipeline_deps.ts";
import { acquireLock, DEFAULT_LOCK_WAIT_MS, pipelineLockFile } from "./lock.ts";
import type { DebounceGuard } from "../theme/engine.ts";
import { failureLines, hookStatus } from "../theme/theme_report.ts";
import { runRestore } from "./restore.ts";
import type { ThemeApplier } from "./services.ts";
import type { ThemeReport } from "../theme/theme_report.ts";
import { databaseFailure } from "../db/errors.ts";

/** Writes one line to the daemon's log. */
export type Log = (line: string) => void;

/**
 * Logs what went wrong in a theme apply that nobody waits for (the daemon's
 * debounced ones, and `--send theme`): each failed template and each failed
 * hook with `log`; a hook whose program is not installed with `info` (a
 * warning, as for \`varietal next\`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logThemeProblems } from "./daemon_jobs.ts";
 *
 * const errors: string[] = [], notes: string[] = [];
 * logThemeProblems({
 *   written: [{ name: "bar", target: "/h/bar.css" }],
 *   failed: [{ name: "kitty", reason: "cannot write /h/k.conf: permission denied" }],
 *   hooks: [
 *     { name: "bar", ok: false, reason: "exited with code 4" },
 *     { name: "kitty", ok: false, missing: true, reason: "not run: 'kitty' is not installed" },
 *   ],
 *   ms: 3,
 * }, (l) => notes.push(l), (l) => errors.push(l));
 * assert.deepEqual(errors, [
 *   "theme: kitty: cannot write /h/k.conf: permission denied",
 *   "theme: hook of bar: exited with code 4",
 * ]);
 * assert.deepEqual(notes, ["theme: hook of kitty not run: 'kitty' is not installed"]);
 * ```
 */
export function logThemeProblems(report: ThemeReport, info: Log, log: Log): void {
  for (const line of failureLines(report.failed)) log(`theme: ${line}`);
  for (const h of report.hooks) {
    if (h.ok) continue;
    if (h.missing) {
      // runHook's reason already says "not run: …".
      const why = (h.reason ?? "not installed").replace(/^not run: /, "");
      info(`theme: hook of ${h.name} not run: ${why}`);
    } else if (!report.failed.some((f) => f.name === h.name)) {
      log(`theme: hook of ${h.name}: ${h.reason ?? "failed"}`);
    }
  }
}

/** The dependencies and options of one change the daemon makes. */
export interface DaemonRun {
  deps: PipelineDeps;
  options: { theme: boolean; debounceTheme: boolean; lockTimeoutMs: number; setter?: SetterName };
  /** The group rotations pick from (`--group`, else `[daemon] group`); undefined = every folder. */
  group?: string;
}

/**
 * What every change the daemon makes shares: its own theme engine (debounced
 * applies), the configured setter, the lock wait and the group it rotates.
 */
export function daemonRun(
  deps: PipelineDeps,
  theme: ThemeApplier | null,
  options: { lockTimeoutMs?: number; setter?: SetterName; group?: string },
): DaemonRun {
  const group = options.group ?? deps.config.daemon.group ?? undefined;
  return {
    ...(group === undefined ? {} : { group }),
    deps: { ...deps, ...(theme ? { theme } : {}) },
    options: {
      theme: theme !== null,
      debounceTheme: true,
      lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_WAIT_MS,
      ...(options.setter ? { setter: options.setter } : {}),
    },
  };
}

/** The images shown, `OUTPUT=PATH` per output, for the log. */
export function describeShows(r: Pick<ShowResult, "shows">): string {
  return r.shows.map((s) => (s.output ? `${s.output}=${s.path}` : s.path)).join(" ");
}

/** Shows the next wallpaper. */
export async function rotate(run: DaemonRun, info: Log, log: Log): Promise<ControlOutcome> {
  let r: ShowResult;
  try {
    r = await runNext(run.deps, {
      ...run.options,
      browse: false,
      ...(run.group === undefined ? {} : { group: run.group }),
    });
  } catch (e) {
    rethrowDamage(e);
    // A collection of remotes only is empty until their first downloads: not a failure.
    if (countImages(run.deps.db) === 0 && hasEnabledRemotes(run.deps.db)) {
      const message = "nothing to show yet: waiting for the remotes' first downloads";
      info(message);
      return { ok: false, message };
    }
    const message = `next failed: ${(databaseFailure(e, run.deps.db.path) as Error).message}`;
    log(message);
    return { ok: false, message };
  }
  const message = `next: ${describeShows(r)}`;
  info(`${message} (${Math.round(r.timings.total)} ms)`);
  sayWarnings(log, r.warnings);
  return { ok: true, message };
}

/** The warnings of each daemon's last set (a rotation or the restore), by the log it keeps. */
const lastWarnings = new WeakMap<Log, ReadonlySet<string>>();

/**
 * Logs a set's warnings. A lasting condition (no portrait picture for a portrait monitor) is
 * said when it begins, not at every rotation: one the last set gave too is not logged again.
 */
function sayWarnings(log: Log, warnings: readonly string[]): void {
  const before = lastWarnings.get(log);
  for (const w of warnings) if (!before?.has(w)) log(`warning: ${w}`);
  lastWarnings.set(log, new Set(warnings));
}

/**
 * Sets the current wallpaper again (after login the setter's state is gone).
 *
 * @returns "gone" when a wallpaper was shown before but its file is gone or its
 *   image banned (the screen is left without one: the caller picks another).
 */
export async function restore(
  run: DaemonRun,
  info: Log,
  log: Log,
): Promise<"restored" | "none" | "gone" | "failed"> {
  try {
    const r = await runRestore(run.deps, run.options);
    if (r) {
      info(`restored: ${describeShows(r)}`);
      // A setter's once-per-process warnings (a mode it lacks) are said here when the
      // restore is the first to meet them.
      sayWarnings(log, r.warnings);
      return "restored";
    }
    if (newestShowTime(run.deps.db) === undefined) return "none";
    const [last] = currentShow(
      run.deps.db,
      await readBrowseState(browseFile(run.deps.paths.state)),
    );
    log(
      `restore: the last wallpaper${last ? ` (${last.path})` : ""} is gone or banned, ` +
        "so none could be set again",
    );
    return "gone";
  } catch (e) {
    rethrowDamage(e);
    log(`restore failed: ${(e as Error).message}`);
    return "failed";
  }
}

/** Applies `[history] keep_days` at most once a day. Returns the time it last ran. */
export async function prune(
  deps: PipelineDeps,
  last: number,
  now: number,
  info: Log,
  log: Log,
): Promise<number> {
  if (now - last < RETENTION_INTERVAL_MS) return last;
  try {
    // The show `prev` is browsing stays (it is on screen), as `varietal prune` keeps it.
    const cursor = (await readBrowseState(browseFile(deps.paths.state))).cursor;
    const { deleted } = applyRetention(deps.db, deps.config, now, {
      keep: cursor === null ? [] : [cursor],
    });
    if (deleted > 0) {
      const days = deps.config.history.keep_days;
      info(`history: dropped ${deleted} show(s) older than ${days} day${days === 1 ? "" : "s"}`);
    }
  } catch (e) {
    rethrowDamage(e);
    log(`history not pruned: ${(e as Error).message}`);
  }
  return now;
}

/**
 * The daemon's guard around a debounced theme apply (see `ThemeEngineOptions.debounceGuard`):
 * it takes the pipeline lock and renders only when `wallpaper` is still the one on
 * screen. A change by another varietal in the debounce (`prev`, a `next` with options,
 * `--no-daemon`) wrote its own theme, which an older palette must not replace.
 *
 * @param deps The daemon's dependencies.
 * @param info Where a skipped apply is noted.
 */
export function debounceGuard(deps: PipelineDeps, info: Log): DebounceGuard {
  return async (wallpaper, apply) => {
    using _lock = await acquireLock(pipelineLockFile(deps.paths), {
      timeoutMs: 60_000,
      purpose: "daemon theme",
    });
    const rows = currentShow(deps.db, await readBrowseState(browseFile(deps.paths.state)));
    if (rows[0]?.path !== wallpaper) {
      info(`theme: not rendered for ${wallpaper}: another change came first`);
      return null;
    }
    return await apply();
  };
}

/** Renders the theme again for the wallpaper on screen. */
export async function reapplyTheme(
  deps: PipelineDeps,
  theme: ThemeApplier | null,
  info: Log,
  log: Log,
): Promise<ControlOutcome> {
  if (!theme) {
    const message = "theme: disabled in config ([theme] enabled = false)";
    info(message);
    return { ok: false, message };
  }
  // Under the pipeline lock, as every change is: the wallpaper read here stays on screen
  // until these files are written (a `varietal prev` meanwhile waits).
  using _lock = await acquireLock(pipelineLockFile(deps.paths), {
    timeoutMs: 60_000,
    purpose: "daemon theme",
  });
  const rows = currentShow(deps.db, await readBrowseState(browseFile(deps.paths.state)));
  const primary = rows[0];
  const palette = primary && getPalette(deps.db, primary.image_id);
  if (!palette) {
    const message = "theme: nothing to re-apply (no current wallpaper with a palette)";
    log(message);
    return { ok: false, message };
  }
  try {
    const rep = await theme.apply(
      withCredit(deps.db, primary.image_id, plainPalette(palette)),
      primary.path,
    );
    // A hook that ran and failed fails it, as in `theme apply` (one not installed is a warning).
    const hooksFailed = rep.hooks.filter((h) => hookStatus(h) === "failed").length;
    const message = `theme: re-applied for ${primary.path} (${rep.written.length} file(s), ` +
      `${rep.failed.length} failed${hooksFailed ? `, ${hooksFailed} hook(s) failed` : ""})`;
    info(message);
    logThemeProblems(rep, info, log);
    return { ok: rep.failed.length === 0 && hooksFailed === 0, message };
  } catch (e) {
    rethrowDamage(e);
    const message = `theme: ${(e as Error).message}`;
    log(message);
    return { ok: false, message };
  }
}

/**
 * A damaged database is not one job's failure: it goes up to the daemon, which stops, so the
 * file is marked damaged and every command refuses it (as when any command meets the damage).
 */
export function rethrowDamage(e: unknown): void {
  if (isCorruption(e)) throw e;
}
