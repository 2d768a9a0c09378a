/**
 * The outputs a run sets: given on the command line, listed in config, or
 * detected from the session (only when there are several, or a custom
 * command names `{output}`).
 *
 * @module
 */
import { detectOutputs, type OutputInfo } from "../wallpaper/outputs.ts";
import type { PipelineDeps } from "./pipeline_deps.ts";

/**
 * The outputs of one run, primary first; empty means one image for all.
 *
 * @param deps Config, environment and command runner.
 * @param setter The setter's name (`none` never detects).
 * @param perOutput Whether the setter can give each output its own image.
 * @param given Outputs from the command line.
 */
export async function resolveOutputs(
  deps: Pick<PipelineDeps, "config" | "env" | "run">,
  setter: string,
  perOutput: boolean,
  given?: readonly string[],
): Promise<OutputInfo[]> {
  if (!perOutput) return [];
  if (given?.length) return given.map((name) => ({ name }));
  const named = deps.config.wallpaper.outputs;
  if (setter === "none") return named.map((name) => ({ name }));
  // Asked of the session also when config names them: their sizes, so that a portrait
  // monitor gets a portrait picture (a custom command with {output} as well).
  const found = await detectOutputs(deps.env, deps.run ? { run: deps.run } : {});
  if (named.length) {
    return named.map((name) => {
      const seen = found.list.find((o) => o.name === name);
      return seen ? { ...seen, name } : { name };
    });
  }
  // One monitor is one image for all, unless the command needs its name ({output}).
  return found.list.length > 1 || setter === "custom" ? found.list : [];
}
