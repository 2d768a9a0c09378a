/**
 * The real {@linkcode SessionProbe}: process environment, PATH and pgrep.
 *
 * @module
 */
import type { SessionProbe } from "./detect.ts";
import { findProcesses, which } from "../process/which.ts";

/** A probe of this process's session. */
export function sessionProbe(env: (name: string) => string | undefined): SessionProbe {
  return {
    env,
    onPath: async (p) => (await which(p, env("PATH"))) !== undefined,
    running: async (name) => (await findProcesses(name, { uid: Deno.uid() })).length > 0,
  };
}
