/**
 * The daemon loop: one instance per user (a lock), a rotation every
 * interval through the same pipeline and lock as `varietal next`, and a
 * control channel (a private FIFO, see `control_server.ts`) through which
 * `varietal daemon --send` asks for next, theme, reload, stop, pause,
 * resume, toggle and `varietal status` reads its state. Of process
 * signals only those systemd uses are handled: SIGHUP reloads the config,
 * SIGTERM/SIGINT finish the current step and stop (a second stop cancels
 * that step, as Ctrl-C cancels `varietal next`). SIGUSR1 and SIGUSR2
 * mean nothing to it (SIGUSR1 makes Deno open a debugger port, which
 * `inspector_guard.ts` closes again; SIGUSR2, 0.1.0's theme signal, is
 * logged and ignored rather than ending the daemon).
 *
 * A manual `next` or `prev` restarts the interval: both write the time of
 * the change into the browse file, which the daemon reads before sleeping.
 * Pausing stops timer rotations (requests still work) and is remembered in
 * the state dir, across reloads and restarts; resuming starts a fresh
 * interval.
 *
 * @module
 */
import { DamagedDatabaseError, isCorruption } from "../db/damage.ts";
import { sleep } from "../sleep.ts";
import { timerMs } from "../timeout.ts";
import { CLOCK_CHECK_MS } from "../periodic.ts";
import type { SetterName } from "../config/choices.ts";
import type { Config } from "../config/schema.ts";
import { browseFile, currentShow, readBrowseState } from "./browse.ts";
import { getPalette } from "../db/palettes.ts";
import { followsSystem } from "../select/selector.ts";
import {
  fitsLightness,
  lightnessAt,
  nextLightnessSwitch,
  type WantedLightness,
} from "../select/lightness_switch.ts";
import {
  type ControlCommand,
  type ControlOutcome,
  type DaemonStatus,
  type NextHandOff,
  outdatedDaemonWarning,
  type SelectHandOff,
} from "./control_protocol.ts";
import { type ControlHandler, startControlServer } from "./control_server.ts";
import {
  controlFifoExists,
  daemonStateFile,
  readDaemonState,
  writeDaemonState,
} from "./daemon_files.ts";
import {
  daemonRun,
  debounceGuard,
  logThemeProblems,
  prune,
  reapplyTheme,
  restore,
  rotate,
} from "./daemon_jobs.ts";
import { sessionSocket, type SessionWatch, watchSession } from "./session_end.ts";
import { guardInspector } from "./inspector_guard.ts";
import {
  BusyError,
  DEFAULT_LOCK_WAIT_MS,
  formatWait,
  type LockPlace,
  pipelineLockFile,
  takePlace,
} from "./lock.ts";
import { AsyncMutex } from "./mutex.ts";
import { codeUpdated } from "./code_stamp.ts";
import { type DaemonLock, type DaemonLockCheck, takeDaemonLock } from "./daemon_lock.ts";
import type { PipelineDeps } from "./pipeline_deps.ts";
import type { ThemeApplier } from "./services.ts";
import { watchForDaemon } from "../desktop/color_scheme_watch.ts";
import { startRemoteTopUp, type TopUp } from "../remote/background.ts";
import { type Rescan, startRescan } from "./background_scan.ts";

/**
 * Something the daemon is asked to do (every control command but `status`,
 * `run-next` and `run-select`).
 */
export type DaemonEvent = Exclude<ControlCommand, "status" | "run-next" | "run-select">;

/** Events that wait their turn in the queue (the others act at once). */
type QueuedEvent = "next" | "theme" | "reload" | "stop" | "run-next";

/**
 * Carries out a `varietal next` handed over through the control channel
 * (`run-next`), with the daemon's theme engine (null when theming is off).
 */
export type HandOffNext = (
  next: NextHandOff,
  theme: ThemeApplier | null,
  /** Aborted when the sender stops waiting (Ctrl-C, killed): stop as `next` by itself does. */
  signal?: AbortSignal,
  /** Its place in the pipeline lock's queue, taken when it came (used up by the run). */
  place?: LockPlace,
) => Promise<ControlOutcome>;

/**
 * Carries out a `varietal select` handed over through the control channel
 * (`run-select`): answered at once, outside the queue (it changes nothing but
 * the missing marks of picked files that vanished).
 */
