/**
 * Writes a file so that no reader ever sees half of it: the text goes to a
 * temporary file in the target's own folder, which is then renamed over the
 * target. The target's permission bits are kept; a symlinked target is
 * followed so the link stays a link. Missing folders are created (0700).
 * Temporary files left by a process that died between write and rename are
 * removed on the next write to their folder. Requires `--allow-read` and
 * `--allow-write`.
 *
 * @module
 */

/** Options for {@linkcode writeAtomic}. */
export interface WriteAtomicOptions {
  /** Mode for a new file (before the umask). @default 0o600 */
  mode?: number;
  /**
   * Set {@linkcode WriteAtomicOptions.mode} even when the target exists (for
   * varietal's own private files, which an older version created 0644).
   * @default false
   */
  forceMode?: boolean;
}

let counter = 0;
const encoder = new TextEncoder();
/** Our temporary files: `.NAME.PID.N.varietal-tmp`. */
const TEMP_NAME = /^\..*\.(\d+)\.\d+\.varietal-tmp$/;
/** A temporary file younger than this may belong to a writer we cannot see (another PID namespace). */
const STALE_AFTER_MS = 60_000;
/** Folders this process has already cleaned (one readdir per folder per process). */
const cleaned = new Set<string>();

/**
 * Atomically replaces `path` with `text`.
 *
 * @returns The path actually written (the symlink's target when `path` is a link).
 * @throws {Deno.errors.PermissionDenied} When the folder is not writable (the old file stays).
 */
export async function writeAtomic(
  path: string,
  text: string | Uint8Array,
  options: WriteAtomicOptions = {},
): Promise<string> {
  let target = path;
  let mode: number | null = null;
  try {
    const lst = await Deno.lstat(path);
    if (lst.isSymlink) target = await Deno.realPath(path);
    const st = lst.isSymlink ? await Deno.stat(target) : lst;
    mode = st.mode === null ? null : st.mode & 0o7777;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    // A dangling symlink: write the file it points to.
    try {
      target = await resolveDangling(path);
    } catch { /* not a link */ }
  }
  if (options.forceMode && options.mode !== undefined) mode = options.mode;
  const slash = target.lastIndexOf("/");
  const dir = slash > 0 ? target.slice(0, slash) : slash === 0 ? "/" : ".";
  const base = target.slice(slash + 1);
  const tmp = `${dir}/.${base}.${Deno.pid}.${++counter}.varietal-tmp`;
  const data = typeof text === "string" ? encoder.encode(text) : text;
  const create = { mode: mode ?? options.mode ?? 0o600, createNew: true };
  try {
    try {
      await Deno.writeFile(tmp, data, create);
    } catch (e) {
      // Create missing folders only when needed (saves an op per write).
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
      await Deno.writeFile(tmp, data, create);
    }
    // The umask may have cleared bits of the old file's mode: set it exactly.
    if (mode !== null) await Deno.chmod(tmp, mode);
    await Deno.rename(tmp, target);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  if (!cleaned.has(dir)) {
    cleaned.add(dir);
    await removeStaleTemps(dir).catch(() => {});
  }
  return target;
}

/**
 * Removes our temporary files in `dir` whose writer is no longer running
 * (one `readDir`; only names of our own pattern; only dead PIDs, and only
 * files older than a minute).
 *
 * @param dir The folder to clean.
 * @param isAlive Whether a process id is running. @default a signal-0 probe
 * @returns The names removed.
 */
export async function removeStaleTemps(
  dir: string,
  isAlive: (pid: number) => boolean | Promise<boolean> = processAlive,
): Promise<string[]> {
  const removed: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const m = TEMP_NAME.exec(e.name);
    if (!m || !e.isFile) continue;
    const pid = Number(m[1]);
    if (pid === Deno.pid) continue;
    const file = `${dir}/${e.name}`;
    try {
      const mtime = (await Deno.lstat(file)).mtime?.getTime() ?? Date.now();
      if (Date.now() - mtime < STALE_AFTER_MS || await isAlive(pid)) continue;
      await Deno.remove(file);
      removed.push(e.name);
    } catch { /* gone already, or not ours to remove */ }
  }
  return removed;
}

/**
 * Whether a process with this id exists: `kill(pid, 0)` (Deno blocks `/proc`
 * under narrow permissions; this needs `--allow-run`). Anything but "no such
 * process" counts as alive, so a file is only removed when that is certain.
 * node:process is loaded only when a candidate file turns up.
 */
async function processAlive(pid: number): Promise<boolean> {
  const { default: process } = await import("node:process");
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== "ESRCH";
  }
}

async function resolveDangling(path: string): Promise<string> {
  const link = await Deno.readLink(path);
  if (link.startsWith("/")) return link;
  return `${path.replace(/\/[^/]*$/, "")}/${link}`;
}
