// `varietal prev`: back through history (no new history rows).
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, numberFlag, stringFlag } from "./_parse.ts";
import { type SetterName, SETTERS } from "../config/choices.ts";
import { cliError, pipelineDeps, printShow, waitFlag } from "./next.ts";

export const spec: CommandSpec = {
  name: "prev",
  summary: "Go back to the previous wallpaper",
  description:
    "Shows the wallpaper before the current one again, with its palette and theme, without\n" +
    "recording a new show. Repeat to go further back; 'varietal next' then steps forward\n" +
    "through the same history before picking new images.",
  options: {
    steps: { type: "string", value: "N", description: "Go back N wallpapers (default 1)" },
    setter: {
      type: "string",
      choices: SETTERS,
      description: "Setter to use instead of [wallpaper] setter",
    },
    "no-theme": { type: "boolean", description: "Do not render the theme" },
    wait: {
      type: "string",
      value: "DURATION",
      description: "How long to wait for another varietal (default 60s)",
    },
    json: { type: "boolean", description: "Print path, palette and timings as JSON" },
  },
  examples: ["varietal prev", "varietal prev --steps 3"],
};

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "prev");
  const steps = numberFlag(inv, "steps", { min: 1, integer: true, path: "prev" });
  const lockTimeoutMs = waitFlag(inv, "prev");
  const deps = await pipelineDeps(ctx);
  try {
    const { runPrev } = await import("../pipeline/prev.ts");
    const r = await runPrev(deps, {
      steps,
      setter: stringFlag(inv, "setter") as SetterName | undefined,
      theme: !boolFlag(inv, "no-theme"),
      lockTimeoutMs,
      startup: true,
    });
    return printShow(ctx, r, boolFlag(inv, "json"));
  } catch (e) {
    throw cliError(e);
  }
}
