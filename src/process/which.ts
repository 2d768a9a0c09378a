/**
 * Finding programs on PATH and running processes by name, for every layer
 * that starts programs (wallpaper setters, wallust, doctor).
 *
 * Requires `--allow-env=PATH`, `--allow-read` (PATH folders) and `--allow-run` (pgrep).
 *
 * @module
 */

import { type CommandRunner, runCommand } from "./run_command.ts";

/**
 * Finds an executable on PATH.
 *
 * @param program A program name (or a path, checked as is).
 * @param path The PATH value. @default Deno.env.get("PATH")
 * @returns Its absolute path, or undefined.
 */
export async function which(
  program: string,
  path: string | undefined = Deno.env.get("PATH"),
): Promise<string | undefined> {
  const candidates = program.includes("/")
    ? [program]
    : (path ?? "").split(":").filter(Boolean).map((d) => `${d}/${program}`);
  for (const c of candidates) {
    try {
      const st = await Deno.stat(c);
      if (st.isFile && ((st.mode ?? 0o111) & 0o111) !== 0) return c;
    } catch { /* not here */ }
  }
  return undefined;
}

/**
 * Pids of the running processes named `name` (the kernel's 15-character
 * command name), via `pgrep -x` (Deno forbids reading /proc without
 * `--allow-all`). Empty when none runs or pgrep is missing.
 *
 * @param name The process name.
 * @param options `uid` limits the search to one user's processes.
 */
export async function findProcesses(
  name: string,
  options: { uid?: number | null; run?: CommandRunner } = {},
): Promise<number[]> {
  const { uid = null, run = runCommand } = options;
  const argv = ["pgrep", "-x", ...(uid === null ? [] : ["-u", String(uid)]), name.slice(0, 15)];
  try {
    const r = await run(argv, { timeoutMs: 3000, check: false });
    if (r.code !== 0) return [];
    return r.stdout.split("\n").map((l) => Number(l.trim())).filter((n) =>
      Number.isInteger(n) && n > 0
    );
  } catch {
    return [];
  }
}
