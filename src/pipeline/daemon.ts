/**
 * The daemon loop: one instance per user (a lock), a rotation every
 * interval through the same pipeline and lock as `varietal next`, and
 * signals: SIGUSR1 next now, SIGUSR2 re-apply the theme, SIGHUP reload the
 * config, SIGTERM/SIGINT finish the current step and stop.
 *
 * A manual `next` or `prev` restarts the interval: both write the time of
 * the change into the browse file, which the daemon reads before sleeping.
 *
 * @module
 */
import type { SetterName } from "../config/choices.ts";
import type { Config } from "../config/schema.ts";
import { applyRetention, RETENTION_INTERVAL_MS } from "../db/retention.ts";
import { getPalette, plainPalette } from "../db/palettes.ts";
import type { ShowResult } from "./apply_show.ts";
import { browseFile, currentShow, readBrowseState } from "./browse.ts";
import { acquireLock, BusyError } from "./lock.ts";
import { AsyncMutex } from "./mutex.ts";
import { runNext } from "./next.ts";
import { runRestore } from "./restore.ts";
import type { PipelineDeps } from "./pipeline_deps.ts";
import type { ThemeApplier } from "./services.ts";
import { startRemoteTopUp, type TopUp } from "../remote/background.ts";

/** Something the daemon is asked to do. */
export type DaemonEvent = "next" | "theme" | "reload" | "stop";

/** Signals and their events. */
export const DAEMON_SIGNALS: Readonly<Record<DaemonEvent, readonly Deno.Signal[]>> = {
  next: ["SIGUSR1"],
  theme: ["SIGUSR2"],
  reload: ["SIGHUP"],
  stop: ["SIGTERM", "SIGINT"],
};

/** Options for {@linkcode runDaemon}. */
export interface DaemonOptions {
  /** Seconds between rotations; overrides `[daemon] interval` (also after reload). */
  interval?: number;
  /** Reads the config again (SIGHUP). */
  reloadConfig: () => Promise<Config>;
  /** Writes one line to the log (stderr). */
  log: (line: string) => void;
  /** Log only errors. @default false */
  quiet?: boolean;
  /** Milliseconds a rotation waits for a manual `next`. @default 60000 */
  lockTimeoutMs?: number;
  /**
   * Subscribes to events; returns an unsubscribe function.
   * @default process signals as in {@linkcode DAEMON_SIGNALS}
   */
  subscribe?: (emit: (e: DaemonEvent) => void) => () => void;
  /** Overrides `[wallpaper] setter`. */
  setter?: SetterName;
  /** Called once the daemon holds its lock and listens (tests wait for it). */
  onReady?: () => void;
}

/** The single-instance lock file. */
export function daemonLockFile(runtimeDir: string): string {
  return `${runtimeDir}/daemon.lock`;
}

/**
 * Sends a running daemon the signal of an event (found through its lock file).
 *
 * @returns The daemon's pid.
 * @throws {Error} When no daemon runs.
 */
export async function signalDaemon(runtimeDir: string, event: DaemonEvent): Promise<number> {
  const file = daemonLockFile(runtimeDir);
  let f: Deno.FsFile;
  try {
    f = await Deno.open(file, { read: true, write: true });
  } catch {
    throw new Error(`no varietal daemon is running (no ${file})`);
  }
  try {
    if (await f.tryLock(true)) {
      await f.unlock();
      throw new Error("no varietal daemon is running");
    }
  } finally {
    f.close();
  }
  const pid = Number(/pid (\d+)/.exec(await Deno.readTextFile(file))?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new Error(`cannot read the daemon's pid from ${file}`);
  }
  Deno.kill(pid, DAEMON_SIGNALS[event][0]);
  return pid;
}

