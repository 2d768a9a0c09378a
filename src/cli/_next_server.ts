// The daemon's side of `varietal next` handed over (`run-next`): the same
// pipeline run as `next` makes by itself, with the daemon's warm modules,
// database and theme engine, answered with the result or the exit code.
import type { ControlOutcome, HandOffBase } from "../pipeline/control_protocol.ts";
import { sameSession, sessionOf } from "../pipeline/control_protocol.ts";
import type { HandOffNext } from "../pipeline/daemon.ts";
import type { PipelineDeps } from "../pipeline/pipeline_deps.ts";
import type { SetterName } from "../config/choices.ts";
import { runNext } from "../pipeline/next.ts";
import { assertTemplates } from "../pipeline/theme_applier.ts";
import { failureOf } from "./errors.ts";
import { cliError } from "./_show.ts";
import { describeShows, rethrowDamage } from "../pipeline/daemon_jobs.ts";
import { codeUpdated } from "../pipeline/code_stamp.ts";

/** Why a daemon whose code changed on disk since it started declines (see `code_stamp.ts`). */
export const OUTDATED = "varietal was updated since the daemon started";

/**
 * The answer of a declined hand-off, with a {@linkcode handOffMismatch} reason
 * (marked `outdated` when the daemon's code changed, so the sender says so).
 */
export function declined(mismatch: string): ControlOutcome {
  return {
    ok: false,
    declined: true,
    message: `declined: ${mismatch}`,
    ...(mismatch === OUTDATED ? { outdated: true } : {}),
  };
}

/**
 * Why the daemon should not carry out this `next` or `select` (its own code
 * updated on disk since it started, {@linkcode OUTDATED}; another config file,
 * config version, database or desktop session than its own), or null.
 */
export function handOffMismatch(
  next: HandOffBase,
  deps: Pick<PipelineDeps, "paths" | "env" | "db">,
  configStamp: string,
): string | null {
  if (codeUpdated()) return OUTDATED;
  if (next.database !== deps.paths.database) return "another database";
  if (deps.db.replaced()) return "the database file was replaced since the daemon opened it";
  if (next.config !== deps.paths.configFile) return "another config file";
  if (next.config_stamp !== configStamp) return "the config file changed since the daemon read it";
  if (!sameSession(next.session, sessionOf(deps.env))) return "another desktop session";
  return null;
}

/**
 * The `run-next` handler of a daemon: declines a sender whose set-up differs,
 * else runs `next` with the sender's options (its `--setter` or the config's
 * setter, never the daemon's `--setter`; all folders, not the daemon's group;
 * the theme written before the answer; a debounced one of the daemon's still
 * pending is then dropped as no longer on screen).
 *
 * @param deps The daemon's dependencies (its config changes on reload).
 * @param configStamp The stamp of the config file the daemon read last.
 */
export function nextServer(deps: PipelineDeps, configStamp: () => string): HandOffNext {
  return async (next, theme, signal, place): Promise<ControlOutcome> => {
    const mismatch = handOffMismatch(next, deps, configStamp());
    if (mismatch) return declined(mismatch);
    try {
      // A rotation's debounced theme still pending never lands after this one: it renders
      // under the lock, and only while its wallpaper is on screen (daemon_jobs.ts).
      if (theme) await assertTemplates(theme, deps.config);
      const stop = signal && deps.signal ? AbortSignal.any([deps.signal, signal]) : signal;
      const r = await runNext({
        ...deps,
        ...(theme ? { theme } : {}),
        ...(stop ? { signal: stop } : {}),
      }, {
        ...(next.setter === undefined ? {} : { setter: next.setter as SetterName }),
        ...(next.wait_ms === undefined ? {} : { lockTimeoutMs: next.wait_ms }),
        ...(place ? { lockPlace: place } : {}),
        ...(next.image === undefined ? {} : { image: next.image }),
        ...(next.cwd === undefined ? {} : { cwd: next.cwd }),
        theme: theme !== null,
      });
      return {
        ok: true,
        // As the daemon logs its own rotations.
        message: `next: ${describeShows(r)} (${Math.round(r.timings.total)} ms)`,
        show: r as unknown as Record<string, unknown>,
      };
    } catch (e) {
      rethrowDamage(e); // the daemon stops (and says so to the sender)
      // The message and exit code `varietal next` would give.
      const { message, exit } = failureOf(cliError(e), "next");
      return { ok: false, message, exit };
    }
  };
}
