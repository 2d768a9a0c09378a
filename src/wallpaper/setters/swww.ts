/**
 * `swww`: `swww img [--outputs NAME] [--resize R] [--fill-color RRGGBB]
 * [--transition-… ] [SETTER_ARGS] PATH` (needs a running daemon).
 *
 * swww was renamed awww upstream (same `img` command line, daemon
 * `awww-daemon`). This setter runs `swww` when it is installed and `awww`
 * when only that is; with both installed it follows the daemon that runs.
 *
 * @module
 */
import { stopStartedSwaybg } from "../started_swaybg.ts";
import { findProcesses, which } from "../../process/which.ts";
import type { CommandRunner } from "../../process/run_command.ts";
import { modeArg, type ModeMap, runSetterCommand, setEach, type Setter } from "../setter.ts";
import { transitionArgs } from "../transition.ts";

/** `swww img --resize` for each mode it has (`stretch` needs swww 0.9.5 or awww). */
export const SWWW_MODES: ModeMap = {
  fill: "crop",
  fit: "fit",
  center: "no",
  stretch: "stretch",
};

/** The two names of the program: the client and its daemon. */
export const SWWW_FLAVOURS = {
  swww: { client: "swww", daemon: "swww-daemon" },
  awww: { client: "awww", daemon: "awww-daemon" },
} as const;

/** Which of swww and awww to run, and why. */
export interface SwwwChoice {
  client: "swww" | "awww";
  daemon: "swww-daemon" | "awww-daemon";
  /** Whether the client was found on PATH. */
  installed: boolean;
  /** One sentence for `doctor`. */
  note: string;
}

/**
 * Chooses between swww and awww: the one installed; with both, the one whose
 * daemon runs (swww when neither or both run).
 *
 * @param path The PATH to search.
 * @param running Whether a process runs (pgrep); only asked when both are installed.
 */
export async function chooseSwww(
  path: string | undefined,
  running: (name: string) => Promise<boolean>,
): Promise<SwwwChoice> {
  const swww = (await which("swww", path)) !== undefined;
  const awww = (await which("awww", path)) !== undefined;
  if (swww && awww) {
    const pick = !(await running("swww-daemon")) && await running("awww-daemon") ? "awww" : "swww";
    return {
      ...SWWW_FLAVOURS[pick],
      installed: true,
      note: `swww and awww are both installed; using ${pick}${
        pick === "awww" ? " (awww-daemon runs)" : ""
      }`,
    };
  }
  if (awww) {
    return { ...SWWW_FLAVOURS.awww, installed: true, note: "using awww (swww's new name)" };
  }
  return {
    ...SWWW_FLAVOURS.swww,
    installed: swww,
    note: swww ? "using swww" : "neither swww nor awww is installed",
  };
}

function runningProbe(run?: CommandRunner) {
  return async (name: string) =>
    (await findProcesses(name, { uid: Deno.uid(), ...(run ? { run } : {}) })).length > 0;
}

/** swww (or awww), per output. */
export const swww: Setter = {
  name: "swww",
  description: "swww img, or awww img when only awww is installed (Wayland; needs its daemon)",
  programs: ["swww"],
  modes: SWWW_MODES,
  extras: ["transition", "fill_color"],
  perOutput: () => true,
  async resolvePrograms(path) {
    const c = await chooseSwww(path, runningProbe());
    return { programs: [c.client], note: c.note };
  },
  async apply(assignments, ctx) {
    const env = ctx.env ?? ((n: string) => Deno.env.get(n));
    const { client } = await chooseSwww(env("PATH"), runningProbe(ctx.run));
    const { config } = ctx;
    // crop is swww's default: only other modes are passed.
    const r = modeArg(SWWW_MODES, config);
    const resize = r === SWWW_MODES.fill ? [] : ["--resize", r];
    const color = config.fill_color ? ["--fill-color", config.fill_color.slice(1)] : [];
    const options = [
      ...resize,
      ...color,
      ...transitionArgs(config.transition),
      ...config.setter_args,
    ];
    await setEach("swww", assignments.map((a) => [a]), async (a) => {
      const outputs = a.output === null ? [] : ["--outputs", a.output];
      await runSetterCommand("swww", [client, "img", ...outputs, ...options, a.path], ctx);
    });
    // On the background layer now: a swaybg started before it (at login, while swww-daemon
    // was not up) would stay there with the old picture.
    await stopStartedSwaybg(ctx.runtimeDir, ctx.run);
  },
};
