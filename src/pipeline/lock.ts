/**
 * A cross-process lock: a lock file taken with `Deno.FsFile.tryLock(true)`,
 * polled until a timeout. The lock dies with its process (the kernel drops
 * it), so a crash never leaves a stale lock behind.
 *
 * Waiters are served in the order they came (rapid key presses change the
 * wallpaper in press order, the last press last): a process that finds the
 * lock taken puts a ticket into `FILE.queue/` (0700) — a file named by its
 * arrival time, which it holds locked while it waits — and tries the lock
 * only once no older ticket is held. A ticket nobody holds any more (its
 * waiter died or gave up) is removed by whoever meets it. A newcomer that
 * finds tickets waiting queues behind them even when the lock is free.
 *
 * Requires `--allow-read` and `--allow-write` for the lock file's folder.
 *
 * @module
 */
import type { Paths } from "../config/paths.ts";
import { privateFolderSync } from "../private_folder.ts";
import { timerMs } from "../timeout.ts";

/** The folder of a lock file, made private before the file is opened. */
const folderOf = (file: string): string => file.replace(/\/[^/]*$/, "") || "/";

/** The cross-process lock file held around every change of wallpaper. */
export function pipelineLockFile(paths: Pick<Paths, "runtime">): string {
  return `${paths.runtime}/next.lock`;
}

/** Another process holds the lock and did not release it in time. */
export class BusyError extends Error {
  /** The lock file. */
  readonly file: string;
  /** What the holder wrote into the lock file ("pid purpose"), if readable. */
  readonly holder: string;
  /** Exit code for the CLI: 75 (EX_TEMPFAIL). */
  readonly exitCode = 75;
  /**
   * @param file The lock file.
   * @param holder The holder's note.
   * @param message What happened.
   */
  constructor(file: string, holder: string, message: string) {
    super(message);
    this.name = "BusyError";
    this.file = file;
    this.holder = holder;
  }
}

/** A held lock; release it (or let `using` do it). */
export interface FileLock extends Disposable {
  readonly file: string;
  /** Releases the lock; later calls do nothing. */
  release(): void;
}

/** How long {@linkcode acquireLock} waits by default (`next --wait`'s default too). */
export const DEFAULT_LOCK_WAIT_MS = 60_000;

/** Options for {@linkcode acquireLock}. */
export interface LockOptions {
  /** Milliseconds to wait for the holder; 0 tries once. @default 60000 */
  timeoutMs?: number;
  /** Milliseconds between attempts (jittered ±50 %). @default 25 */
  pollMs?: number;
  /** Written into the lock file after taking it, for "busy" messages. @default "varietal" */
  purpose?: string;
  /** Stops waiting when aborted. */
  signal?: AbortSignal;
  /** Called once when the lock is held by another (with its note, e.g. "pid 12 fetch"). */
  onWait?: (holder: string | null) => void;
  /**
   * A place in the queue taken earlier ({@linkcode takePlace}): the lock is
   * taken in its turn, not in that of this call. It is used up either way.
   */
  place?: LockPlace;
}

/**
 * A place in a lock's queue, taken when a request arrives and used when it is
 * carried out: the daemon takes one for each `varietal next` handed to it, so
 * that a press that runs by itself later waits behind it, as it would behind
 * that `next` run by itself. Give it to {@linkcode acquireLock}, or dispose of it.
 */
export interface LockPlace extends Disposable {
  /** The lock file it is a place for. */
  readonly file: string;
}

interface PlaceState {
  ticket: Ticket;
  used: boolean;
}

const PLACES = new WeakMap<LockPlace, PlaceState>();
/** The places this process holds and has not used, by lock file. */
const HELD_PLACES = new Map<string, Set<PlaceState>>();

/**
 * This process's oldest unused place in `file`'s queue: where any lock it takes
 * stands. Its own later requests wait in its own queue (the daemon's), never
 * behind a press that came after its first, which waits behind it.
 */
function oldestPlace(file: string): Ticket | null {
  let oldest: Ticket | null = null;
  for (const p of HELD_PLACES.get(file) ?? []) {
    if (!oldest || p.ticket.name < oldest.name) oldest = p.ticket;
  }
  return oldest;
}

function forgetPlace(file: string, state: PlaceState): void {
  state.used = true;
  const set = HELD_PLACES.get(file);
  set?.delete(state);
  if (set?.size === 0) HELD_PLACES.delete(file);
}

/**
 * Takes a place in the queue of `file`'s lock now, without waiting.
 *
 * @param file The lock file.
 * @returns The place; hand it to {@linkcode acquireLock} as `place`.
 */
export function takePlace(file: string): LockPlace {
  privateFolderSync(folderOf(file));
  const ticket = takeTicket(`${file}.queue`);
  const state: PlaceState = { ticket, used: false };
  const place: LockPlace = {
    file,
    [Symbol.dispose]: () => {
      if (state.used) return;
      forgetPlace(file, state);
      dropTicket(ticket);
    },
  };
  PLACES.set(place, state);
  let set = HELD_PLACES.get(file);
  if (!set) HELD_PLACES.set(file, set = new Set());
  set.add(state);
  return place;
}

/**
 * Opens (or creates) a lock file that is a plain file of this folder: never
 * through a symlink (its note would overwrite the file the link names), and
 * refused when what was opened is not what is there.
 */
