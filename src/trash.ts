/**
 * Moves files to the desktop's trash, as file managers do (the freedesktop.org
 * Trash specification 1.0): a file on the home's disk goes to
 * `$XDG_DATA_HOME/Trash`, one on another disk to that disk's `.Trash/UID` (when
 * the administrator made a sticky `.Trash`) or `.Trash-UID`. Beside each file,
 * `info/NAME.trashinfo` says where it came from and when, so that the file
 * manager can put it back. Nothing is copied: a file that cannot be renamed
 * into a trash of its own disk is left where it is.
 *
 * @module
 */
import { localTime } from "./text/local_time.ts";
import { privateFolderSync } from "./private_folder.ts";

/** Where a file went. */
export interface Trashed {
  /** The file in the trash's `files/`. */
  path: string;
  /** Its `.trashinfo`. */
  info: string;
}

/** Options for {@linkcode trashFile}. */
export interface TrashOptions {
  /** `$XDG_DATA_HOME` (the home trash is its `Trash`). */
  dataHome: string;
  /** The deletion time written into the info file. @default Date.now() */
  now?: number;
}

/**
 * Moves the file `path` (absolute) to the trash of its disk.
 *
 * @throws {Error} Naming the file and why it stays (no trash can be made on its disk, no
 * permission); the file is then untouched.
 */
export async function trashFile(path: string, options: TrashOptions): Promise<Trashed> {
  const st = Deno.lstatSync(path);
  if (!st.isFile && !st.isSymlink) throw new Error(`${path} is not a file`);
  const { dir, relativeTo } = trashFor(path, st.dev, options.dataHome);
  // Ours and private: a `.Trash-UID` another user made on a shared disk is refused.
  const otherwise = "delete the picture yourself";
  for (const sub of ["", "/files", "/info"]) privateFolderSync(dir + sub, { otherwise });
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ""];
  const original = relativeTo ? path.slice(relativeTo.length + 1) : path;
  const text = "[Trash Info]\n" +
    `Path=${encodePath(original)}\n` +
    `DeletionDate=${localTime(options.now ?? Date.now(), { seconds: true }).replace(" ", "T")}\n`;
  // The info file is taken first, with O_EXCL: the name is ours once it exists (the
  // specification's way of two programs never trashing into one name).
  for (let n = 1; n < 10_000; n++) {
    const name = fitName(n === 1 ? base : `${stem}.${n}${ext}`, stem, ext, n);
    const info = `${dir}/info/${name}.trashinfo`;
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(info, { write: true, createNew: true, mode: 0o600 });
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists) continue;
      throw e;
    }
    try {
      file.writeSync(new TextEncoder().encode(text));
    } finally {
      file.close();
    }
    const target = `${dir}/files/${name}`;
    try {
      if (exists(target)) throw new Deno.errors.AlreadyExists(`${target} is there already`);
      await Deno.rename(path, target);
    } catch (e) {
      Deno.removeSync(info);
      if (e instanceof Deno.errors.AlreadyExists) continue;
      throw e;
    }
    return { path: target, info };
  }
  throw new Error(`${dir}: no free name for ${base}`);
}

/**
 * The trash folder for a file on device `dev`, and the folder its info paths are relative
 * to (undefined: absolute).
 */
function trashFor(
  path: string,
  dev: number,
  dataHome: string,
): { dir: string; relativeTo?: string } {
  const home = `${dataHome}/Trash`;
  if (deviceOf(dataHome) === dev) return { dir: home };
  const top = mountTop(path, dev);
  const uid = Deno.uid() ?? 0;
  // An administrator's shared `.Trash` is used only as the specification allows: a real
  // folder (no link) with the sticky bit; else the user's own `.Trash-UID`.
  try {
    const shared = Deno.lstatSync(`${top}/.Trash`);
    if (shared.isDirectory && shared.mode !== null && (shared.mode & 0o1000) !== 0) {
      return { dir: `${top}/.Trash/${uid}`, relativeTo: top };
    }
  } catch { /* none */ }
  return { dir: `${top}/.Trash-${uid}`, relativeTo: top };
}

/** The longest file name (bytes) a Linux file system takes. */
const NAME_MAX = 255;

/**
 * `name`, or one with its stem shortened so that its `.trashinfo` fits in a file name (a
 * picture named with 250 bytes is trashed as well).
 */
function fitName(name: string, stem: string, ext: string, n: number): string {
  const bytes = (t: string) => new TextEncoder().encode(t).length;
  if (bytes(`${name}.trashinfo`) <= NAME_MAX) return name;
  const suffix = `${n === 1 ? "" : `.${n}`}${ext}.trashinfo`;
  let cut = [...stem];
  while (cut.length > 1 && bytes(cut.join("") + suffix) > NAME_MAX) cut = cut.slice(0, -1);
  return `${cut.join("")}${n === 1 ? "" : `.${n}`}${ext}`;
}

/** The device of `dir`, or of its nearest existing parent. */
function deviceOf(dir: string): number | undefined {
  for (let d = dir; d; d = d.slice(0, d.lastIndexOf("/"))) {
    try {
      return Deno.statSync(d).dev;
    } catch { /* not made yet */ }
  }
  return Deno.statSync("/").dev;
}

/** The top folder of the mount that holds `path` (on device `dev`). */
function mountTop(path: string, dev: number): string {
  let top = path.slice(0, path.lastIndexOf("/")) || "/";
  while (top !== "/") {
    const up = top.slice(0, top.lastIndexOf("/")) || "/";
    if (Deno.statSync(up).dev !== dev) break;
    top = up;
  }
  return top;
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A path as the specification writes it: each byte outside the URI's unreserved set (and
 * `/`) percent-encoded.
 *
 * @example
 * ```ts
 * import { encodePath } from "./trash.ts";
 * if (encodePath("/w/a b%.png") !== "/w/a%20b%25.png") throw new Error();
 * ```
 */
export function encodePath(path: string): string {
  return path.split("/").map((p) => encodeURIComponent(p)).join("/");
}
