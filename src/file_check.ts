/**
 * The one check of whether a path is an existing regular file (a picked or
 * shown image, a template, an image given on the command line). Requires
 * `--allow-read`.
 *
 * @module
 */
import { fileErrorReason } from "./text/not_capable.ts";

/** Options for {@linkcode checkFile}. */
export interface CheckFileOptions {
  /**
   * Also open it for reading (what a setter or decoder will do), so that a
   * file made unreadable (`chmod 000`) is not "ok". A FIFO is never opened.
   * @default false
   */
  read?: boolean;
}

/**
 * Whether `path` is a regular file that can be stat-ed (and, with `read`, opened).
 *
 * @returns "ok"; "missing" when it does not exist or is not a regular file;
 *   else the reason it cannot be stat-ed or read (e.g. permission denied).
 * @example
 * ```ts ignore
 * import { checkFile } from "./file_check.ts";
 * if (checkFile("/etc/hostname", { read: true }) !== "ok") console.log("cannot read it");
 * ```
 */
export function checkFile(path: string, options: CheckFileOptions = {}): "ok" | "missing" | string {
  try {
    if (!Deno.statSync(path).isFile) return "missing";
    if (options.read) Deno.openSync(path).close();
    return "ok";
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
      return "missing";
    }
    return fileErrorReason(e);
  }
}

/**
 * Why a path given on the command line was not found: "no such file", or, when its name
 * came in with bytes that are not UTF-8 (Deno hands them over as U+FFFD, a name no file
 * has), that it must be renamed.
 *
 * @example
 * ```ts
 * import { notFoundReason } from "./file_check.ts";
 * if (notFoundReason("/w/a.png") !== "no such file") throw new Error();
 * if (!notFoundReason("/w/caf\uFFFD.png").startsWith("no such file under this name")) throw new Error();
 * ```
 */
export function notFoundReason(path: string, what = "file"): string {
  return path.includes("\uFFFD")
    ? `no such ${what} under this name (is it not in UTF-8? varietal cannot open such a name; ` +
      "rename it: convmv -f latin1 -t utf-8 --notest NAME converts a Latin-1 name)"
    : `no such ${what}`;
}

/** Whether `path` is a folder now (following links); false for anything that cannot be read. */
export function isFolder(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/** Whether `path` is a regular file now (following links); false for anything that cannot be read. */
export function isRegularFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
