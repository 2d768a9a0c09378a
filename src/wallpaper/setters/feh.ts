/**
 * `feh`: `feh --bg-fill [SETTER_ARGS] PATH` (X11), one image for every
 * screen. feh cannot address a screen by name: given several images it
 * hands them to the screens in Xinerama order and repeats the last one, so
 * an image for one output would change them all and a configured output
 * order could swap them. For one picture per screen, use `xwallpaper`.
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

/** feh, one image for every screen. */
export const feh = argvSetter(
  {
    name: "feh",
    description: "feh --bg-fill (X11; one image for every screen)",
    programs: ["feh"],
    modes: FEH_MODES,
    perOutput: () => false,
  },
  (assignments, config) => [[
    "feh",
    modeArg(FEH_MODES, config),
    ...config.setter_args,
    assignments[0].path,
  ]],
);
