/**
 * What every pipeline run is given, and resolving the setter.
 *
 * @module
 */
import type { SetterName } from "../config/choices.ts";
import type { Paths } from "../config/paths.ts";
import type { Config } from "../config/schema.ts";
import type { Database } from "../db/database.ts";
import type { DecodeWorker } from "../palette/guarded_decode.ts";
import { detectSetter } from "../wallpaper/detect.ts";
import type { ConcreteSetter } from "../wallpaper/registry.ts";
import { loadSetter } from "../wallpaper/load_setter.ts";
import type { CommandRunner } from "../process/run_command.ts";
import { sessionProbe } from "../wallpaper/session_probe.ts";
import type { Setter } from "../wallpaper/setter.ts";
import { SetterError } from "../wallpaper/setter_error.ts";
import type { PipelineServices, ThemeApplier } from "./services.ts";

/** The world a pipeline run works in. */
export interface PipelineDeps {
  db: Database;
  config: Config;
  paths: Paths;
  env: (name: string) => string | undefined;
  services: PipelineServices;
  /** A theme engine to reuse (the daemon keeps one); else one is made per run. */
  theme?: ThemeApplier;
  /**
   * A decoding thread kept by the caller (the daemon's, warm): used for every new
   * palette and never terminated by the pipeline; else one is started per run.
   */
  decoder?: DecodeWorker;
  /** The clock. @default Date.now */
  now?: () => number;
  /** Runs setter commands. @default runCommand */
  run?: CommandRunner;
  /** Stops waiting for the lock and running commands. */
  signal?: AbortSignal;
}

/**
 * The setter to use: the name given, or the detected one for "auto".
 *
 * @throws {SetterError} When "auto" finds no setter for this session.
 */
export async function resolveSetter(
  name: SetterName,
  env: (name: string) => string | undefined,
): Promise<Setter> {
  if (name !== "auto") return await loadSetter(name as ConcreteSetter);
  const d = await detectSetter(sessionProbe(env));
  if (!d.setter) {
    throw new SetterError(
      "auto",
      `no wallpaper setter found: ${d.reason}; set [wallpaper] setter in config.toml or pass --setter NAME (see 'varietal doctor')`,
      127,
    );
  }
  return await loadSetter(d.setter);
}
