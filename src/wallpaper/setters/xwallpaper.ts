/**
 * `xwallpaper`: `xwallpaper [SETTER_ARGS] [--output NAME] --zoom PATH …`
 * (X11), all outputs in one call.
 *
 * @module
 */
import { argvSetter, modeArg, type ModeMap } from "../setter.ts";

/** xwallpaper's option for each mode. */
export const XWALLPAPER_MODES: ModeMap = {
  fill: "--zoom",
  fit: "--maximize",
  center: "--center",
  tile: "--tile",
  stretch: "--stretch",
};

/** xwallpaper, per output. */
export const xwallpaper = argvSetter(
  {
    name: "xwallpaper",
    description: "xwallpaper --zoom (X11)",
    programs: ["xwallpaper"],
    modes: XWALLPAPER_MODES,
    perOutput: () => true,
  },
  (assignments, config) => {
    const mode = modeArg(XWALLPAPER_MODES, config);
    return [[
      "xwallpaper",
      ...config.setter_args,
      ...assignments.flatMap((a) =>
        a.output === null ? [mode, a.path] : ["--output", a.output, mode, a.path]
      ),
    ]];
  },
);