function openLockFile(file: string): Deno.FsFile {
  const before = lstatOrNull(file);
  if (before?.isSymlink) {
    throw new Deno.errors.PermissionDenied(
      `${file} is a symbolic link, not varietal's lock file; delete it`,
    );
  }
  const f = Deno.openSync(file, { read: true, write: true, create: true, mode: 0o600 });
  const opened = f.statSync();
  const now = lstatOrNull(file);
  if (!now || now.isSymlink || now.ino !== opened.ino || now.dev !== opened.dev) {
    f.close();
    throw new Deno.errors.PermissionDenied(
      `${file} was replaced while it was opened; not varietal's lock file`,
    );
  }
  return f;
}

function lstatOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/**
 * Takes an exclusive lock on a file, creating it and its folder.
 *
 * @param file The lock file.
 * @param options See {@linkcode LockOptions}.
 * @returns The held lock.
 * @throws {BusyError} When another process still holds it after `timeoutMs`.
 *
 * @example Hold a lock around work
 * ```ts ignore
 * using _lock = await acquireLock(`${paths.runtime}/next.lock`, { timeoutMs: 5000 });
 * ```
 */
export async function acquireLock(file: string, options: LockOptions = {}): Promise<FileLock> {
  const { timeoutMs = DEFAULT_LOCK_WAIT_MS, pollMs = 25, purpose = "varietal", signal } = options;
  // Blocking calls (cheaper than trips through Deno's thread pool); only the
  // wait for another holder yields.
  privateFolderSync(folderOf(file));
  const f = openLockFile(file);
  const queue = `${file}.queue`;
  const deadline = Date.now() + timeoutMs;
  let ticket: Ticket | null = null;
  const reserved = options.place && PLACES.get(options.place);
  if (reserved && !reserved.used && options.place!.file === file) {
    forgetPlace(file, reserved); // ours now: dropped below once the lock is held or given up
    ticket = reserved.ticket;
  } else options.place?.[Symbol.dispose]();
  // Where this call stands: its own ticket, else the oldest place this process holds.
  const position = () => ticket ?? oldestPlace(file);
  try {
    // Free when no older ticket waits (with no place of our own: no ticket at all) and the
    // lock is not held. The usual case, nobody waiting, takes no ticket.
    while (waiting(queue, position()) || !f.tryLockSync(true)) {
      signal?.throwIfAborted();
      if (!position() && options.onWait && Date.now() < deadline) {
        options.onWait(await readHolder(file));
      }
      if (!position()) ticket = takeTicket(queue);
      if (Date.now() >= deadline) {
        const holder = await readHolder(file);
        const who = holder ? ` (${holder})` : "";
        throw new BusyError(
          file,
          holder,
          `another varietal is busy${who}; waited ${formatWait(timeoutMs)} for ${file}. Try again`,
        );
      }
      await delay(pollMs * (0.5 + Math.random()), signal);
    }
  } catch (e) {
    f.close();
    throw e;
  } finally {
    if (ticket) dropTicket(ticket);
  }
  try {
    f.truncateSync(0);
    f.writeSync(new TextEncoder().encode(`pid ${Deno.pid} ${purpose}\n`));
  } catch { /* the note is only informative */ }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    try {
      f.unlockSync();
    } catch { /* closing unlocks too */ }
    f.close();
  };
  return { file, release, [Symbol.dispose]: release };
}

/** A waiter's place in the queue: its file, held locked while it waits. */
interface Ticket {
  name: string;
  path: string;
  file: Deno.FsFile;
}

let tickets = 0;

/** Queues this process: a ticket named by arrival time (then pid), locked by us. */
function takeTicket(queue: string): Ticket {
  Deno.mkdirSync(queue, { recursive: true, mode: 0o700 });
  const name = `${String(Date.now()).padStart(15, "0")}-${Deno.pid}-${++tickets}`;
  const path = `${queue}/${name}`;
  const file = Deno.openSync(path, { write: true, createNew: true, mode: 0o600 });
  file.lockSync(true); // new and ours: never waits
  return { name, path, file };
}

function dropTicket(t: Ticket): void {
  try {
    Deno.removeSync(t.path);
  } catch { /* removed already */ }
  t.file.close();
}

/** Whether a live ticket older than `mine` (any, when null) waits in `queue`; dead ones go. */
function waiting(queue: string, mine: Ticket | null): boolean {
  let names: string[];
  try {
    names = [...Deno.readDirSync(queue)].map((e) => e.name);
  } catch {
    return false; // no queue: nobody ever waited
  }
  // Newest first: the one just before ours is the likeliest to be alive.
  names.sort().reverse();
  for (const name of names) {
    if (mine && name >= mine.name) continue;
    if (held(`${queue}/${name}`)) return true;
  }
  return false;
}

/**
 * Whether a ticket's waiter still holds it; one nobody holds is removed
 * (its waiter died, or took the lock and is about to remove it).
 */
function held(path: string): boolean {
  let f: Deno.FsFile;
  try {
    f = Deno.openSync(path, { read: true, write: true });
  } catch {
    return false; // gone meanwhile
  }
  try {
    if (!f.tryLockSync(true)) return true;
    try {
      Deno.removeSync(path);
    } catch { /* removed meanwhile */ }
    return false;
  } finally {
    f.close();
  }
}

async function readHolder(file: string): Promise<string> {
  try {
    return (await Deno.readTextFile(file)).trim();
  } catch {
    return "";
  }
}

/** A wait as the busy messages say it: "500ms", "1.5s". */
export function formatWait(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Math.round(ms / 100) / 10}s`;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, timerMs(ms));
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
