/**
 * Writes a file so that no reader ever sees half of it: the text goes to a
 * temporary file in the target's own folder, which is then renamed over the
 * target. The target's permission bits are kept; a symlinked target is
 * followed so the link stays a link. Missing folders are created. Requires
 * `--allow-read` and `--allow-write`.
 *
 * @module
 */

/** Options for {@linkcode writeAtomic}. */
export interface WriteAtomicOptions {
  /** Mode for a new file (before the umask). @default 0o644 */
  mode?: number;
}

let counter = 0;
const encoder = new TextEncoder();

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
  const slash = target.lastIndexOf("/");
  const dir = slash > 0 ? target.slice(0, slash) : slash === 0 ? "/" : ".";
  const base = target.slice(slash + 1);
  const tmp = `${dir}/.${base}.${Deno.pid}.${++counter}.varietal-tmp`;
  const data = typeof text === "string" ? encoder.encode(text) : text;
  const create = { mode: mode ?? options.mode ?? 0o644, createNew: true };
  try {
    try {
      await Deno.writeFile(tmp, data, create);
    } catch (e) {
      // Create missing folders only when needed (saves an op per write).
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeFile(tmp, data, create);
    }
    // The umask may have cleared bits of the old file's mode: set it exactly.
    if (mode !== null) await Deno.chmod(tmp, mode);
    await Deno.rename(tmp, target);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  return target;
}

async function resolveDangling(path: string): Promise<string> {
  const link = await Deno.readLink(path);
  if (link.startsWith("/")) return link;
  return `${path.replace(/\/[^/]*$/, "")}/${link}`;
}
