/**
 * The `varietal` launcher that `deno task install` writes (pure): a small
 * POSIX shell script that runs the checkout's `main.ts` with a fixed Deno
 * executable, the `varietal` task's V8 flags and permissions and the checkout's
 * `deno.json`, so that it works from any folder, offline (`--cached-only`: it
 * never asks the npm registry anything, unless the checkout's `deno.lock` changed
 * after the install), and without `deno` on `PATH` (window-manager `exec` lines
 * often have a bare `PATH`).
 *
 * @module
 */
import { shellWord } from "../text/shell_word.ts";
import { printable } from "../text/printable.ts";

/**
 * The glibc malloc setting varietal's long-lived processes start with (glibc reads
 * it once, at start, so it is set by whatever starts the process: this launcher,
 * deno.json's `varietal` and `daemon` tasks, contrib/systemd/varietal.service).
 * Allocations of 4 MiB or more (a file read whole, a decoded image) get mappings
 * of their own, given back to the system when freed. By default glibc raises that
 * threshold to the size of each such buffer freed (up to 32 MiB), so a daemon that
 * has decoded a few large images keeps later ones in its heap: measured over the 12
 * largest real wallpapers, 168 MiB held 20 s afterwards instead of 120 MiB
 * (`deno task bench daemon_memory`). Other C libraries ignore it.
 */
export const MALLOC_SETTING = { name: "MALLOC_MMAP_THRESHOLD_", value: "4194304" } as const;

/**
 * `deno task install` fetched every npm package into the checkout's node_modules: with
 * this, Deno never looks one up on the npm registry (it does so in the background, on
 * every run, for a package its own cache lacks, e.g. after ~/.cache was cleared).
 */
const CACHED_ONLY = "--cached-only";

/** What the launcher runs. */
export interface LauncherSpec {
  /** Absolute path of the Deno executable. */
  deno: string;
  /** Absolute path of the checkout (holds `deno.json` and `main.ts`). */
  root: string;
  /** V8 and permission flags, e.g. `["--v8-flags=--no-lazy", "--allow-read", …]` (from the `varietal` task). */
  flags: readonly string[];
  /** Deno's version, for the comment. */
  denoVersion: string;
  /**
   * Where the launcher is written: a checkout's `deno.lock` newer than this file
   * (an update that may need new npm packages) lifts `--cached-only`.
   */
  path: string;
}

/** Quotes one word for a POSIX shell (src/text/shell_word.ts). */
export const shellQuote: (s: string) => string = shellWord;

/**
 * The `--v8-flags=…` and `--allow-*` flags of a task in `deno.json` (the single
 * source of what varietal runs with: the same V8 flags everywhere keep Deno's
 * code cache valid, see README "Key-binding latency").
 *
 * @throws {Error} When the task is missing or grants nothing.
 */
export function taskRunFlags(denoJson: string, task = "varietal"): string[] {
  const tasks = (JSON.parse(denoJson) as { tasks?: Record<string, unknown> }).tasks ?? {};
  const text = tasks[task];
  if (typeof text !== "string") throw new Error(`deno.json has no '${task}' task`);
  const words = text.split(/\s+/);
  if (!words.some((w) => w.startsWith("--allow-"))) {
    throw new Error(`the '${task}' task in deno.json grants no permissions`);
  }
  return words.filter((w) => w.startsWith("--allow-") || w.startsWith("--v8-flags="));
}

/** The argv the launcher runs, before the user's arguments. */
export function launcherArgv(spec: LauncherSpec): string[] {
  return [
    spec.deno,
    "run",
    "--quiet",
    CACHED_ONLY,
    ...spec.flags,
    "--config",
    `${spec.root}/deno.json`,
    `${spec.root}/main.ts`,
  ];
}

