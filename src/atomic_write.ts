/**
 * Writes a file so that no reader ever sees half of it: the text goes to a
 * temporary file in the target's own folder, which is then renamed over the
 * target. The target's permission bits are kept; a symlinked target is
 * followed so the link stays a link (never a link another user made, and
 * never into a folder another user owns: they could replace the file there).
 * Missing folders are created (0700).
 * Temporary files left by a process that died between write and rename are
 * removed on the next write to their folder. Requires `--allow-read` and
 * `--allow-write`.
 *
 * @module
 */
import { nameHash } from "./text/name_hash.ts";

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
  /**
   * A folder of varietal's own that holds the target (its folder or one above
   * it): it and every folder between it and the target are made 0700 when
   * they are ours and open to others (an older version created them 0755).
   * Once per folder per process. @default none
   */
  privateFolder?: string;
}

let counter = 0;
const encoder = new TextEncoder();
/** Our temporary files: `.NAME.PID.N.varietal-tmp`. */
const TEMP_NAME = /^\..*\.(\d+)\.\d+\.varietal-tmp$/;
/** A temporary file younger than this may belong to a writer we cannot see (another PID namespace). */
const STALE_AFTER_MS = 60_000;
/**
 * Folders this process cleaned, and when: again only once what was too young to
 * remove then can be stale (a daemon runs for days; a temporary file a writer
 * killed just before it started is removed by its next write a minute on).
 */
const cleaned = new Map<string, number>();

/** Whether `dir` is due a clean-up of stale temporary files (and notes it done now). */
function cleanDue(dir: string): boolean {
  const now = Date.now();
  const last = cleaned.get(dir);
  if (last !== undefined && now - last < STALE_AFTER_MS) return false;
  cleaned.set(dir, now);
  return true;
}

/**
 * Atomically replaces `path` with `text`, then removes stale temporary files
 * of dead writers from its folder (at most once a minute per folder).
 *
 * @returns The path actually written (the symlink's target when `path` is a link).
 * @throws {Deno.errors.PermissionDenied} When the folder is not writable (the old file stays).
 */
export async function writeAtomic(
  path: string,
  text: string | Uint8Array,
  options: WriteAtomicOptions = {},
): Promise<string> {
  const target = writeAtomicSync(path, text, options);
  const dir = dirOf(target);
  if (cleanDue(dir)) await removeStaleTemps(dir).catch(() => {});
  return target;
}

/**
 * {@linkcode writeAtomic} without the clean-up of stale temporary files. It
 * makes blocking calls: for the few small files of a theme they are several
 * times faster than Deno's asynchronous ones (each a round trip to a pool
 * thread, slow on a busy machine). Readers in other processes and threads
 * still see the old file or the new one, never a part of it.
 *
 * @returns The path actually written (the symlink's target when `path` is a link).
 * @throws {Deno.errors.PermissionDenied} When the folder is not writable (the old file stays).
 */
export function writeAtomicSync(
  path: string,
  text: string | Uint8Array,
  options: WriteAtomicOptions = {},
): string {
  const { tmp, target } = stage(path, text, options);
  try {
    Deno.renameSync(tmp, target);
  } catch (e) {
    discard(tmp);
    throw naming(e, tmp, target);
  }
  return target;
}

/** One file for {@linkcode writeAtomicAll}. */
export interface AtomicFile {
  path: string;
  text: string | Uint8Array;
  /** This file's own options, instead of those given for all. */
  options?: WriteAtomicOptions;
}

/** Folders this process has already made private (or found so). */
const tightened = new Set<string>();

/**
 * Makes `dir` and each folder above it up to `root` private (0700) when one is
 * ours and open to others; leaves alone a folder of another user, and `dir`
 * when it is not under `root`. Once per folder per process.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tightenFolders } from "./atomic_write.ts";
 *
 * const root = Deno.makeTempDirSync();
 * Deno.mkdirSync(`${root}/theme`, { mode: 0o755 });
 * Deno.chmodSync(`${root}/theme`, 0o755);
 * tightenFolders(`${root}/theme`, root);
 * assert.equal(Deno.statSync(`${root}/theme`).mode! & 0o777, 0o700);
 * Deno.removeSync(root, { recursive: true });
 * ```
 */
export function tightenFolders(dir: string, root: string): void {
  if (dir !== root && !dir.startsWith(`${root}/`)) return;
  for (let d = dir;; d = dirOf(d)) {
    if (!tightened.has(d)) {
      let st: Deno.FileInfo | undefined;
      try {
        st = Deno.lstatSync(d);
      } catch { /* not made yet */ }
      // varietal's own folder made first by someone else: they could replace what is kept there.
      if (st && otherUser(st.uid)) {
        throw new Deno.errors.PermissionDenied(
          `${d} belongs to uid ${st.uid}, not to you, who could replace the files varietal ` +
            "keeps there; remove it (or set the XDG folder to one of your own)",
        );
      }
      tightened.add(d);
      try {
        if (st?.isDirectory && st.mode !== null && (st.mode & 0o077) !== 0) {
          Deno.chmodSync(d, st.mode & 0o7700);
        }
      } catch { /* not ours to change */ }
    }
    if (d === root || d.length <= root.length) return;
  }
}

