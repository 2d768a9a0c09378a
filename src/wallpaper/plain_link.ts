/**
 * A plain path for a setter that misreads some characters of a file name: a
 * symbolic link to the image, named by a hash of its path, in
 * `CACHE/SETTER-links/` (kept, since a desktop may remember the path it was
 * given and read it again later; the link is replaced when it points
 * elsewhere). The image's own path is what varietal records.
 *
 * @module
 */
import { SetterError } from "./setter_error.ts";
import { nameHash } from "../text/name_hash.ts";

/**
 * `path` itself when it holds none of the characters `unsafe` matches, else a
 * link to it with a plain name.
 *
 * @param setter The setter's name (the folder is `CACHE/SETTER-links`).
 * @param unsafe Matches a path the setter would misread.
 * @param why Why, for the message when no link can be made (e.g. "hyprctl splits its value at commas").
 * @throws {SetterError} When a link is needed and there is no cache folder, or its path is unsafe too.
 * @example A plain path is given back as it is
 * ```ts
 * import assert from "node:assert/strict";
 * import { plainPath } from "./plain_link.ts";
 *
 * assert.equal(await plainPath("kde", "/w/fjord.jpg", {}, /[#?]/, "why"), "/w/fjord.jpg");
 * ```
 */
export async function plainPath(
  setter: string,
  path: string,
  ctx: { cacheDir?: string },
  unsafe: RegExp,
  why: string,
): Promise<string> {
  if (!unsafe.test(path)) return path;
  const dir = ctx.cacheDir ? `${ctx.cacheDir}/${setter}-links` : undefined;
  if (!dir || unsafe.test(dir)) {
    throw new SetterError(
      setter,
      `setter '${setter}' cannot show ${path}: ${why}; rename the file`,
      1,
    );
  }
  const ext = /\.[A-Za-z0-9]{1,5}$/.exec(path)?.[0].toLowerCase() ?? "";
  const link = `${dir}/${nameHash(path)}${ext}`;
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const current = await Deno.readLink(link).catch(() => null);
  if (current !== path) {
    await Deno.remove(link).catch(() => {});
    await Deno.symlink(path, link);
  }
  return link;
}
