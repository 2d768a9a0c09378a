/**
 * The swaybg varietal started last (its pid in the runtime dir). When the
 * wallpaper is then set by swww or hyprpaper (detection picked swaybg while
 * their daemon was not up yet, at login), that swaybg would stay on the
 * background layer with the old picture: it is stopped.
 *
 * @module
 */
import type { CommandRunner } from "../process/run_command.ts";
import { findProcesses } from "../process/which.ts";

/** Where the pid of the swaybg varietal started is kept. */
export function swaybgPidFile(runtimeDir: string): string {
  return `${runtimeDir}/swaybg.pid`;
}

/**
 * Stops the swaybg whose pid varietal kept, when that process is still one
 * of the user's swaybg processes (`pgrep`: a pid reused by another program is
 * left alone), and forgets the pid.
 *
 * @returns The pid stopped, or null.
 */
export async function stopStartedSwaybg(
  runtimeDir: string,
  run?: CommandRunner,
): Promise<number | null> {
  const file = swaybgPidFile(runtimeDir);
  let pid: number;
  try {
    pid = Number((await Deno.readTextFile(file)).trim());
  } catch {
    return null; // none started
  }
  await Deno.remove(file).catch(() => {});
  if (!Number.isInteger(pid) || pid <= 1) return null;
  const running = await findProcesses("swaybg", { uid: Deno.uid(), ...(run ? { run } : {}) });
  if (!running.includes(pid)) return null;
  try {
    Deno.kill(pid, "SIGTERM");
    return pid;
  } catch {
    return null; // gone meanwhile
  }
}
