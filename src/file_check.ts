/**
 * The one check of whether a path is an existing regular file (a picked or
 * shown image, a template, an image given on the command line). Requires
 * `--allow-read`.
 *
 * @module
 */

/**
 * Whether `path` is a regular file that can be stat-ed.
 *
 * @returns "ok"; "missing" when it does not exist or is not a regular file;
 *   else the reason it cannot be stat-ed (e.g. permission denied).
 * @example
 * ```ts ignore
 * import { checkFile } from "./file_check.ts";
 * if (checkFile("/etc/hostname") !== "ok") console.log("no hostname file");
 * ```
 */
export function checkFile(path: string): "ok" | "missing" | string {
  try {
    return Deno.statSync(path).isFile ? "ok" : "missing";
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
      return "missing";
    }
    return (e as Error).message;
  }
}
