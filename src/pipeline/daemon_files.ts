/**
 * Where the daemon keeps its files, and its state that outlives it (paused
 * or not). Light on imports: `varietal status` and `daemon --send` load
 * this without the pipeline.
 *
 * - `$XDG_RUNTIME_DIR/varietal/daemon.lock`: the single-instance lock ("pid N daemon").
 * - `$XDG_RUNTIME_DIR/varietal/control/` (0700): the control FIFO `daemon.fifo` (0600)
 *   and the senders' reply FIFOs.
 * - `$XDG_STATE_HOME/varietal/daemon.json` (0600): `{"paused":true,"pausedAt":MS}`.
 *
 * @module
 */

/** The single-instance lock file. */
export function daemonLockFile(runtimeDir: string): string {
  return `${runtimeDir}/daemon.lock`;
}

/** The private folder of the control channel. */
export function controlDir(runtimeDir: string): string {
  return `${runtimeDir}/control`;
}

/** The daemon's control FIFO. */
export function controlFifo(runtimeDir: string): string {
  return `${controlDir(runtimeDir)}/daemon.fifo`;
}

/**
 * Whether the daemon's control FIFO is there (one blocking stat): without it
 * no daemon can be asked, and a sender need not load the control channel.
 */
export function controlFifoExists(runtimeDir: string): boolean {
  try {
    Deno.lstatSync(controlFifo(runtimeDir));
    return true;
  } catch {
    return false;
  }
}

/**
 * The pid of the running daemon, or null when none runs (nobody holds its
 * lock). 0 when one runs but its pid cannot be read.
 *
 * Requires `--allow-read` and `--allow-write` for the lock file.
 */
export function runningDaemonPid(runtimeDir: string): Promise<number | null> {
  // Blocking calls: a few system calls, on the path of every `varietal next`.
  return Promise.resolve(daemonPidSync(daemonLockFile(runtimeDir)));
}

function daemonPidSync(file: string): number | null {
  let f: Deno.FsFile;
  try {
    f = Deno.openSync(file, { read: true, write: true });
  } catch {
    return null;
  }
  try {
    if (f.tryLockSync(true)) {
      f.unlockSync();
      return null;
    }
  } finally {
    f.close();
  }
  try {
    const pid = Number(/pid (\d+)/.exec(Deno.readTextFileSync(file))?.[1]);
    return Number.isInteger(pid) && pid > 0 ? pid : 0;
  } catch {
    return 0;
  }
}

/** What the daemon remembers across restarts. */
export interface DaemonState {
  /** Timer rotations are paused. */
  paused: boolean;
  /** When they were paused (ms since the epoch), or null. */
  pausedAt: number | null;
}

/** The daemon's state file inside a state dir. */
export function daemonStateFile(stateDir: string): string {
  return `${stateDir}/daemon.json`;
}

/** Reads the daemon's state; a missing or damaged file reads as "not paused". */
export async function readDaemonState(file: string): Promise<DaemonState> {
  try {
    const raw = JSON.parse(await Deno.readTextFile(file)) as Partial<DaemonState>;
    const paused = raw.paused === true;
    return {
      paused,
      pausedAt: paused && typeof raw.pausedAt === "number" ? raw.pausedAt : null,
    };
  } catch {
    return { paused: false, pausedAt: null };
  }
}

/** Writes the daemon's state atomically, private to the user (0600). */
export async function writeDaemonState(file: string, state: DaemonState): Promise<void> {
  // Loaded when used (pause, resume): the senders that load this module never write it.
  const { writeAtomic } = await import(
    new URL("../atomic_write.ts", import.meta.url).href
  ) as typeof import("../atomic_write.ts");
  await writeAtomic(file, JSON.stringify(state) + "\n", { mode: 0o600 });
}
