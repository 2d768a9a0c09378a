/**
 * Expands `~` and `$VAR` / `${VAR}` in configured paths (pure).
 *
 * @module
 */

/**
 * Expands a leading `~` (or `~/`) to `home` and `$NAME` / `${NAME}` to
 * environment values.
 *
 * @param path The configured path.
 * @param home The home directory.
 * @param env Reads an environment variable.
 * @throws {Error} When a variable is not set (names it).
 * @example A leading ~ and a variable
 * ```ts
 * import assert from "node:assert/strict";
 * import { expandPath } from "./expand_path.ts";
 *
 * const env = (k: string) => (k === "A" ? "y" : undefined);
 * assert.equal(expandPath("~/x/$A", "/h", env), "/h/x/y");
 * assert.equal(expandPath("${A}z", "/h", env), "yz");
 * ```
 */
export function expandPath(
  path: string,
  home: string,
  env: (name: string) => string | undefined,
): string {
  let p = path;
  if (p === "~" || p.startsWith("~/")) p = home + p.slice(1);
  // What a shell would do and this does not: said, not read as a folder named that way.
  if (/^~[^/]/.test(p)) {
    throw new Error(`Cannot expand "${path}": ~user is not supported; write the path out`);
  }
  if (/\$\{[^}]*[^A-Za-z0-9_}]/.test(p)) {
    throw new Error(
      `Cannot expand "${path}": only $NAME and \${NAME} are supported (no \${NAME:-…} or other forms)`,
    );
  }
  return p.replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (_m, a, b) => {
    const name = a ?? b;
    const v = name === "HOME" ? env(name) ?? home : env(name);
    if (v === undefined) throw new Error(`Cannot expand "${path}": $${name} is not set`);
    if (v === "") throw new Error(`Cannot expand "${path}": $${name} is empty`);
    return v;
  });
}
