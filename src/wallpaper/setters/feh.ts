/**
 * `feh`: `feh --bg-fill PATH…` (X11). With several outputs, feh gives the
 * images to the screens in their Xinerama order.
 *
 * @module
 */
import { argvSetter } from "../setter.ts";

/** feh, one image per screen in screen order. */
export const feh = argvSetter(
  {
    name: "feh",
    description: "feh --bg-fill (X11; images go to screens in order)",
    programs: ["feh"],
    perOutput: () => true,
  },
  (assignments) => [["feh", "--bg-fill", ...assignments.map((a) => a.path)]],
);
