/**
 * `feh`: `feh --bg-fill [SETTER_ARGS] PATH…` (X11). With several outputs,
 * feh gives the images to the screens in their Xinerama order.
 *
 * @module
 */
import { argvSetter, modeArg, type ModeMap } from "../setter.ts";

/** feh's `--bg-*` option for each mode. */
export const FEH_MODES: ModeMap = {
  fill: "--bg-fill",
  fit: "--bg-max",
  center: "--bg-center",
  tile: "--bg-tile",
  stretch: "--bg-scale",
};

/** feh, one image per screen in screen order. */
export const feh = argvSetter(
  {
    name: "feh",
    description: "feh --bg-fill (X11; images go to screens in order)",
    programs: ["feh"],
    modes: FEH_MODES,
    perOutput: () => true,
  },
  (assignments, config) => [[
    "feh",
    modeArg(FEH_MODES, config),
    ...config.setter_args,
    ...assignments.map((a) => a.path),
  ]],
);