export type HandOffSelect = (select: SelectHandOff) => Promise<ControlOutcome>;

/**
 * The process signals the daemon handles, all for systemd (`ExecReload`,
 * `KillSignal`). Everything else goes through the control channel.
 */
export const DAEMON_SIGNALS: Readonly<Partial<Record<DaemonEvent, readonly Deno.Signal[]>>> = {
  reload: ["SIGHUP"],
  stop: ["SIGTERM", "SIGINT"],
};

/** Starts a control channel for a handler; the daemon closes it when it stops. */
export type ControlChannel = (handler: ControlHandler) => Promise<{ close(): Promise<void> }>;

/** Options for {@linkcode runDaemon}. */
export interface DaemonOptions {
  /** Seconds between rotations; overrides `[daemon] interval` (also after reload). */
  interval?: number;
  /** Reads the config again (SIGHUP, `--send reload`). */
  reloadConfig: () => Promise<Config>;
  /**
   * Told when the config read by the last `reloadConfig` is in use (its templates made too); a
   * config that failed is never adopted, so hand-offs keep declining while the file is not the
   * one in use.
   */
  configAdopted?: () => void;
  /**
   * The fingerprint (`configStamp`) of the config file in use, for `status` to tell an
   * edit not reloaded yet. @default none reported
   */
  configStamp?: () => string;
  /** Writes one line to the log (stderr). */
  log: (line: string) => void;
  /** Log only errors. @default false */
  quiet?: boolean;
  /** Milliseconds a rotation waits for a manual `next`. @default 60000 */
  lockTimeoutMs?: number;
  /**
   * Subscribes to events; returns an unsubscribe function.
   * @default process signals as in {@linkcode DAEMON_SIGNALS}, plus the SIGUSR1 guard
   */
  subscribe?: (emit: (e: DaemonEvent) => void) => () => void;
  /**
   * Starts the control channel; null runs without one.
   * @default the FIFO in `$XDG_RUNTIME_DIR/varietal/control/`
   */
  channel?: ControlChannel | null;
  /** Waits `ms` or until `signal` aborts (tests pass a fake clock). @default setTimeout */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Overrides `[wallpaper] setter`. */
  setter?: SetterName;
  /**
   * Whether varietal changed on disk since the daemon started (updated, or its checkout
   * moved): said once in the log and in every `status`. @default `codeUpdated` of
   * src/pipeline/code_stamp.ts
   */
  codeChanged?: () => boolean;
  /** Rotate only the folders of this `[groups]` entry; overrides `[daemon] group` (also after reload). */
  group?: string;
  /** Called once the daemon holds its lock and listens (tests wait for it). */
  onReady?: () => void;
  /**
   * Checks that the graphical session the daemon started in still runs (./session_end.ts);
   * null does not watch. @default its Wayland or X socket, every 5 s
   */
  sessionWatch?: ((onEnd: (socket: string) => void) => SessionWatch) | null;
  /** Milliseconds between polls of the desktop's light/dark mode (`theme.mode = "system"`). @default 5000 */
  colorSchemePollMs?: number;
  /** Carries out `varietal next` for its sender; without it `run-next` is declined. */
  handOff?: HandOffNext;
  /** Carries out `varietal select` for its sender; without it `run-select` is declined. */
  handOffSelect?: HandOffSelect;
  /** Milliseconds before the first background rescan (`[daemon] rescan`). @default 30000 */
  rescanFirstDelayMs?: number;
}

/**
 * When the daemon's first wallpaper at start-up fails (the wallpaper daemon started by the same
 * login is not up yet), it is tried again after these pauses, then only at the next interval.
 */
export const STARTUP_RETRY_MS: readonly number[] = [2_000, 5_000, 10_000, 20_000, 30_000];

/** Time in the queue that never counts against a hand-off's `--wait` (an idle daemon's own). */
const QUEUE_GRACE_MS = 250;

/** How often a running hand-off checks that its sender still waits. */
const SENDER_CHECK_MS = 100;

/** The answer to a hand-off that waited in the queue past its `--wait`: nothing was done. */
function busyPastWait(waitMs: number): ControlOutcome {
  return {
    ok: false,
    exit: 75,
    message: `the varietal daemon stayed busy past --wait (${
      formatWait(waitMs)
    }); nothing was changed. Try again`,
  };
}

