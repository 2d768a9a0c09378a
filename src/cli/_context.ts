// What every command gets: paths, environment, output, lazily the config and database.
import { loginRuntimeDir, type Paths, resolvePaths } from "../config/paths.ts";
import type { Config } from "../config/schema.ts";
import type { Database } from "../db/database.ts";
import { type Output, processOutput } from "./_output.ts";
import { type Progress, progressBar } from "./_progress.ts";

/** Everything a command needs from the outside world. */
export interface Context {
  paths: Paths;
  env: (name: string) => string | undefined;
  out: Output;
  /** The validated config (loaded once). */
  config(): Promise<Config>;
  /** The database (opened and migrated once, closed when the command ends). */
  db(): Promise<Database>;
  /** A progress bar on stderr when it is a terminal, else silent. */
  progress(title: string): Progress;
  /**
   * A signal aborted on SIGINT/SIGTERM/SIGHUP. Calling it installs the handlers, so
   * only long-running commands that stop cleanly should call it.
   */
  interrupt(): AbortSignal;
  /** Releases what the context opened. */
  close(): void;
}

/** The context of a real process. */
export function processContext(): Context {
  const env = (k: string) => Deno.env.get(k);
  const paths = resolvePaths(env, loginRuntimeDir);
  const out = processOutput(env);
  let config: Promise<Config> | undefined;
  let db: Promise<Database> | undefined;
  let opened: Database | undefined;
  let abort: AbortController | undefined;
  const handlers: [Deno.Signal, () => void][] = [];
  return {
    paths,
    env,
    out,
    interrupt() {
      if (!abort) {
        const ac = abort = new AbortController();
        // SIGHUP: the terminal closed (an ssh session dropped). Left to Deno it would end the
        // process at once, and a setter or hook it started would change things unrecorded.
        for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
          const h = () => ac.abort(new DOMException(`Interrupted by ${sig}`, "AbortError"));
          Deno.addSignalListener(sig, h);
          handlers.push([sig, h]);
        }
      }
      return abort.signal;
    },
    config() {
      return config ??= lazy<typeof import("../config/load.ts")>("../config/load.ts").then((m) =>
        m.loadConfig(paths.configFile, { chosen: paths.configChosen, cacheDir: paths.cache })
      );
    },
    db() {
      return db ??= lazy<typeof import("../db/database.ts")>("../db/database.ts").then(
        async (m) => {
          opened = await m.Database.open(paths.database);
          return opened;
        },
      );
    },
    progress(title) {
      // (TERM=dumb: a terminal that cannot clear a line, as Emacs' shell buffers.)
      return progressBar(title, out.errIsTTY && !env("CI") && env("TERM") !== "dumb");
    },
    close() {
      for (const [sig, h] of handlers) Deno.removeSignalListener(sig, h);
      handlers.length = 0;
      opened?.close();
    },
  };
}

/**
 * Imports a module of ours (path relative to `src/cli/`) by a specifier built
 * at run time, so that Deno does not load it and its npm packages at start-up
 * as it does for every literal `import("…")` target; measured, that doubled
 * the start-up of every command. `deno compile` is told to `--include src/`.
 */
export function lazy<T>(relative: string): Promise<T> {
  return import(new URL(relative, import.meta.url).href) as Promise<T>;
}
