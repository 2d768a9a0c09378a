/**
 * `$NAME` and `${NAME}` in the folder and file paths of config.toml
 * (`[[sources]] path`, `[groups]`, `[[remote]] api_key_file`,
 * `[palette] wallust`), expanded once when the file is read, as template
 * targets are (pure).
 *
 * @module
 */
import { expandPath } from "../theme/expand_path.ts";
import { ConfigError, ProblemCollector } from "./errors.ts";
import type { Config } from "./schema.ts";

/**
 * Expands environment variables in a config's paths. A leading `~` is left
 * for later (every reader of these paths expands it against the home folder),
 * except in `[palette] wallust`, a program run as written: there `~/` is the
 * home folder, and a path with a `/` that is not absolute is taken from it,
 * as a source folder's is (a bare name is looked up on PATH).
 *
 * @param config The parsed configuration (not changed).
 * @param env Reads an environment variable.
 * @returns The configuration with its paths expanded.
 * @throws {ConfigError} Naming the key whose variable is not set (each such key: ConfigProblems).
 * @example A source folder under $XDG_PICTURES_DIR
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULTS } from "./schema.ts";
 * import { expandConfigVars } from "./expand_vars.ts";
 *
 * const config = {
 *   ...DEFAULTS,
 *   sources: [{ path: "$PICS/walls", recursive: true, enabled: true, order: null }],
 *   file: "c.toml",
 *   found: true,
 * };
 * const out = expandConfigVars(config, (k) => (k === "PICS" ? "/data/pics" : undefined));
 * assert.equal(out.sources[0].path, "/data/pics/walls");
 * ```
 * @example wallust installed by cargo
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULTS } from "./schema.ts";
 * import { expandConfigVars } from "./expand_vars.ts";
 *
 * const config = {
 *   ...DEFAULTS,
 *   palette: { ...DEFAULTS.palette, wallust: "~/.cargo/bin/wallust" },
 *   file: "c.toml",
 *   found: true,
 * };
 * const out = expandConfigVars(config, (k) => (k === "HOME" ? "/home/me" : undefined));
 * assert.equal(out.palette.wallust, "/home/me/.cargo/bin/wallust");
 * ```
 */
export function expandConfigVars(
  config: Config,
  env: (name: string) => string | undefined,
): Config {
  // Every path whose variable is missing is named, not only the first.
  const found = new ProblemCollector();
  const expand = (value: string, key: string): string =>
    found.read(() => expandOne(value, key)) ?? value;
  const expandOne = (value: string, key: string): string => {
    if (/^~[^/]/.test(value)) {
      throw new ConfigError(
        config.file,
        key,
        `"${value}": ~user is not supported; write the path out`,
      );
    }
    if (!value.includes("$")) return value;
    // `~` stays as written: only the variables are this function's.
    const tilde = value === "~" || value.startsWith("~/");
    try {
      const out = expandPath(tilde ? value.slice(1) : value, env("HOME") ?? "", env);
      return tilde ? `~${out}` : out;
    } catch (e) {
      throw new ConfigError(
        config.file,
        key,
        `${(e as Error).message.replace(/^Cannot expand "[^"]*": /, "")}${
          /not set|is empty/.test((e as Error).message) ? "; set it or write the path out" : ""
        }`,
      );
    }
  };
  /** `[palette] wallust`: a bare name stays a name; a path becomes absolute. */
  const program = (value: string, key: string): string => {
    const expanded = expand(value, key);
    if (!expanded.includes("/")) return expanded;
    const home = env("HOME") ?? "";
    if (expanded === "~" || expanded.startsWith("~/")) return `${home}${expanded.slice(1)}`;
    return expanded.startsWith("/") || !home ? expanded : `${home}/${expanded}`;
  };
  const out: Config = {
    ...config,
    palette: { ...config.palette, wallust: program(config.palette.wallust, "palette.wallust") },
    sources: config.sources.map((s, i) => ({ ...s, path: expand(s.path, `sources[${i}].path`) })),
    groups: Object.fromEntries(
      Object.entries(config.groups).map((
        [name, dirs],
      ) => [name, dirs.map((d, i) => expand(d, `groups.${name}[${i}]`))]),
    ),
    remote: config.remote.map((r, i) =>
      r.api_key_file
        ? { ...r, api_key_file: expand(r.api_key_file, `remote[${i}].api_key_file`) }
        : r
    ),
  };
  found.throwAny();
  return out;
}
