/**
 * Parses and validates config text.
 *
 * @module
 */
import { parse } from "smol-toml";
import { ConfigError, ConfigProblems, problemsOf } from "./errors.ts";
import { pathVariableProblems } from "./path_variables.ts";
import { withKeyLine } from "./key_line.ts";
import { type Config, validateConfig } from "./schema.ts";

/**
 * Parses config text (exported for tests and `config show`).
 *
 * @param text TOML text.
 * @param file The file name used in errors.
 * @param env Reads an environment variable: when given and a value is wrong, the paths'
 *   unset `$VARS` are counted among the problems too (they are otherwise expanded, and
 *   found, only once every value reads).
 * @throws {ConfigError} On TOML syntax errors and invalid values.
 */
export function parseConfig(
  text: string,
  file: string,
  env?: (name: string) => string | undefined,
): Config {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    const err = e as Error & { line?: number; column?: number };
    const where = err.line ? `column ${err.column}: ` : "";
    const first = err.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
    // `contrast = 0,5` as a German keyboard writes it: TOML calls it a leading zero.
    const line = err.line ? text.split("\n")[err.line - 1] ?? "" : "";
    const comma = /=\s*-?\d+,\d+\s*(#.*)?$/.test(line)
      ? " (decimals are written with '.': 0.5)"
      : "";
    throw new ConfigError(
      file,
      "",
      `TOML syntax error${
        where ? ` at ${where}` : ": "
      }${first}${comma}; fix the file or move it away`,
      { cause: e, ...(err.line ? { line: err.line } : {}) },
    );
  }
  try {
    return validateConfig(raw, file);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (!env || !text.includes("$")) throw withKeyLine(e, text);
    const found = problemsOf(e);
    const known = new Set(found.map((p) => p.key));
    const more = pathVariableProblems(raw, file, env).filter((p) => !known.has(p.key));
    throw withKeyLine(more.length ? new ConfigProblems([...found, ...more]) : e, text);
  }
}
