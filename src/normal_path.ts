/**
 * A path with `.`, `..` and repeated slashes resolved as text (pure): no
 * symlink is followed, so it names the file the kernel would only when no
 * folder on the way is a link.
 *
 * @module
 */

/**
 * `path` (absolute) with `.`, `..` and repeated slashes resolved as text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizePath } from "./normal_path.ts";
 *
 * assert.equal(normalizePath("/h/out/./sub/../x.css"), "/h/out/x.css");
 * assert.equal(normalizePath("/h//out/x.css"), "/h/out/x.css");
 * assert.equal(normalizePath("/.."), "/");
 * ```
 */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const p of path.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return `/${parts.join("/")}`;
}
