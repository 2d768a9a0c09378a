/**
 * The daemon's lock: one daemon per user. The lock lives in the runtime
 * folder, which a cleaner (systemd-tmpfiles, a user's `rm -rf`) may remove
 * while the daemon runs; the daemon would then hold a lock on a file no
 * longer there, and a second daemon could start beside it. The held lock
 * checks now and then that its file is still the one at its path, and takes
 * the path's lock again when it is gone.
 *
 * @module
 */
import { acquireLock, BusyError, type FileLock } from "./lock.ts";
import { daemonLockFile } from "./daemon_files.ts";

/** How long a new daemon waits for the lock (a `status` probe may hold it for a moment). */
const LOCK_WAIT_MS = 500;

/** What {@linkcode DaemonLock.check} found. */
export type DaemonLockCheck = "held" | "taken again";

/** The daemon's held lock. */
export interface DaemonLock extends Disposable {
  /**
   * Whether the lock file is still the one held; when it was removed, the lock
   * at its path is taken again ("taken again": make the control channel again).
   *
   * @throws {BusyError} When another daemon holds the lock at the path now.
   */
  check(): Promise<DaemonLockCheck>;
}

/**
 * Takes the daemon's lock in `runtimeDir`.
 *
 * @throws {BusyError} When another daemon runs, saying how to stop it.
 */
export async function takeDaemonLock(runtimeDir: string): Promise<DaemonLock> {
  const file = daemonLockFile(runtimeDir);
  let lock = await take(file, LOCK_WAIT_MS);
  // The held file stays open, so its inode is not given to another file of its disk meanwhile;
  // the device tells a runtime folder made again on another disk.
  let held = identityOf(file);
  return {
    async check() {
      const now = identityOf(file);
      // (a system that gives no inode numbers: the file is taken to be there)
      if (held === undefined || now === held) return "held";
      const again = await take(file, LOCK_WAIT_MS);
      lock.release();
      lock = again;
      held = identityOf(file);
      return "taken again";
    },
    [Symbol.dispose]: () => lock.release(),
  };
}

async function take(file: string, timeoutMs: number): Promise<FileLock> {
  try {
    return await acquireLock(file, { timeoutMs, purpose: "daemon" });
  } catch (e) {
    if (e instanceof BusyError) {
      // The lock file holds "pid N daemon".
      const pid = /\bpid (\d+)/.exec(e.holder ?? "")?.[1];
      throw new BusyError(
        e.file,
        e.holder,
        `another varietal daemon is running${pid ? ` (pid ${pid})` : ""}; ` +
          `stop it first ('varietal daemon --send stop'${pid ? `, or 'kill ${pid}'` : ""})`,
      );
    }
    throw e;
  }
}

/** The device and inode of `file` ("dev:ino"), or undefined when it is gone (or unknown). */
function identityOf(file: string): string | undefined {
  try {
    const st = Deno.statSync(file);
    return st.ino === null ? undefined : `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}