/** This process's user id, read once (null when it cannot be read: no `--allow-sys=uid`). */
let ownUid: number | null | undefined;

/** Whether `owner` is a user other than this one and root (unknown ids count as ours). */
function otherUser(owner: number | null): boolean {
  if (ownUid === undefined) {
    try {
      ownUid = Deno.uid();
    } catch {
      ownUid = null;
    }
  }
  return ownUid !== null && owner !== null && owner !== ownUid && owner !== 0;
}

/**
 * Writes several files atomically, each as {@linkcode writeAtomic} does: all
 * temporary files first (blocking calls), then every rename at once. On
 * ext4 a rename over an existing file starts writing the new data out
 * (`auto_da_alloc`); issued together, those waits overlap instead of adding
 * up (a theme's 16 targets: 22 → 17 ms on this busy VM). One file failing
 * leaves the others alone.
 *
 * @returns Per file, in order: the path written (a symlink's target) or why it was not.
 */
export async function writeAtomicAll(
  files: readonly AtomicFile[],
  options: WriteAtomicOptions = {},
): Promise<(string | Error)[]> {
  const staged = files.map((f) => {
    try {
      return stage(f.path, f.text, f.options ?? options);
    } catch (e) {
      return asError(e);
    }
  });
  const out = await Promise.all(staged.map(async (s) => {
    if (s instanceof Error) return s;
    try {
      await Deno.rename(s.tmp, s.target);
      return s.target;
    } catch (e) {
      discard(s.tmp);
      return asError(naming(e, s.tmp, s.target));
    }
  }));
  for (const target of out) {
    if (typeof target !== "string") continue;
    const dir = dirOf(target);
    if (cleanDue(dir)) await removeStaleTemps(dir).catch(() => {});
  }
  return out;
}

/** Writes `text` to a temporary file beside the file `path` names; rename it over the target. */
function stage(
  path: string,
  text: string | Uint8Array,
  options: WriteAtomicOptions,
): { tmp: string; target: string } {
  let target = path;
  let mode: number | null = null;
  try {
    const lst = Deno.lstatSync(path);
    if (lst.isSymlink) {
      followLinks(path);
      target = Deno.realPathSync(path);
    }
    const st = lst.isSymlink ? Deno.statSync(target) : lst;
    // Said before anything is written (a rename over a folder would name our temporary file).
    if (st.isDirectory) throw new Deno.errors.IsADirectory(`${path} is a folder, not a file`);
    if (!st.isFile) {
      throw new Deno.errors.InvalidData(
        `${path} is not a regular file (a FIFO, socket or device); only files are replaced`,
      );
    }
    mode = st.mode === null ? null : st.mode & 0o7777;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    // A dangling symlink: write the file it points to.
    target = followLinks(path);
  }
  if (options.forceMode && options.mode !== undefined) mode = options.mode;
  const dir = dirOf(target);
  if (options.privateFolder !== undefined) tightenFolders(dir, options.privateFolder);
  refuseForeignFolder(dir, path);
  const tmp = `${dir}/.${
    tempStem(target.slice(target.lastIndexOf("/") + 1))
  }.${Deno.pid}.${++counter}.varietal-tmp`;
  const data = typeof text === "string" ? encoder.encode(text) : text;
  // Deno applies `mode` exactly (an fchmod right after the open), so a umask
  // cannot clear bits of the old file's mode: no chmod needed.
  const create = { mode: mode ?? options.mode ?? 0o600, createNew: true };
  try {
    try {
      Deno.writeFileSync(tmp, data, create);
    } catch (e) {
      // Create missing folders only when needed (saves a call per write).
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
      Deno.writeFileSync(tmp, data, create);
    }
  } catch (e) {
    discard(tmp);
    throw naming(e, tmp, target);
  }
  return { tmp, target };
}

/**
 * The target's name as the start of its temporary file's: cut (and made unique by
 * a hash of the whole) when the temporary name would pass the 255-byte limit of a
 * file name, which a legal long target name would otherwise never get past.
 */
function tempStem(name: string): string {
  if (encoder.encode(name).length <= MAX_STEM) return name;
  let cut = name.slice(0, 64);
  while (encoder.encode(cut).length > 64) cut = cut.slice(0, -1);
  return `${cut}~${nameHash(name)}`;
}

/** Bytes of a target's name kept whole in its temporary name (255, less the suffix's ~40). */
const MAX_STEM = 200;

