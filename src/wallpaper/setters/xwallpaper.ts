/**
 * `xwallpaper`: `xwallpaper [--output NAME] --zoom PATH …` (X11), all
 * outputs in one call.
 *
 * @module
 */
import { argvSetter } from "../setter.ts";

/** xwallpaper, per output. */
export const xwallpaper = argvSetter(
  {
    name: "xwallpaper",
    description: "xwallpaper --zoom (X11)",
    programs: ["xwallpaper"],
    perOutput: () => true,
  },
  (assignments) => [[
    "xwallpaper",
    ...assignments.flatMap((a) =>
      a.output === null ? ["--zoom", a.path] : ["--output", a.output, "--zoom", a.path]
    ),
  ]],
);
