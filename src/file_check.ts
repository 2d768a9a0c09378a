/**
 * The one check of whether a path is an existing regular file (a picked or
 * shown image, a template, an image given on the command line). Requires
 * `--allow-read`.
 *
 * @module
 */

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
    return (e as Error).message;
  }
}