/**
 * The error with our temporary file's name replaced by the file being written
 * (a full disk said as "write '…/.report.html.4242.1.varietal-tmp'" names a file
 * the user never made); same class and `code`, the original as its cause.
 */
function naming(e: unknown, tmp: string, target: string): unknown {
  if (!(e instanceof Error) || !e.message.includes(tmp)) return e;
  // "rename 'TMP' -> 'TARGET'" becomes "rename 'TARGET'".
  const message = e.message.replace(`'${tmp}' -> `, "").replaceAll(tmp, target);
  const out = new (e.constructor as ErrorConstructor)(message, { cause: e });
  const code = (e as { code?: unknown }).code;
  if (code !== undefined) Object.defineProperty(out, "code", { value: code });
  return out;
}

function discard(tmp: string): void {
  try {
    Deno.removeSync(tmp);
  } catch { /* never created */ }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

function dirOf(target: string): string {
  const slash = target.lastIndexOf("/");
  return slash > 0 ? target.slice(0, slash) : slash === 0 ? "/" : ".";
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
export function removeStaleTemps(
  dir: string,
  isAlive: (pid: number) => boolean | Promise<boolean> = processAlive,
): Promise<string[]> {
  return removeDeadWritersFiles(dir, TEMP_NAME, { isAlive });
}

/**
 * Removes the files in `dir` whose names match `pattern` (its first group the
 * writer's PID) when that writer is no longer running and the file is older
 * than a minute (one `readDir`; a file of this process is never removed).
 *
 * @param options.isAlive Whether a process id is running. @default a signal-0 probe
 * @param options.ours A last check of a candidate (e.g. its first bytes). @default every match
 * @returns The names removed.
 */
export async function removeDeadWritersFiles(
  dir: string,
  pattern: RegExp,
  options: {
    isAlive?: (pid: number) => boolean | Promise<boolean>;
    ours?: (path: string, match: RegExpExecArray, info: Deno.FileInfo) => boolean;
  } = {},
): Promise<string[]> {
  const { isAlive = processAlive, ours = () => true } = options;
  const removed: string[] = [];
  // One blocking listing: there is rarely anything to do after it.
  for (const e of Deno.readDirSync(dir)) {
    const m = pattern.exec(e.name);
    if (!m || !e.isFile) continue;
    const pid = Number(m[1]);
    if (pid === Deno.pid) continue;
    const file = `${dir}/${e.name}`;
    try {
      const info = Deno.lstatSync(file);
      const mtime = info.mtime?.getTime() ?? Date.now();
      if (Date.now() - mtime < STALE_AFTER_MS || !ours(file, m, info)) continue;
      if (await isAlive(pid)) continue;
      Deno.removeSync(file);
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

/**
 * Follows a chain of symbolic links by hand, checking each one.
 *
 * @returns The first path that is not a link (it may not exist: a dangling link's target).
 */
function followLinks(path: string): string {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    let lst: Deno.FileInfo;
    try {
      lst = Deno.lstatSync(p);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return p;
      throw e;
    }
    if (!lst.isSymlink) return p;
    refuseForeignLink(p, lst);
    const to = Deno.readLinkSync(p);
    p = to.startsWith("/") ? to : `${dirOf(p)}/${to}`;
  }
  throw new Deno.errors.InvalidData(`${path}: too many levels of symbolic links`);
}

/**
 * Refuses a link that another user made (root's links are followed): Linux's
 * `protected_symlinks` guards `open()` in shared sticky folders such as `/tmp`,
 * not the rename a replacement ends with, and a link in a folder of theirs
 * they may point anywhere at any time. Without it, anyone could point a target
 * at the user's own `~/.bashrc`. Skipped when the user id cannot be read
 * (no `--allow-sys=uid`).
 */
function refuseForeignLink(link: string, lst: Deno.FileInfo): void {
  if (!otherUser(lst.uid)) return;
  throw new Deno.errors.PermissionDenied(
    `${link} is a symbolic link another user (uid ${lst.uid}) made; not followed ` +
      "(delete it, or choose a target in a folder of your own)",
  );
}

/** Folders found to be ours (or root's): a theme's targets share a few. */
const ownFolders = new Set<string>();

/**
 * Refuses to write into a folder another user owns (root's aside): they could
 * swap the file for another, or a link, after it is written (a `colors.sh`
 * the shell sources).
 */
function refuseForeignFolder(dir: string, path: string): void {
  if (ownFolders.has(dir)) return;
  let st: Deno.FileInfo;
  try {
    st = Deno.statSync(dir);
  } catch {
    return; // made below, ours
  }
  if (!otherUser(st.uid)) {
    ownFolders.add(dir);
    return;
  }
  throw new Deno.errors.PermissionDenied(
    `${path}: its folder ${dir} belongs to uid ${st.uid}, not to you, who could replace the ` +
      "file; choose a target in a folder of your own",
  );
}
