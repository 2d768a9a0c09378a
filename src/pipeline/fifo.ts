/**
 * Named pipes (FIFOs) in a private folder: the daemon's control channel
 * needs no network and no permission beyond files. Deno has no `mkfifo`, so
 * coreutils' `mkfifo` makes them (through the project's command helper).
 *
 * Linux semantics are relied on: opening a FIFO for reading *and* writing
 * never blocks, and the pipe's buffer lives as long as any end is open.
 *
 * Requires `--allow-read`, `--allow-write`, `--allow-run=mkfifo` and
 * `--allow-sys=uid`.
 *
 * @module
 */
import type { CommandRunner } from "../process/run_command.ts";

/**
 * Makes a FIFO (or several, with one `mkfifo`) that only its owner can read
 * and write (0600).
 *
 * @throws {Error} When `mkfifo` is missing or fails, or the result is not a private FIFO.
 */
export async function makeFifo(
  path: string | readonly string[],
  run?: CommandRunner,
): Promise<void> {
  const paths = typeof path === "string" ? [path] : path;
  if (paths.length === 0) return;
  // Loaded here, by a run-time specifier: a sender that claims a spare FIFO (the
  // usual case on a key press) never needs the subprocess helper.
  const { CommandError, runCommand } = await import(
    new URL("../process/run_command.ts", import.meta.url).href
  ) as typeof import("../process/run_command.ts");
  let r;
  try {
    r = await (run ?? runCommand)(["mkfifo", "-m", "600", "--", ...paths], {
      check: false,
      timeoutMs: 10_000,
    });
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    r = { code: e.exitCode, stderr: e.stderr };
  }
  if (r.code !== 0) {
    throw new Error(
      r.code === 127
        ? "cannot make a FIFO: the 'mkfifo' program (coreutils) was not found on PATH"
        : `cannot make the FIFO ${paths.join(", ")}: ${r.stderr || `mkfifo exited with ${r.code}`}`,
    );
  }
  for (const p of paths) {
    if (!(await isOwnFifo(p))) {
      throw new Error(`${p} is not a private FIFO after mkfifo; remove it and try again`);
    }
  }
}

/**
 * Whether a path is a FIFO (not a symlink to one) owned by this user and
 * closed to group and others.
 */
export function isOwnFifo(path: string): Promise<boolean> {
  return Promise.resolve(isOwnFifoSync(path));
}

/** {@linkcode isOwnFifo} as one blocking call (cheaper than a trip through Deno's thread pool). */
function isOwnFifoSync(path: string): boolean {
  let st: Deno.FileInfo;
  try {
    st = Deno.lstatSync(path);
  } catch {
    return false;
  }
  if (!st.isFifo) return false;
  if (st.mode !== null && (st.mode & 0o077) !== 0) return false;
  const uid = Deno.uid();
  return uid === null || st.uid === null || st.uid === uid;
}

/**
 * Opens a FIFO for reading and writing, which on Linux returns at once
 * whether or not another process has it open.
 */
export function openFifo(path: string): Promise<Deno.FsFile> {
  try {
    return Promise.resolve(Deno.openSync(path, { read: true, write: true }));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Writes all of `data` (one `write` for up to 4096 bytes, which is atomic on a pipe). */
export async function writeAll(f: Deno.FsFile, data: Uint8Array): Promise<void> {
  while (data.length > 0) data = data.subarray(await f.write(data));
}

/**
 * {@linkcode writeAll} with blocking writes, for at most 4096 bytes (PIPE_BUF)
 * into a pipe with room for them: a request into the control FIFO, or a short
 * reply into a sender's new reply FIFO (opened read-write, so never without a
 * reader). Longer replies go through {@linkcode writeAll}.
 */
export function writeAllSync(f: Deno.FsFile, data: Uint8Array): void {
  while (data.length > 0) data = data.subarray(f.writeSync(data));
}

/** Removes a file, ignoring one that is already gone. */
export function removeIfPresent(path: string): Promise<void> {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) return Promise.reject(e);
  }
  return Promise.resolve();
}