function processSignals(emit: (e: DaemonEvent) => void): () => void {
  const installed: [Deno.Signal, () => void][] = [];
  for (const [event, signals] of Object.entries(DAEMON_SIGNALS) as [DaemonEvent, Deno.Signal[]][]) {
    for (const sig of signals) {
      const h = () => emit(event);
      Deno.addSignalListener(sig, h);
      installed.push([sig, h]);
    }
  }
  return () => {
    for (const [sig, h] of installed) Deno.removeSignalListener(sig, h);
  };
}

/**
 * Runs until SIGTERM/SIGINT (or a "stop" event).
 *
 * @throws {BusyError} When another daemon runs.
 */
export async function runDaemon(deps: PipelineDeps, options: DaemonOptions): Promise<void> {
  const { log, quiet = false } = options;
  const info = (s: string) => quiet || log(s);
  let daemonLock;
  try {
    daemonLock = await acquireLock(daemonLockFile(deps.paths.runtime), {
      timeoutMs: 0,
      purpose: "daemon",
    });
  } catch (e) {
    if (e instanceof BusyError) {
      throw new BusyError(
        e.file,
        e.holder,
        `another varietal daemon is running${e.holder ? ` (${e.holder})` : ""}; stop it first`,
      );
    }
    throw e;
  }
  using _daemonLock = daemonLock;
  const queue: DaemonEvent[] = [];
  let wake: (() => void) | undefined;
  const emit = (e: DaemonEvent) => {
    if (e === "stop") queue.unshift(e);
    else if (!queue.includes(e)) queue.push(e);
    wake?.();
  };
  const unsubscribe = (options.subscribe ?? processSignals)(emit);
  const mutex = new AsyncMutex();
  let theme: ThemeApplier | null = null;
  const intervalMs = () => (options.interval ?? deps.config.daemon.interval) * 1000;
  const makeTheme = async () => {
    if (theme) await theme.close();
    theme = deps.config.theme.enabled ? await deps.services.theme(deps.config, deps.paths) : null;
  };
  let lastRotation = 0;
  let topUp: TopUp | undefined; // remote sources (see below)
  try {
    await makeTheme();
    info(`daemon started: pid ${Deno.pid}, every ${formatSeconds(intervalMs() / 1000)}`);
    options.onReady?.();
    // --- Remote sources: keep enabled remotes topped up in the background
    // (src/remote/background.ts). It takes no lock, so it never delays a rotation.
    topUp = startRemoteTopUp({
      db: deps.db,
      paths: deps.paths,
      config: () => deps.config,
      env: deps.env,
      log,
      info,
    });
    // --- end remote sources
    // The next rotation is due one interval after the last change by anyone (at start-up
    // too: a wallpaper older than the interval is replaced at once). `lastRotation` keeps a
    // failing rotation from being retried before the next interval.
    // After login the setter's state is gone: show the current wallpaper again when it is
    // not due for a change anyway.
    const changedAt = (await readBrowseState(browseFile(deps.paths.state))).changedAt;
    if (changedAt + intervalMs() > (deps.now ?? Date.now)()) {
      await mutex.run(() => restore(daemonRun(deps, theme, options), info, log));
    }
    let lastPrune = 0;
    let stopping = false;
    while (!stopping) {
      lastPrune = prune(deps, lastPrune, info, log);
      const now = (deps.now ?? Date.now)();
      const changed = (await readBrowseState(browseFile(deps.paths.state))).changedAt;
      const due = Math.max(lastRotation, changed) + intervalMs();
      if (queue.length === 0 && now < due) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(due - now, 2 ** 31 - 1));
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wake = undefined;
        continue;
      }
      const event = queue.shift() ?? "next";
      switch (event) {
        case "stop":
          stopping = true;
          break;
        case "next":
          lastRotation = (deps.now ?? Date.now)();
          await mutex.run(() => rotate(daemonRun(deps, theme, options), info, log));
          lastRotation = (deps.now ?? Date.now)();
          break;
        case "theme":
          await mutex.run(() => reapplyTheme(deps, theme, info, log));
          break;
        case "reload":
          try {
            deps.config = await options.reloadConfig();
            await makeTheme();
            info(`config reloaded: every ${formatSeconds(intervalMs() / 1000)}`);
          } catch (e) {
            log(`config not reloaded (keeping the old one): ${(e as Error).message}`);
          }
          break;
      }
    }
    info("daemon stopping");
  } finally {
    await topUp?.stop(); // remote sources
    unsubscribe();
    const t = theme as ThemeApplier | null;
    if (t) {
      await t.flush().catch((e) => log(`theme: ${(e as Error).message}`));
      await t.close();
    }
  }
}

