/**
 * Loads `config.toml`.
 *
 * Requires `--allow-read` for the config file and `--allow-env`.
 *
 * @module
 */
import { ConfigError } from "./errors.ts";
import { type Config, defaultConfig } from "./schema.ts";
import { NotATextFileError, readTextFileChecked } from "../read_text.ts";
import { parsedConfigFile, readParsedConfig, writeParsedConfig } from "./parsed_cache.ts";
import { fileErrorReason } from "../text/not_capable.ts";

/**
 * Reads and validates a config file; a missing file gives the defaults,
 * unless the user chose the file (`$VARIETAL_CONFIG`).
 *
 * @param file Path of `config.toml`.
 * @param options `chosen`: the file was named by `$VARIETAL_CONFIG`, so it must exist;
 *   `cacheDir`: the cache folder, where the last parse is kept (`parsed_cache.ts`) and used
 *   while the text is the same.
 * @returns The validated configuration.
 * @throws {ConfigError} On unreadable or (when chosen) missing files, TOML
 * syntax errors and invalid values.
 */
export async function loadConfig(
  file: string,
  options: { chosen?: boolean; cacheDir?: string } = {},
): Promise<Config> {
  let text: string;
  try {
    // One small file: a blocking read is cheaper than a trip through the thread pool.
    text = readTextFileChecked(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      if (!options.chosen) return defaultConfig(file);
      throw new ConfigError(
        file,
        "",
        "does not exist, and VARIETAL_CONFIG names it; create it, or unset VARIETAL_CONFIG " +
          "to use $XDG_CONFIG_HOME/varietal/config.toml",
        { cause: e },
      );
    }
    if (e instanceof Deno.errors.IsADirectory) {
      throw new ConfigError(file, "", "is a directory, expected a TOML file");
    }
    if (e instanceof NotATextFileError) throw new ConfigError(file, "", e.message, { cause: e });
    throw new ConfigError(file, "", `cannot read: ${fileErrorReason(e)}`, {
      cause: e,
    });
  }
  // The TOML parser is loaded only when there is a file to parse and no parse of
  // the same text is kept, through a run-time specifier: Deno loads literal
  // import() targets at start-up.
  const cache = options.cacheDir === undefined ? undefined : parsedConfigFile(options.cacheDir);
  let config = cache ? readParsedConfig(cache, file, text) : undefined;
  if (config === undefined) {
    const { parseConfig } = await import(
      new URL("./parse.ts", import.meta.url).href
    ) as typeof import("./parse.ts");
    config = parseConfig(text, file, (k) => Deno.env.get(k));
    if (cache) await writeParsedConfig(cache, file, text, config);
  }
  // $VARS in folder and key-file paths (and a `~user` to refuse), or a wallust program named by
  // a path from the home folder; most files have none, and load nothing more.
  const wallust = config.palette.wallust;
  if (!/\$|~[^/\s"']/.test(text) && (!wallust.includes("/") || wallust.startsWith("/"))) {
    return config;
  }
  const { expandConfigVars } = await import(
    new URL("./expand_vars.ts", import.meta.url).href
  ) as typeof import("./expand_vars.ts");
  try {
    return expandConfigVars(config, (k) => Deno.env.get(k));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const { withKeyLine } = await import(
      new URL("./key_line.ts", import.meta.url).href
    ) as typeof import("./key_line.ts");
    throw withKeyLine(e, text);
  }
}
