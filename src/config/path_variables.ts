/**
 * The `$VAR` problems of config.toml's paths read from the raw TOML table,
 * for `config check` when other values do not read (the expansion of
 * {@linkcode expandConfigVars} runs only on a file whose values all read).
 * Pure.
 *
 * @module
 */
import { ConfigError, problemsOf } from "./errors.ts";
import { expandConfigVars } from "./expand_vars.ts";
import { defaultConfig } from "./schema.ts";

const text = (v: unknown): string => typeof v === "string" ? v : "";
const list = (v: unknown): unknown[] => Array.isArray(v) ? v : [];
const table = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : {};

/**
 * The problems of the paths' variables (`[[sources]] path`, `[groups]`,
 * `[[remote]] api_key_file`, `[palette] wallust`) in a parsed TOML table, whatever else is wrong
 * with it: a path that is not text is the reading's problem, not this one's.
 *
 * @param raw The parsed TOML.
 * @param file The file, for the problems.
 * @param env Reads an environment variable.
 * @returns Each path's problem (no line: see `withKeyLine`).
 */
export function pathVariableProblems(
  raw: unknown,
  file: string,
  env: (name: string) => string | undefined,
): readonly ConfigError[] {
  const t = table(raw);
  const config = defaultConfig(file);
  config.found = true;
  config.sources = list(t.sources).map((s) => ({
    ...config.sources[0],
    path: text(table(s).path),
    recursive: true,
    enabled: true,
    order: null,
  }));
  config.groups = Object.fromEntries(
    Object.entries(table(t.groups)).map(([name, dirs]) => [name, list(dirs).map(text)]),
  );
  config.remote = list(t.remote).map((r) => ({
    ...(config.remote[0] ?? {}),
    api_key_file: text(table(r).api_key_file),
  } as typeof config.remote[number]));
  const wallust = text(table(t.palette).wallust);
  if (wallust) config.palette = { ...config.palette, wallust };
  try {
    expandConfigVars(config, env);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return problemsOf(e);
  }
}
