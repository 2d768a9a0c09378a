/**
 * Finding programs on PATH and running processes by name (Linux /proc).
 *
 * Requires `--allow-env=PATH` and `--allow-read` (PATH folders, /proc).
 *
 * @module
 */

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
 * Pids of running processes whose command name (`/proc/PID/comm`) is `name`.
 * Returns an empty list where /proc cannot be read.
 */
export async function findProcesses(name: string): Promise<number[]> {
  const out: number[] = [];
  try {
    for await (const e of Deno.readDir("/proc")) {
      if (!/^\d+$/.test(e.name)) continue;
      if ((await processName(Number(e.name))) === name.slice(0, 15)) out.push(Number(e.name));
    }
  } catch { /* no /proc */ }
  return out;
}

/** The command name of a process, or undefined when it is gone. */
export async function processName(pid: number): Promise<string | undefined> {
  try {
    return (await Deno.readTextFile(`/proc/${pid}/comm`)).trim();
  } catch {
    return undefined;
  }
}
