/**
 * The `varietal` launcher that `deno task install` writes (pure): a small
 * POSIX shell script that runs the checkout's `main.ts` with a fixed Deno
 * executable, the `varietal` task's V8 flags and permissions and the checkout's
 * `deno.json`, so that it works from any folder, offline, and without `deno`
 * on `PATH` (window-manager `exec` lines often have a bare `PATH`).
 *
 * @module
 */

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
}

/** Quotes one word for a POSIX shell. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

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
    `# varietal, installed by 'deno task install' from ${spec.root}`,
    `# with Deno ${spec.denoVersion}. Run 'deno task install' there again after moving it.`,
    "# Runs the checkout's main.ts with the varietal task's flags; needs no deno on PATH.",
    "DENO_NO_UPDATE_CHECK=1",
    "export DENO_NO_UPDATE_CHECK",
    `exec ${launcherArgv(spec).map(shellQuote).join(" ")} "$@"`,
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
