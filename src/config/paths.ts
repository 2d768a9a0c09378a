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
  /**
   * `$XDG_RUNTIME_DIR/varietal`; without that variable, the login's runtime
   * folder when the caller found one (see {@linkcode loginRuntimeDir}), else
   * the state dir
   */
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

/** The folders the XDG variables name, each in place of one under HOME. */
const XDG_HOMES = ["XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"];

/**
 * Resolves varietal's directories from the environment.
 *
 * @param env Reads a variable; defaults to `Deno.env.get`.
 * @param loginRuntime The login's runtime folder, asked only when `XDG_RUNTIME_DIR`
 *   is not set (a cron job, an ssh shell): a process's own context passes
 *   {@linkcode loginRuntimeDir}, so that such a `varietal next` takes the same lock
 *   as the session's key bindings and daemon. By default there is none.
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
export function resolvePaths(
  env: EnvGetter = denoEnv,
  loginRuntime: () => string | undefined = () => undefined,
): Paths {
  // A relative HOME would put the database wherever each process starts (a daemon and a
  // shell would use two): taken as no HOME, as a relative XDG_* variable is. `/` stays `/`.
  const given = nonEmpty(env("HOME"));
  const home = given?.startsWith("/") ? given.replace(/(.)\/+$/, "$1") : undefined;
  const base = (xdg: string, fallback: string): string => {
    const set = nonEmpty(env(xdg));
    if (set && set.startsWith("/")) return set;
    if (!home) {
      // Every folder variable still missing is named: setting only this one would lead to the
      // next message about the next one.
      const unset = XDG_HOMES.filter((x) => !nonEmpty(env(x))?.startsWith("/"));
      const or = unset.length > 1 ? `all of ${unset.join(", ")}` : xdg;
      throw new Error(
        given === undefined
          ? `Cannot find a home directory: set HOME (or ${or}) to an absolute path`
          : `HOME is not an absolute path (${given}); set HOME (or ${or}) to an absolute path`,
      );
    }
    return `${home === "/" ? "" : home}/${fallback}`;
  };
  const configHome = base("XDG_CONFIG_HOME", ".config");
  const cacheHome = base("XDG_CACHE_HOME", ".cache");
  const config = `${configHome}/varietal`;
  const data = `${base("XDG_DATA_HOME", ".local/share")}/varietal`;
  const state = `${base("XDG_STATE_HOME", ".local/state")}/varietal`;
  const set = nonEmpty(env("XDG_RUNTIME_DIR"));
  const runtimeDir = set === undefined ? loginRuntime() : set;
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

/**
 * The runtime folder that systemd-logind (pam_systemd) makes for this user's
 * login, `/run/user/UID`, when it is there as logind makes it: a folder of
 * this user's with mode 0700. It is what `XDG_RUNTIME_DIR` names inside the
 * session; processes started outside it (cron, ssh without pam_systemd, a
 * `systemd-run` without the variable) find the same folder here. Requires
 * `--allow-sys=uid` and `--allow-read`; without them, or without the folder,
 * `undefined`.
 *
 * @param root Where logind puts the folders (for tests).
 */
export function loginRuntimeDir(root = "/run/user"): string | undefined {
  try {
    const uid = Deno.uid();
    if (uid === null) return undefined;
    const dir = `${root}/${uid}`;
    const st = Deno.lstatSync(dir);
    return st.isDirectory && st.uid === uid && ((st.mode ?? 0) & 0o777) === 0o700 ? dir : undefined;
  } catch {
    return undefined;
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}
