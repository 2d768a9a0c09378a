// The sender's side of `varietal next` handed to a running daemon (see
// `_next_server.ts`): only the control channel is loaded, so a key binding
// pays for little more than Deno's start when a daemon runs.
import type { Context } from "./_context.ts";
import type { ShowResult } from "../pipeline/apply_show.ts";
import { outdatedWarning, sessionOf } from "../pipeline/control_protocol.ts";
import {
  ControlError,
  DaemonNotRunningError,
  DaemonStoppedError,
  sendControl,
} from "../pipeline/control_client.ts";
import { configStamp } from "../config/config_stamp.ts";
import { CliError, EXIT, interruptedExit, isAbort } from "./errors.ts";
import { printShow } from "./_show.ts";

/** What the daemon did for us. */
export interface HandedOff {
  /** The daemon's process id. */
  pid: number;
  /** The pipeline's result, as `next` would have had it. */
  show: ShowResult;
}

/**
 * Asks a running daemon of this user to carry out `next`.
 *
 * @param options The sender's `--setter`, `--wait` (milliseconds) and `--image`.
 * @returns What the daemon did, or null when `next` should run here: no
 * daemon runs, its channel is unusable, or it declined (another config,
 * database or desktop session; an older daemon).
 * @throws {CliError} With the exit code `next` gives, when the daemon ran it
 * and it failed, or when the daemon stopped after taking the request.
 */
export async function handOffNext(
  ctx: Context,
  options: { setter?: string; waitMs?: number; image?: string },
): Promise<HandedOff | null> {
  const next = {
    config: ctx.paths.configFile,
    config_stamp: configStamp(ctx.paths.configFile),
    database: ctx.paths.database,
    session: sessionOf(ctx.env),
    ...(options.setter === undefined ? {} : { setter: options.setter }),
    ...(options.waitMs === undefined ? {} : { wait_ms: options.waitMs }),
    ...(options.image === undefined ? {} : { image: options.image, cwd: Deno.cwd() }),
  };
  let sent;
  try {
    sent = await sendControl(ctx.paths.runtime, "run-next", {
      next,
      // It waits for the lock as long as we would, then runs the pipeline (an image's
      // first palette can take a while); a daemon that dies is noticed by polling.
      timeoutMs: (options.waitMs ?? 60_000) + 600_000,
      // Ctrl-C or SIGTERM while the daemon works: it stops too, as `next` by itself would.
      signal: ctx.interrupt(),
    });
  } catch (e) {
    if (isAbort(e)) throw e;
    if (e instanceof DaemonNotRunningError) return null;
    // A daemon suspended in its terminal: run here (it skips our request when resumed).
    if (e instanceof DaemonStoppedError) {
      ctx.out.err(`varietal: warning: ${e.message}; running 'next' here`);
      return null;
    }
    if (e instanceof ControlError && e.delivered) {
      throw new CliError(
        `${e.message}; the wallpaper may have changed (see 'varietal current')`,
        EXIT.error,
      );
    }
    // Not delivered (no channel, a FIFO that cannot be opened): run here.
    return null;
  }
  const { reply } = sent;
  if (reply.show) return { pid: sent.pid, show: reply.show as unknown as ShowResult };
  if (reply.exit !== undefined) throw new CliError(reply.message, reply.exit);
  if (reply.outdated) ctx.out.err(`varietal: warning: ${outdatedWarning(sent.pid)}`);
  // Declined, or a daemon that does not know `run-next` (an unknown command to it).
  return null;
}

/**
 * Prints what the daemon did as `next` prints its own result; `--json` adds
 * `daemon_pid`, and `timings.startup` is this process's start-up (to the
 * hand-over), the other stages the daemon's.
 *
 * @returns The exit code.
 */
export function printHandedOff(
  ctx: Context,
  done: HandedOff,
  json: boolean,
  startup: number,
): Promise<number> {
  const { startup: _, ...stages } = done.show.timings;
  const show = { ...done.show, timings: { startup, ...stages } };
  return printShow(ctx, show, json, { daemon_pid: done.pid });
}

/**
 * The short way of a bare `varietal next` (or `next --json`), which `main.ts`
 * takes before loading the command line's modules: hand it to a running
 * daemon and print its answer.
 *
 * @returns The exit code, or null when `next` must run the usual way (no
 * daemon, or it declined).
 */
export async function quickNext(ctx: Context, json: boolean): Promise<number | null> {
  const startup = Math.round(performance.now() * 10) / 10;
  let done: HandedOff | null;
  try {
    done = await handOffNext(ctx, {});
  } catch (e) {
    if (isAbort(e)) {
      ctx.out.err(`varietal: ${e.message}`);
      return interruptedExit(e);
    }
    if (!(e instanceof CliError)) throw e;
    ctx.out.err(`varietal: ${e.message}`);
    return e.exitCode;
  }
  return done ? await printHandedOff(ctx, done, json, startup) : null;
}