/** The launcher script's text. */
export function launcherScript(spec: LauncherSpec): string {
  return [
    "#!/bin/sh",
    // A comment ends at a newline: the path is shown with its control characters escaped.
    `# varietal, installed by 'deno task install' from ${printable(spec.root)}`,
    `# with Deno ${spec.denoVersion}. Run 'deno task install' there again after moving it.`,
    "# Runs the checkout's main.ts with the varietal task's flags; needs no deno on PATH.",
    "DENO_NO_UPDATE_CHECK=1",
    "export DENO_NO_UPDATE_CHECK",
    "# glibc: allocations of 4 MiB or more are given back to the system when freed (unless set).",
    `: "\${${MALLOC_SETTING.name}:=${MALLOC_SETTING.value}}"`,
    `export ${MALLOC_SETTING.name}`,
    "# Started in a folder since deleted (the shell found no current folder, and said so):",
    "# Deno cannot start there, and would print a raw error and a backtrace.",
    'if [ -z "${PWD:-}" ]; then',
    `  printf '%s\\n' ${
      shellQuote(
        "varietal: the current folder was deleted (or cannot be read); cd to another folder " +
          "and try again",
      )
    } >&2`,
    "  exit 1",
    "fi",
    "# A checkout moved or deleted: say so in one line (Deno would print a raw error).",
    `if [ ! -f ${shellQuote(`${spec.root}/main.ts`)} ]; then`,
    `  printf '%s\\n' ${
      shellQuote(
        `varietal: the checkout ${spec.root} cannot be found (moved or deleted, or a folder ` +
          `on its way is closed to you); run 'deno task install' again in its new place`,
      )
    } >&2`,
    "  exit 1",
    "fi",
    "# The Deno it runs removed (an uninstalled or version-managed Deno, a --deno PATH gone).",
    `if [ ! -x ${shellQuote(spec.deno)} ]; then`,
    `  printf '%s\\n' ${
      shellQuote(
        `varietal: the Deno this launcher runs (${spec.deno}) is gone or not runnable by you; ` +
          `run 'deno task install' again in ${spec.root} (with --deno PATH for another Deno)`,
      )
    } >&2`,
    "  exit 1",
    "fi",
    "# Its npm packages deleted (node_modules): Deno may still find them in its cache, else it",
    "# fails with a raw error; say first what mends it.",
    `if [ ! -d ${shellQuote(`${spec.root}/node_modules`)} ]; then`,
    `  printf '%s\\n' ${
      shellQuote(
        `varietal: ${spec.root}/node_modules is gone; if this fails, run ` +
          `'deno task install' there again (it fetches the npm packages)`,
      )
    } >&2`,
    "fi",
    "# The npm packages were fetched into the checkout when this was written; a deno.lock",
    "# changed since (an updated checkout) may name others, which Deno may then fetch.",
    `cached=${CACHED_ONLY}`,
    `if [ ${shellQuote(`${spec.root}/deno.lock`)} -nt ${shellQuote(spec.path)} ]; then`,
    "  cached=",
    `  printf '%s\\n' ${
      shellQuote(
        `varietal: ${spec.root}/deno.lock changed after 'deno task install'; ` +
          `run it there again (until then Deno may fetch npm packages)`,
      )
    } >&2`,
    "fi",
    `exec ${
      launcherArgv(spec).map((w) => w === CACHED_ONLY ? "$cached" : shellQuote(w)).join(" ")
    } "$@"`,
    "",
  ].join("\n");
}

/**
 * Whether a Deno executable lives in npm's `npx` cache (`…/_npx/…`), which
 * npm may prune at any time (then a launcher pointing there breaks).
 */
export function inNpxCache(path: string): boolean {
  return /\/_npx\//.test(path);
}

/** Whether `dir` is one of the folders of a `PATH` value (ignoring trailing slashes). */
export function onPath(dir: string, path: string | undefined): boolean {
  const norm = (p: string) => p.replace(/\/+$/, "") || "/";
  return (path ?? "").split(":").some((p) => p !== "" && norm(p) === norm(dir));
}
