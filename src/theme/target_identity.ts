/**
 * Which file a template target names, however it is spelled: `./`, `..`,
 * repeated slashes and symlinked folders (or a symlinked file) resolved, so
 * that two `[[templates]]` entries writing one file are caught. Reads the
 * file system (`realPath`); requires `--allow-read`.
 *
 * @module
 */
import { normalizePath } from "../normal_path.ts";

/**
 * The real path of the file an absolute `target` names: the file's own real
 * path when it exists, else its folder's real path and its name, else the
 * path normalised as text (a folder that will be created).
 */
export function targetIdentity(target: string): string {
  try {
    return Deno.realPathSync(target);
  } catch { /* not there yet (or a dangling link: written where the text says) */ }
  const slash = target.lastIndexOf("/");
  const dir = target.slice(0, slash) || "/";
  const name = target.slice(slash + 1);
  if (name !== "." && name !== "..") {
    try {
      const real = Deno.realPathSync(dir);
      return `${real === "/" ? "" : real}/${name}`;
    } catch { /* a folder to be created */ }
  }
  return normalizePath(target);
}
