/**
 * Whether the program a long-running process loaded has changed on disk since:
 * a daemon started before `git pull` (or before a new compiled binary was
 * installed) still runs the old code, and would carry out a newer `varietal
 * next` or `select` with it. The daemon declines hand-offs then, so the sender
 * runs the command with its own code and tells the user to restart the daemon.
 *
 * The stamp is cheap (a few dozen `stat`s): the Deno or compiled binary that
 * runs, `main.ts`, `deno.json` and every folder under `src/`
 * (updating a checkout creates, removes or replaces files there, which changes
 * their folder's time; an editor saving in place does not, and is a
 * developer's concern). Not `deno.lock`, which Deno itself may rewrite.
 *
 * Requires `--allow-read`.
 *
 * @module
 */

/** The checkout this module is part of; null inside a compiled binary's own files. */
const ROOT = import.meta.url.startsWith("file:")
  ? decodeURIComponent(new URL("../../", import.meta.url).pathname).replace(/\/$/, "")
  : null;

/** The folders under a checkout's `src/`, found once per checkout (a new one changes its parent's time). */
const folders = new Map<string, string[]>();

function srcFolders(root: string): string[] {
  let out = folders.get(root);
  if (out) return out;
  out = [];
  const walk = (dir: string) => {
    out!.push(dir);
    try {
      for (const e of Deno.readDirSync(dir)) if (e.isDirectory) walk(`${dir}/${e.name}`);
    } catch { /* not a folder we can read: its stat below says what there is */ }
  };
  walk(`${root}/src`);
  folders.set(root, out);
  return out;
}

function stampOf(path: string): string {
  try {
    const s = Deno.statSync(path);
    // Not the change time: `deno task install` hard-links the Deno binary (its link count,
    // and so its ctime, changes) without changing a byte of it.
    return `${s.ino}:${s.size}:${s.mtime?.getTime()}`;
  } catch {
    return "-";
  }
}

/**
 * The stamp of a program: the binary that runs it and, for a checkout, its
 * `main.ts`, `deno.json` and the folders under `src/` as they
 * were when first stamped (see the module's text).
 *
 * @param root The checkout's folder, or null (a compiled binary: its own file says all).
 * @param exec The Deno or compiled binary that runs it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { codeStampOf } from "./code_stamp.ts";
 *
 * const root = Deno.makeTempDirSync();
 * Deno.mkdirSync(`${root}/src/db`, { recursive: true });
 * Deno.writeTextFileSync(`${root}/src/db/a.ts`, "1");
 * const before = codeStampOf(root, Deno.execPath());
 * assert.equal(codeStampOf(root, Deno.execPath()), before);
 * Deno.removeSync(`${root}/src/db/a.ts`); // what an update does to a changed file
 * Deno.writeTextFileSync(`${root}/src/db/a.ts`, "2");
 * Deno.removeSync(root, { recursive: true });
 * ```
 */
export function codeStampOf(root: string | null, exec: string): string {
  const paths = [exec];
  if (root !== null) {
    paths.push(`${root}/main.ts`, `${root}/deno.json`, ...srcFolders(root));
  }
  return paths.map(stampOf).join(" ");
}

/** The stamp when this module was loaded: for the daemon, when it started. */
const LOADED = codeStampOf(ROOT, Deno.execPath());

/**
 * Whether the code on disk is no longer what this process loaded, and so not
 * what a newly started varietal runs.
 */
export function codeUpdated(): boolean {
  return codeStampOf(ROOT, Deno.execPath()) !== LOADED;
}