/** The dependencies and options of one change the daemon makes. */
interface DaemonRun {
  deps: PipelineDeps;
  options: { theme: boolean; debounceTheme: boolean; lockTimeoutMs: number; setter?: SetterName };
}

/**
 * What every change the daemon makes shares: its own theme engine (debounced
 * applies), the configured setter and the lock wait.
 */
function daemonRun(
  deps: PipelineDeps,
  theme: ThemeApplier | null,
  options: DaemonOptions,
): DaemonRun {
  return {
    deps: { ...deps, ...(theme ? { theme } : {}) },
    options: {
      theme: theme !== null,
      debounceTheme: true,
      lockTimeoutMs: options.lockTimeoutMs ?? 60_000,
      ...(options.setter ? { setter: options.setter } : {}),
    },
  };
}

type Log = (line: string) => void;

/** The images shown, `OUTPUT=PATH` per output, for the log. */
function describeShows(r: ShowResult): string {
  return r.shows.map((s) => (s.output ? `${s.output}=${s.path}` : s.path)).join(" ");
}

async function rotate(run: DaemonRun, info: Log, log: Log): Promise<void> {
  let r: ShowResult;
  try {
    r = await runNext(run.deps, { ...run.options, browse: false });
  } catch (e) {
    log(`next failed: ${(e as Error).message}`);
    return;
  }
  info(`next: ${describeShows(r)} (${Math.round(r.timings.total)} ms)`);
  for (const w of r.warnings) log(`warning: ${w}`);
}

async function restore(run: DaemonRun, info: Log, log: Log): Promise<void> {
  try {
    const r = await runRestore(run.deps, run.options);
    if (r) info(`restored: ${describeShows(r)}`);
  } catch (e) {
    log(`restore failed: ${(e as Error).message}`);
  }
}

/** Applies `[history] keep_days` at most once a day. Returns the time it last ran. */
function prune(
  deps: PipelineDeps,
  last: number,
  info: (s: string) => void,
  log: (s: string) => void,
): number {
  const now = (deps.now ?? Date.now)();
  if (now - last < RETENTION_INTERVAL_MS) return last;
  try {
    const { deleted } = applyRetention(deps.db, deps.config, now);
    if (deleted > 0) {
      info(`history: dropped ${deleted} show(s) older than ${deps.config.history.keep_days} days`);
    }
  } catch (e) {
    log(`history not pruned: ${(e as Error).message}`);
  }
  return now;
}

async function reapplyTheme(
  deps: PipelineDeps,
  theme: ThemeApplier | null,
  info: (s: string) => void,
  log: (s: string) => void,
): Promise<void> {
  if (!theme) {
    info("theme: disabled in config");
    return;
  }
  const rows = currentShow(deps.db, await readBrowseState(browseFile(deps.paths.state)));
  const primary = rows[0];
  const palette = primary && getPalette(deps.db, primary.image_id);
  if (!palette) {
    log("theme: nothing to re-apply (no current wallpaper with a palette)");
    return;
  }
  try {
    const rep = await theme.apply(plainPalette(palette), primary.path);
    info(
      `theme: re-applied for ${primary.path} (${rep.written.length} file(s), ${rep.failed.length} failed)`,
    );
  } catch (e) {
    log(`theme: ${(e as Error).message}`);
  }
}

function formatSeconds(s: number): string {
  return s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}
