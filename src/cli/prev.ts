// `varietal prev`: back through history (no new history rows).
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, numberFlag } from "./_parse.ts";
import {
  JSON_FLAG,
  NO_THEME_FLAG,
  SETTER_FLAG,
  setterFlag,
  WAIT_FLAG,
  waitFlag,
  withHelp,
} from "./_flags.ts";
import { cliError, pipelineDeps, printShow } from "./_show.ts";

export const spec: CommandSpec = {
  name: "prev",
  summary: "Go back to the previous wallpaper",
  description:
    "Shows the wallpaper before the current one again, with its palette and theme, without\n" +
    "recording a new show. Repeat to go further back; 'varietal next' then steps forward\n" +
    "through the same history before picking new images.",
  options: {
    steps: { type: "string", value: "N", description: "Go back N wallpapers (default 1)" },
    setter: SETTER_FLAG,
    "no-theme": NO_THEME_FLAG,
    wait: WAIT_FLAG,
    json: withHelp(
      JSON_FLAG,
      "Print path, palette, credit (attribution, package) and timings as JSON",
    ),
  },
  examples: ["varietal prev", "varietal prev --steps 3"],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "prev");
  const steps = numberFlag(inv, "steps", { min: 1, integer: true, path: "prev" });
  const lockTimeoutMs = waitFlag(inv, "prev");
  const deps = await pipelineDeps(ctx, { interruptible: true });
  try {
    const { runPrev } = await import("../pipeline/prev.ts");
    const r = await runPrev(deps, {
      steps,
      setter: setterFlag(inv),
      theme: !boolFlag(inv, "no-theme"),
      lockTimeoutMs,
      startup: true,
    });
    return await printShow(ctx, r, boolFlag(inv, "json"));
  } catch (e) {
    throw cliError(e);
  }
}