interface Job {
  event: QueuedEvent;
  waiters: ((o: ControlOutcome) => void)[];
  /** With `run-next`: what the sender asked. */
  next?: NextHandOff;
  /** With `run-next`: when it was queued (its `--wait` counts from there). */
  queuedAt?: number;
  /** With `run-next`: whether its sender still waits for the answer. */
  waited?: () => Promise<boolean>;
  /** With `run-next`: set when it begins; until then its `--wait` can run out in the queue. */
  begun?: boolean;
  /** With `run-next`: answered (busy past `--wait`) before it began, so never to begin. */
  expired?: boolean;
  /** With `run-next`: cancels the timer that answers it when its `--wait` runs out. */
  cancelExpiry?: () => void;
  /**
   * With `run-next`: its place in the pipeline lock's queue, taken when it came, so that
   * a `varietal prev` (or any change run by itself) pressed after it waits behind it.
   */
  place?: LockPlace;
}

/**
 * Runs until SIGTERM/SIGINT or a "stop" event.
 *
 * @throws {BusyError} When another daemon runs.
 */
export async function runDaemon(deps: PipelineDeps, options: DaemonOptions): Promise<void> {
  const { log, quiet = false } = options;
  const info = (s: string) => quiet || log(s);
  const clock = () => (deps.now ?? Date.now)();
  const wait = options.sleep ?? sleep;
  using daemonLock = await takeDaemonLock(deps.paths.runtime);
  const startedAt = clock();
  const codeChanged = options.codeChanged ?? codeUpdated;
  let outdatedSaid = false;
  const stateFile = daemonStateFile(deps.paths.state);
  const saved = await readDaemonState(stateFile);
  let paused = saved.paused;
  let pausedAt = saved.pausedAt;
  let resumedAt = 0;
  let lastRotation = 0;
  /**
   * Until a first wallpaper is set, a failed restore or rotation is tried again soon
   * ({@linkcode STARTUP_RETRY_MS}): at login the setter's daemon may start after this one.
   */
  let startup: { retry: "restore" | "next" | null; at: number; tries: number } | null = {
    retry: null,
    at: 0,
    tries: 0,
  };
  const startupFailed = (what: "restore" | "next") => {
    if (!startup) return;
    const pause = STARTUP_RETRY_MS[startup.tries];
    // An interval as short as the pause: the timer's own rotation comes as soon (no second
    // schedule, and no "trying again" lines between the rotations).
    if (what === "next" && pause !== undefined && intervalMs() <= pause) return;
    // Paused, no rotation is tried again; a restore is (the screen would stay bare).
    if (pause === undefined || (paused && what === "next")) {
      if (pause === undefined) info("start-up: no more tries; the next change is at the interval");
      startup = null;
      return;
    }
    startup = { retry: what, at: clock() + pause, tries: startup.tries + 1 };
    info(`start-up: trying again in ${formatSeconds(pause / 1000)}`);
  };
  const startupDone = () => {
    startup = null;
  };
  let busy: string | null = null;
  let accepting = true;
  const queue: Job[] = [];
  let wakeUp: AbortController | undefined;
  const wake = () => wakeUp?.abort();
  const intervalMs = () => (options.interval ?? deps.config.daemon.interval) * 1000;

  /** A place in the pipeline lock's queue for a request that just came, if one can be had. */
  const placeFor = (what: string): LockPlace | undefined => {
    try {
      return takePlace(pipelineLockFile(deps.paths));
    } catch (e) {
      // Without a place it still runs, in the order the lock gives it.
      log(`${what} keeps no place in the lock's queue: ${(e as Error).message}`);
      return undefined;
    }
  };
  const enqueue = (
    event: QueuedEvent,
    waiter?: (o: ControlOutcome) => void,
    next?: NextHandOff,
    waited?: () => Promise<boolean>,
  ) => {
    // Each `varietal next` is a change of its own, as when it runs by itself;
    // other requests for the same thing share one run.
    let job = next ? undefined : queue.find((j) => j.event === event);
    if (next) {
      const j: Job = { event, waiters: [], next, queuedAt: clock(), ...(waited ? { waited } : {}) };
      j.place = placeFor("'varietal next'");
      // A sender is answered when its --wait runs out before the daemon gets to it (a long
      // rotation or another `next` in the way), not when the daemon is free again.
      const waitMs = next.wait_ms ?? DEFAULT_LOCK_WAIT_MS;
      const timer = setTimeout(() => {
        if (j.begun) return;
        j.expired = true;
        const i = queue.indexOf(j);
        if (i >= 0) queue.splice(i, 1);
        settle(j, busyPastWait(waitMs));
      }, timerMs(waitMs + QUEUE_GRACE_MS));
      j.cancelExpiry = () => clearTimeout(timer);
      queue.push(job = j);
    } else if (!job) {
      job = { event, waiters: [] };
      // A key binding's `--send next` or `--send theme` holds its place as a `varietal next`
      // does (the daemon's lock takings stand at its oldest place); a timer's needs none.
      if (waiter && (event === "next" || event === "theme")) job.place = placeFor(event);
      if (event === "stop") queue.unshift(job);
      else queue.push(job);
    }
    if (waiter) job.waiters.push(waiter);
    wake();
  };

  /**
   * Whether every wallpaper on screen fits a lightness (one without a palette does).
   * A database that cannot be read says yes: nothing is changed, and the log says why.
   */
  const screenFits = async (wanted: WantedLightness | undefined): Promise<boolean> => {
    if (wanted === undefined) return true;
    try {
      const shown = currentShow(deps.db, await readBrowseState(browseFile(deps.paths.state)));
      return shown.every((r) =>
        fitsLightness(wanted, getPalette(deps.db, r.image_id)?.avg_lightness)
      );
    } catch (e) {
      log(`cannot tell whether the wallpaper is ${wanted}: ${(e as Error).message}`);
      return true;
    }
  };
  /** The next switch of the time rules' lightness, while they choose it (else null). */
  let lightSwitchAt: number | null = null;
  const planLightSwitch = () => {
    const c = deps.config;
    lightSwitchAt = followsSystem(c) ? null : nextLightnessSwitch(c.selection.time_rules, clock());
  };
  planLightSwitch();

  let future: { at: number; seen: number } | undefined;
  /** When the timer changes the wallpaper next; null while paused. */
  const nextChangeAt = async (): Promise<number | null> => {
    if (paused) return null;
    const changed = (await readBrowseState(browseFile(deps.paths.state))).changedAt;
    let last = Math.max(lastRotation, changed, resumedAt);
    // A last change (or resume) dated in the future was made while the clock was fast, or
    // the clock has been set back since: taken as made when first seen, so that the timer
    // waits one interval, not until the clock catches up.
    if (last > clock()) {
      if (future?.at !== last) future = { at: last, seen: clock() };
      last = future.seen;
    }
    return last + intervalMs();
  };

  const status = async (): Promise<DaemonStatus> => {
    const due = await nextChangeAt();
    // A change under way restarts the interval when it ends (its setter, a new image's
    // palette): the next one is at least an interval from now.
    const changing = busy === "next"; // a timer rotation, --send next or a next handed over
    return {
      pid: Deno.pid,
      paused,
      paused_at: pausedAt,
      interval: intervalMs() / 1000,
      next_change_at: due !== null && changing ? Math.max(due, clock() + intervalMs()) : due,
      started_at: startedAt,
      busy,
      ...(codeChanged() ? { outdated: true as const } : {}),
      ...(options.configStamp ? { config_stamp: options.configStamp() } : {}),
    };
  };

  const setPaused = async (event: "pause" | "resume" | "toggle"): Promise<ControlOutcome> => {
    const want = event === "toggle" ? !paused : event === "pause";
    if (want === paused) {
      return {
        ok: true,
        message: paused ? "already paused" : "not paused",
        status: await status(),
      };
    }
    paused = want;
    pausedAt = want ? clock() : null;
    if (!want) resumedAt = clock();
    wake();
    let unsaved = "";
    try {
      await writeDaemonState(stateFile, { paused, pausedAt });
    } catch (e) {
      log(`could not save the paused state to ${stateFile}: ${(e as Error).message}`);
      // Said to the sender too: a restart would forget it.
      unsaved = ` (not saved: a restart of the daemon ${
        want ? "resumes" : "stays paused"
      }; ${stateFile}: ${(e as Error).message})`;
    }
    const message =
      (want
        ? "paused: no timer changes until 'varietal daemon --send resume'"
        : `resumed: next change in ${formatSeconds(intervalMs() / 1000)}`) + unsaved;
    info(message);
    return { ok: true, message, status: await status() };
  };

  // A stop finishes the change under way; a second one (Ctrl-C again, `--send stop` again)
  // cancels it as Ctrl-C cancels `varietal next`: the setter is stopped, nothing recorded.
  const hurry = new AbortController();
  deps.signal ??= hurry.signal;
  let stopsAsked = 0;
  const control: ControlHandler = async (command, next, select, waited) => {
    if (command === "stop" && ++stopsAsked === 2 && busy !== null) {
      log(`stop asked again: cancelling the ${busy} under way`);
      hurry.abort(
        new DOMException("Interrupted: the daemon was asked to stop twice", "AbortError"),
      );
    }
    switch (command) {
      case "run-select": {
        if (!accepting || !options.handOffSelect || !select) {
          return { ok: false, declined: true, message: "the daemon does not take this select" };
        }
        const outcome = await options.handOffSelect(select);
        if (outcome.output) info(`${outcome.message} (for 'varietal select')`);
        return outcome;
      }
      case "run-next":
        if (!accepting || !options.handOff || !next) {
          return { ok: false, declined: true, message: "the daemon does not take this next" };
        }
        return await new Promise<ControlOutcome>((resolve) =>
          enqueue(command, resolve, next, waited)
        );
      case "status":
        return { ok: true, message: paused ? "paused" : "running", status: await status() };
      case "pause":
      case "resume":
      case "toggle":
        return await setPaused(command);
      default:
        if (!accepting) return { ok: false, message: "the daemon is stopping" };
        return await new Promise<ControlOutcome>((resolve) => enqueue(command, resolve));
    }
  };

  const unsubscribe = (options.subscribe ?? processSignals(log))((e) => void control(e));
  // --- colour-scheme hook (theme.mode = "system"): re-theme when the desktop flips light/dark.
  // The watcher lives in src/desktop/color_scheme_watch.ts; it queues a "theme" event, or
  // with [selection] follow_system a "next" when the wallpaper has the other lightness.
  const schemeWatch = watchForDaemon(() => deps, (scheme) => {
    info(`desktop switched to ${scheme} mode`);
    void (async () => {
      if (!paused && followsSystem(deps.config) && !(await screenFits(scheme))) {
        info(`a ${scheme} wallpaper for the ${scheme} desktop`);
        return await control("next");
      }
      return await control("theme");
    })();
  }, options.colorSchemePollMs);
  // --- end of colour-scheme hook
  // The session ending (a logout that leaves user processes running): stop, so the next
  // login's daemon is not refused by one failing against a compositor that is gone.
  const sessionWatch =
    (options.sessionWatch === undefined
      ? (onEnd: (socket: string) => void) => watchSession(sessionSocket(deps.env), onEnd)
      : options.sessionWatch ?? (() => ({ stop: () => {} })))((socket) => {
        log(`the graphical session ended (${socket} is gone); stopping`);
        void control("stop");
      });
  const mutex = new AsyncMutex();
  let theme: ThemeApplier | null = null;
  // Nobody waits for a rotation's debounced theme: its problems go to the log.
  const makeTheme = async (config: Config) =>
    config.theme.enabled
      ? await deps.services.theme(config, deps.paths, {
        onDebounced: (r) => logThemeProblems(r, info, log),
        debounceGuard: debounceGuard(deps, info),
      })
      : null;
  let channel: { close(): Promise<void> } | null = null;
  let reopenChannel = async () => {};
  let topUp: TopUp | undefined; // remote sources (see below)
  let rescan: Rescan | undefined; // your folders (see below)
  try {
    theme = await makeTheme(deps.config);
    const startChannel = options.channel === undefined
      ? (h: ControlHandler) => startControlServer(deps.paths.runtime, h, { log, now: clock })
      : options.channel;
    if (startChannel) {
      try {
        channel = await startChannel(control);
      } catch (e) {
        log(
          `control channel unavailable, 'varietal daemon --send' will not work: ${
            (e as Error).message
          }`,
        );
      }
    }
    // A reload (SIGHUP) makes the channel again when its FIFO is gone (a cleaned-up runtime
    // folder): else --send and every handed-over `next` would fail until a restart.
    reopenChannel = async () => {
      if (!startChannel || options.channel !== undefined) return;
      if (controlFifoExists(deps.paths.runtime)) return;
      await channel?.close().catch(() => {});
      channel = null;
      try {
        channel = await startChannel(control);
        info("control channel made again (its FIFO was gone)");
      } catch (e) {
        log(`control channel unavailable: ${(e as Error).message}`);
      }
    };
    info(
      `daemon started: pid ${Deno.pid}, every ${formatSeconds(intervalMs() / 1000)}` +
        (paused ? ", paused (varietal daemon --send resume)" : ""),
    );
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
    // --- Your folders: scanned again every [daemon] rescan (src/pipeline/background_scan.ts).
    rescan = startRescan({
      db: deps.db,
      config: () => deps.config,
      home: deps.paths.home,
      log,
      info,
      firstDelayMs: options.rescanFirstDelayMs,
    });
    const run = () => daemonRun(deps, theme, options);
    const handlers: Record<Exclude<QueuedEvent, "stop">, (job: Job) => Promise<ControlOutcome>> = {
      next: async (job) => {
        lastRotation = clock();
        const outcome = await mutex.run(async () => {
          const r = await rotate(run(), info, log);
          // `--send next` is answered once done, theme included; a timer rotation, which
          // nobody waits for, leaves it to the debounce.
          if (job.waiters.length > 0 && theme) {
            await theme.flush().catch((e) => log(`theme: ${(e as Error).message}`));
          }
          return r;
        });
        lastRotation = clock();
        if (!outcome.ok && job.waiters.length === 0) startupFailed("next");
        return outcome;
      },
      theme: () => mutex.run(() => reapplyTheme(deps, theme, info, log)),
      "run-next": (job) =>
        mutex.run(async () => {
          if (job.expired) return busyPastWait(job.next!.wait_ms ?? DEFAULT_LOCK_WAIT_MS);
          job.begun = true;
          job.cancelExpiry?.();
          // A sender that gave up (it found the daemon stopped, Ctrl-Z, and ran `next` by
          // itself) must not have its change made once more when the daemon is resumed.
          if (job.waited && !(await job.waited())) {
            log("'varietal next' skipped: its sender gave up waiting");
            return { ok: false, declined: true, message: "the sender gave up" };
          }
          // The sender's --wait (else the lock's 60 s) covers its time in the queue too: past
          // it, it is answered as a busy lock is, with nothing done (exit 75).
          const waitMs = job.next!.wait_ms ?? DEFAULT_LOCK_WAIT_MS;
          const queued = clock() - (job.queuedAt ?? clock());
          if (queued > waitMs + QUEUE_GRACE_MS) return busyPastWait(waitMs);
          // What is left of --wait for the lock (all of it after an ordinary moment in the
          // queue, so that a busy lock reads as it does by itself).
          const left = queued > QUEUE_GRACE_MS ? Math.max(0, waitMs - queued) : waitMs;
          // A sender interrupted meanwhile (Ctrl-C, SIGTERM, killed) stops the run: the setter
          // is stopped and nothing recorded, as for `next` by itself.
          const gone = new AbortController();
          const watch = job.waited && setInterval(async () => {
            if (!gone.signal.aborted && !(await job.waited!().catch(() => true))) {
              gone.abort(
                new DOMException("its sender was interrupted (Ctrl-C or killed)", "AbortError"),
              );
            }
          }, SENDER_CHECK_MS);
          let outcome: ControlOutcome;
          try {
            outcome = await options.handOff!(
              job.next!.wait_ms === undefined && left === waitMs
                ? job.next!
                : { ...job.next!, wait_ms: left },
              theme,
              gone.signal,
              job.place,
            );
          } finally {
            if (watch) clearInterval(watch);
          }
          if (gone.signal.aborted && !outcome.show) {
            // (After the setter, what was kept: "the wallpaper was set and recorded, …".)
            log(`'varietal next' stopped: ${outcome.message || gone.signal.reason.message}`);
            return outcome;
          }
          if (outcome.show) info(`${outcome.message}, for 'varietal next'`);
          else if (!outcome.declined) log(`'varietal next' failed: ${outcome.message}`);
          return outcome;
        }),
      reload: async () => {
        await reopenChannel();
        try {
          // Both or neither: a config whose templates are broken leaves the old config and
          // its theme in use (the old theme is closed only once the new one is made).
          const config = await options.reloadConfig();
          // Started with --group NAME: a config without that group would fail every change.
          if (options.group !== undefined && !Object.hasOwn(config.groups, options.group)) {
            throw new Error(
              `it has no group '${options.group}' in [groups], which this daemon draws from ` +
                "(--group); put it back, or restart the daemon with another group",
            );
          }
          const fresh = await makeTheme(config);
          const old = theme;
          deps.config = config;
          options.configAdopted?.();
          planLightSwitch();
          theme = fresh;
          // A change's debounced theme still pending is rendered first (with the config it
          // was shown under): closing drops it, and nothing would render it again.
          if (old) {
            await old.flush().catch((e) => log(`theme: ${(e as Error).message}`));
            await old.close();
          }
          const message = `config reloaded: every ${formatSeconds(intervalMs() / 1000)}`;
          info(message);
          return { ok: true, message };
        } catch (e) {
          const message = `config not reloaded (keeping the old one): ${(e as Error).message}`;
          log(message);
          return { ok: false, message };
        }
      },
    };
    // The next rotation is due one interval after the last change by anyone (at start-up
    // too: a wallpaper older than the interval is replaced at once). `lastRotation` keeps a
    // failing rotation from being retried before the next interval.
    // After login the setter's state is gone: show the current wallpaper again when it is
    // not due for a change anyway (or the daemon is paused).
    const changedAt = (await readBrowseState(browseFile(deps.paths.state))).changedAt;
    if (paused || changedAt + intervalMs() > clock()) {
      const restored = await mutex.run(() => restore(run(), info, log));
      // Nothing could be set again (its file gone): a new one now, not a bare screen all
      // interval; paused, the user is told how to get one.
      if (restored === "gone" && !paused) enqueue("next");
      if (restored === "gone" && paused) {
        info("paused: no wallpaper set ('varietal daemon --send resume' or 'varietal next')");
      }
      if (restored === "failed") startupFailed("restore");
      else if (restored !== "gone") startupDone();
    }
    let lastPrune = 0;
    while (true) {
      await keepDaemonLock(daemonLock, reopenChannel, info, log);
      if (!outdatedSaid && codeChanged()) {
        outdatedSaid = true;
        log(`warning: ${outdatedDaemonWarning(Deno.pid)}`);
      }
      lastPrune = await prune(deps, lastPrune, clock(), info, log);
      let job = queue.shift();
      if (!job && lightSwitchAt !== null && clock() >= lightSwitchAt) {
        // A time rule now asks for the other lightness: a wallpaper that does not fit it
        // is changed at once (a rotation, as the timer's), not at the end of the interval.
        planLightSwitch();
        const wanted = lightnessAt(deps.config.selection.time_rules, clock());
        if (!paused && !(await screenFits(wanted))) {
          info(`time rule: ${wanted} wallpapers from now`);
          job = { event: "next", waiters: [] };
        }
      }
      if (!job && startup?.retry && clock() >= startup.at) {
        const again = startup.retry;
        startup.retry = null;
        if (again === "next") job = { event: "next", waiters: [] };
        else {
          const restored = await mutex.run(() => restore(run(), info, log));
          if (restored === "failed") startupFailed("restore");
          else {
            startupDone();
            if (restored === "gone" && !paused) enqueue("next");
          }
          continue;
        }
      }
      if (!job) {
        const due = await nextChangeAt();
        const now = clock();
        if (queue.length === 0 && (due === null || now < due)) {
          const ctl = wakeUp = new AbortController();
          // By the wall clock while a change is to come: a suspend stops the timers. Paused,
          // a minute too: daily chores run, and the daemon's lock is checked (see below).
          let ms = due === null ? CLOCK_CHECK_MS : Math.min(due - now, CLOCK_CHECK_MS);
          if (lightSwitchAt !== null) ms = Math.min(ms, lightSwitchAt - now);
          if (startup?.retry) ms = Math.max(0, Math.min(ms, startup.at - now));
          await wait(ms, ctl.signal);
          wakeUp = undefined;
          continue;
        }
        job = queue.shift() ?? { event: "next", waiters: [] };
      }
      if (job.event === "stop") {
        accepting = false;
        settle(job, { ok: true, message: "daemon stopping" });
        break;
      }
      // A database moved away or replaced (a backup restored) while running: this handle
      // would go on writing to the old file. The job goes back (a waiting `next` then runs
      // by itself, on the new file) and the daemon stops, to be started again.
      if (deps.db.replaced()) {
        queue.unshift(job);
        throw new Error(
          `the database ${deps.paths.database} was moved or replaced while the daemon ran ` +
            "(a backup restored?); start the daemon again to use it",
        );
      }
      busy = job.event === "run-next" ? "next" : job.event;
      let outcome: ControlOutcome;
      try {
        outcome = await handlers[job.event](job);
      } catch (e) {
        // Only a damaged database comes this far (each job says its own failures): the sender
        // hears it, and the daemon stops on it.
        const damage = isCorruption(e) && !(e instanceof DamagedDatabaseError)
          ? new DamagedDatabaseError(deps.paths.database, (e as Error).message, { cause: e })
          : e;
        settle(job, { ok: false, message: (damage as Error).message, exit: 1 });
        throw damage;
      }
      busy = null;
      if (outcome.ok && (job.event === "next" || job.event === "run-next")) startupDone();
      settle(job, outcome);
    }
    info("daemon stopping");
  } finally {
    accepting = false;
    for (const job of queue.splice(0)) {
      // A `varietal next` not begun is declined: its sender runs it itself.
      settle(job, {
        ok: false,
        message: "the daemon stopped before doing this",
        ...(job.event === "run-next" ? { declined: true } : {}),
      });
    }
    await channel?.close();
    await topUp?.stop(); // remote sources
    await rescan?.stop(); // your folders
    unsubscribe();
    schemeWatch.stop(); // colour-scheme hook
    sessionWatch.stop();
    const t = theme as ThemeApplier | null;
    if (t) {
      await t.flush().catch((e) => log(`theme: ${(e as Error).message}`));
      await t.close();
    }
  }
}

