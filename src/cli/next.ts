// `varietal next`: lock → select → set → palette → record → theme.
import type { CommandSpec, Invocation } from "./_command.ts";
import { type Context, lazy } from "./_context.ts";
import { boolFlag, expectArgs, stringFlag } from "./_parse.ts";
import { CONSTRAINT_OPTIONS, constraintsFromFlags } from "./_constraints.ts";
import { type DisplayMode, TRANSITIONS, type TransitionType } from "../config/choices.ts";
import { UsageError } from "./errors.ts";
import {
  DRY_RUN_FLAG,
  GROUP_FLAG,
  groupFlag,
  IMAGE_FLAG,
  JSON_FLAG,
  MODE_FLAG,
  NO_THEME_FLAG,
  SETTER_FLAG,
  setterFlag,
  WAIT_FLAG,
  waitFlag,
  withHelp,
} from "./_flags.ts";
import { cliError, pipelineDeps, printShow } from "./_show.ts";
import type { ShowResult } from "../pipeline/apply_show.ts";
import { controlFifoExists } from "../pipeline/daemon_files.ts";

export const spec: CommandSpec = {
  name: "next",
  summary: "Pick, set and theme the next wallpaper",
  description:
    "Takes varietal's lock (waiting for another varietal), picks an image, sets it with the\n" +
    "setter, extracts its palette, records the show and renders the theme, in that order. A\n" +
    "failing setter stops before anything is recorded. After 'varietal prev', 'next' steps\n" +
    "forward through history again (like a browser) unless --image or a constraint is given.\n" +
    "Exits 75 when another varietal stays busy longer than --wait. A [[templates]] entry\n" +
    "that is missing or does not compile stops it before anything changes (exit 1; --no-theme\n" +
    "goes on without the theme). Exits 1 when a template failed while rendering or writing,\n" +
    "or a hook ran and failed (non-zero exit or hook_timeout); the wallpaper stays set\n" +
    "and recorded and the other targets and hooks still run. A hook whose program is not\n" +
    "installed is only a warning (exit 0). A folder whose order is sequential or shuffle\n" +
    "gives its next image in that order; --group NAME picks only from that group's folders.\n" +
    "When 'varietal daemon' runs for the same config, database and desktop session, a\n" +
    "plain 'next' (no options but --image, --setter, --wait, --json) has it do the work,\n" +
    "which is faster (its code, database and templates are loaded); it waits for the\n" +
    "theme as 'next' does, prints the same and exits the same. --no-daemon runs it here.",
  options: {
    ...CONSTRAINT_OPTIONS,
    image: withHelp(
      IMAGE_FLAG,
      "Show this image instead of picking one; a file outside the collection is indexed on the spot",
    ),
    group: GROUP_FLAG,
    setter: SETTER_FLAG,
    mode: MODE_FLAG,
    transition: {
      type: "string",
      value: "TYPE",
      choices: TRANSITIONS,
      description: "swww/awww transition type, instead of [wallpaper.transition] type",
    },
    "no-palette": { type: "boolean", description: "Do not extract a palette for new images" },
    "no-theme": NO_THEME_FLAG,
    "dry-run": withHelp(
      DRY_RUN_FLAG,
      "Decide and print, change nothing (no lock, no setter, no history)",
    ),
    wait: WAIT_FLAG,
    "no-daemon": {
      type: "boolean",
      description: "Run here even when a varietal daemon runs (which a plain next asks)",
    },
    json: withHelp(
      JSON_FLAG,
      "Print path, palette, credit (attribution, package) and timings per stage as JSON",
    ),
  },
  examples: [
    "varietal next",
    "varietal next --dark --hue blue",
    "varietal next --group work",
    "varietal next --image ~/Pictures/Wallpapers/fjord.jpg",
    "varietal next --image ~/Downloads/poster.png --mode fit",
    "varietal next --setter none --json",
  ],
};

/** The options a next handed to a running daemon passes on (or, `json`, prints with). */
const HANDED_OVER = new Set(["image", "setter", "wait", "json"]);

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  expectArgs(inv, 0, 0, "next");
  const constraints = await constraintsFromFlags(inv, ctx, "next");
  const image = stringFlag(inv, "image");
  // What a file picker bound to a key passes when it is cancelled: a usage error, as every
  // other empty value is (exit 2).
  if (image !== undefined && image.trim() === "") {
    throw new UsageError(
      "--image was given no path (a cancelled file picker?); nothing was changed",
      "next",
    );
  }
  if (image !== undefined && Object.keys(constraints).length > 0) {
    throw new UsageError("--image cannot be combined with selection constraints", "next");
  }
  const lockTimeoutMs = waitFlag(inv, "next");
  const json = boolFlag(inv, "json");
  // A plain next (only options the daemon is given) goes to a running daemon when there
  // is one (see _next_client.ts); any other option, or --no-daemon, runs it here.
  if (
    Object.keys(inv.flags).every((f) => HANDED_OVER.has(f)) &&
    controlFifoExists(ctx.paths.runtime)
  ) {
    const { handOffNext, printHandedOff } = await lazy<typeof import("./_next_client.ts")>(
      "./_next_client.ts",
    );
    const startup = Math.round(performance.now() * 10) / 10;
    const setter = setterFlag(inv);
    const done = await handOffNext(ctx, {
      ...(setter === undefined ? {} : { setter }),
      ...(lockTimeoutMs === undefined ? {} : { waitMs: lockTimeoutMs }),
      ...(image === undefined ? {} : { image }),
    });
    if (done) return await printHandedOff(ctx, done, json, startup);
  }
  const deps = await pipelineDeps(ctx, { interruptible: true });
  const group = groupFlag(inv, deps.config, "next");
  if (image !== undefined && group !== undefined) {
    throw new UsageError("--image cannot be combined with --group", "next");
  }
  let result: ShowResult;
  try {
    const { runNext } = await lazy<typeof import("../pipeline/next.ts")>("../pipeline/next.ts");
    result = await runNext(deps, {
      constraints,
      image,
      group,
      setter: setterFlag(inv),
      mode: stringFlag(inv, "mode") as DisplayMode | undefined,
      transition: stringFlag(inv, "transition") as TransitionType | undefined,
      palette: !boolFlag(inv, "no-palette"),
      theme: !boolFlag(inv, "no-theme"),
      dryRun: boolFlag(inv, "dry-run"),
      lockTimeoutMs,
      startup: true,
    });
  } catch (e) {
    throw cliError(e);
  }
  return await printShow(ctx, result, json);
}
