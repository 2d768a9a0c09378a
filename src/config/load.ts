/**
 * Loads `config.toml`.
 *
 * Requires `--allow-read` for the config file and `--allow-env`.
 *
 * @module
 */
import { parse } from "smol-toml";
import { ConfigError } from "./errors.ts";
import { type Config, defaultConfig, validateConfig } from "./schema.ts";

/**
 * Reads and validates a config file; a missing file gives the defaults.
 *
 * @param file Path of `config.toml`.
 * @returns The validated configuration.
 * @throws {ConfigError} On unreadable files, TOML syntax errors and invalid values.
 */
export async function loadConfig(file: string): Promise<Config> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return defaultConfig(file);
    if (e instanceof Deno.errors.IsADirectory) {
      throw new ConfigError(file, "", "is a directory, expected a TOML file");
    }
    throw new ConfigError(file, "", `cannot read: ${(e as Error).message}`, {
      cause: e,
    });
  }
  return parseConfig(text, file);
}

/**
 * Parses config text (exported for tests and `config show`).
 *
 * @param text TOML text.
 * @param file The file name used in errors.
 * @throws {ConfigError} On TOML syntax errors and invalid values.
 */
export function parseConfig(text: string, file: string): Config {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    const err = e as Error & { line?: number; column?: number };
    const where = err.line ? `line ${err.line}, column ${err.column}: ` : "";
    const first = err.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
    throw new ConfigError(
      file,
      "",
      `TOML syntax error at ${where}${first}; fix the file or move it away`,
      { cause: e },
    );
  }
  return validateConfig(raw, file);
}