function settle(job: Job, outcome: ControlOutcome): void {
  job.cancelExpiry?.();
  job.place?.[Symbol.dispose](); // used up by its run, or never to be
  for (const w of job.waiters) w(outcome);
}

/**
 * Checks that the daemon's lock file is still there (a cleaned-up runtime folder) and
 * takes it again when it is not, making the control channel again with it, so that
 * `status` and `--send` find this daemon and no second one starts.
 *
 * @throws {Error} When another daemon took the lock meanwhile: this one stops.
 */
async function keepDaemonLock(
  lock: DaemonLock,
  reopenChannel: () => Promise<void>,
  info: (line: string) => void,
  log: (line: string) => void,
): Promise<void> {
  let found: DaemonLockCheck;
  try {
    found = await lock.check();
  } catch (e) {
    if (e instanceof BusyError) {
      const pid = /\bpid (\d+)/.exec(e.holder ?? "")?.[1];
      throw new Error(
        `its runtime folder was removed and another varietal daemon${
          pid ? ` (pid ${pid})` : ""
        } started in it, which goes on; this one stops`,
      );
    }
    log(`cannot take the daemon's lock again: ${(e as Error).message}`);
    return;
  }
  if (found === "held") return;
  info("daemon lock made again (its file was gone: a cleaned-up runtime folder?)");
  await reopenChannel();
}

/** Subscribes to {@linkcode DAEMON_SIGNALS} and guards against SIGUSR1. */
function processSignals(log: (line: string) => void) {
  return (emit: (e: DaemonEvent) => void): () => void => {
    const installed: [Deno.Signal, () => void][] = [];
    for (
      const [event, signals] of Object.entries(DAEMON_SIGNALS) as [DaemonEvent, Deno.Signal[]][]
    ) {
      for (const sig of signals) {
        const h = () => emit(event);
        Deno.addSignalListener(sig, h);
        installed.push([sig, h]);
      }
    }
    // varietal 0.1.0 re-applied the theme on SIGUSR2; an old binding's signal would end
    // the daemon without a word (Deno's default), leaving its FIFO and lock behind.
    const usr2 = () =>
      log(
        "warning: SIGUSR2 received and ignored; it no longer re-applies the theme: " +
          "use 'varietal daemon --send theme'",
      );
    Deno.addSignalListener("SIGUSR2", usr2);
    installed.push(["SIGUSR2", usr2]);
    const unguard = guardInspector(log);
    return () => {
      for (const [sig, h] of installed) Deno.removeSignalListener(sig, h);
      unguard();
    };
  };
}

function formatSeconds(s: number): string {
  return s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}
