/**
 * Folders only their owner may enter: the lock folder and the daemon's control
 * folder live in `$XDG_RUNTIME_DIR`, which another user could share (or the
 * user mistype), so a folder made there first by someone else, or a link
 * planted in its place, must be refused rather than written into.
 *
 * Blocking calls: made once per lock or daemon start, cheaper than trips
 * through Deno's thread pool.
 *
 * @module
 */

/** Options for {@linkcode privateFolderSync}. */
export interface PrivateFolderOptions {
  /**
   * What a symlink in the folder's place means. `"follow-own"`: a link the
   * user made (a state folder kept on another disk) is followed and the folder
   * it names checked; one another user made is refused. `"refuse"`: any link
   * is refused (the control folder, whose FIFOs must be where they are named).
   * @default "follow-own"
   */
  symlink?: "follow-own" | "refuse";
  /**
   * What to tell the user to do besides removing the folder.
   * @default "set XDG_RUNTIME_DIR to a folder of your own"
   */
  otherwise?: string;
}

/**
 * Makes `dir` (and its parents) with mode 0700, or checks an existing one:
 * it must be a folder of this user's. A folder of theirs with another mode
 * (one others may enter, say) is made 0700; when others could write in it,
 * what they may have planted there first is removed: every symlink (a lock
 * file opened through one would overwrite the file it names) and every file
 * of another user's.
 *
 * @throws {Error} Naming the folder, what is wrong and what to do.
 *
 * @example Make the lock folder
 * ```ts ignore
 * privateFolderSync(`${Deno.env.get("XDG_RUNTIME_DIR")}/varietal`);
 * ```
 */
export function privateFolderSync(dir: string, options: PrivateFolderOptions = {}): void {
  const { symlink = "follow-own", otherwise = "set XDG_RUNTIME_DIR to a folder of your own" } =
    options;
  try {
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    // Something other than a folder is there (said below); anything else is mkdir's to tell.
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
  }
  const uid = Deno.uid();
  const foreign = (owner: number | null) => uid !== null && owner !== null && owner !== uid;
  const link = Deno.lstatSync(dir);
  if (link.isSymlink && symlink === "refuse") {
    throw new Error(`${dir} is a symlink, not a folder; remove it, or ${otherwise}`);
  }
  // A link of the user's own to a folder of theirs is theirs; one another user made is not,
  // wherever it points.
  if (link.isSymlink && foreign(link.uid)) {
    throw new Error(
      `${dir} is a symlink that uid ${link.uid} made, not you (uid ${uid}); remove it, or ` +
        otherwise,
    );
  }
  const st = link.isSymlink ? Deno.statSync(dir) : link;
  if (!st.isDirectory) throw new Error(`${dir} is not a folder; move it away`);
  if (foreign(st.uid)) {
    throw new Error(
      `${dir} belongs to uid ${st.uid}, not to you (uid ${uid}), who could replace the files ` +
        `varietal keeps there; remove it, or ${otherwise}`,
    );
  }
  if (st.mode !== null && (st.mode & 0o777) !== 0o700) {
    Deno.chmodSync(dir, 0o700);
    // Nobody else can add anything now: what they could have put there before goes.
    if ((st.mode & 0o022) !== 0) removePlanted(dir, foreign);
  }
}

/** Removes the symlinks, and the files (not folders) of other users, in `dir`. */
function removePlanted(dir: string, foreign: (owner: number | null) => boolean): void {
  for (const e of Deno.readDirSync(dir)) {
    const path = `${dir}/${e.name}`;
    try {
      const st = Deno.lstatSync(path);
      if (st.isSymlink || (!st.isDirectory && foreign(st.uid))) Deno.removeSync(path);
    } catch { /* gone meanwhile */ }
  }
}
