/**
 * XDG base directories for varietal.
 *
 * Each directory honours its `XDG_*` variable and falls back to the XDG
 * default under `$HOME`. Requires `--allow-env`.
 *
 * @module
 */

/** The directories varietal reads and writes. */
export interface Paths {
  /** `$XDG_CONFIG_HOME/varietal` */
  config: string;
  /** `$XDG_DATA_HOME/varietal` (the database lives here) */
  data: string;
  /** `$XDG_CACHE_HOME/varietal` */
  cache: string;
  /** `$XDG_STATE_HOME/varietal` */
  state: string;
  /** `$XDG_RUNTIME_DIR/varietal`, or the state dir when there is no runtime dir */
  runtime: string;
  /** The user's home directory */
  home: string;
  /** `$XDG_CACHE_HOME` itself (wallust keeps its cache beside ours) */
  cacheHome: string;
  /** `$XDG_CONFIG_HOME` itself (wallust's config lives there) */
  configHome: string;
  /** `config.toml` inside the config dir, or `$VARIETAL_CONFIG` */
  configFile: string;
  /**
   * Whether `$VARIETAL_CONFIG` chose {@linkcode Paths.configFile}: then it
   * must exist (a mistyped path is not read as "no config, use defaults").
   */
  configChosen?: boolean;
  /** `varietal.db` inside the data dir */
  database: string;
}

/** A function that reads one environment variable. */
export type EnvGetter = (name: string) => string | undefined;

const denoEnv: EnvGetter = (name) => Deno.env.get(name);

/**
 * Resolves varietal's directories from the environment.
 *
 * @param env Reads a variable; defaults to `Deno.env.get`.
 * @returns Absolute paths, not created.
 * @throws {Error} When neither `HOME` nor the needed `XDG_*` variable is set.
 *
 * @example Temporary dirs
 * ```ts
 * import { resolvePaths } from "./paths.ts";
 * const p = resolvePaths((k) => ({ HOME: "/h" } as Record<string, string>)[k]);
 * if (p.database !== "/h/.local/share/varietal/varietal.db") throw new Error();
 * ```
 */
export function resolvePaths(env: EnvGetter = denoEnv): Paths {
  const home = nonEmpty(env("HOME"));
  const base = (xdg: string, fallback: string): string => {
    const set = nonEmpty(env(xdg));
    if (set && set.startsWith("/")) return set;
    if (!home) {
      throw new Error(
        `Cannot find a home directory: set HOME or ${xdg} to an absolute path`,
      );
    }
    return `${home}/${fallback}`;
  };
  const configHome = base("XDG_CONFIG_HOME", ".config");
  const cacheHome = base("XDG_CACHE_HOME", ".cache");
  const config = `${configHome}/varietal`;
  const data = `${base("XDG_DATA_HOME", ".local/share")}/varietal`;
  const state = `${base("XDG_STATE_HOME", ".local/state")}/varietal`;
  const runtimeDir = nonEmpty(env("XDG_RUNTIME_DIR"));
  const chosen = nonEmpty(env("VARIETAL_CONFIG"));
  return {
    config,
    data,
    cache: `${cacheHome}/varietal`,
    state,
    runtime: runtimeDir?.startsWith("/") ? `${runtimeDir}/varietal` : state,
    home: home ?? "/",
    cacheHome,
    configHome,
    configFile: chosen ?? `${config}/config.toml`,
    ...(chosen ? { configChosen: true } : {}),
    database: `${data}/varietal.db`,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}
